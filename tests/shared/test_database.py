"""The engine's URL handling, start-up schema verification, and the real columns in PostgreSQL."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import uuid
from pathlib import Path

import asyncpg
import pytest
from conftest import ADMIN_URL, BETTER_AUTH_SCHEMA, SCRATCH_DB, LiveServer

from shared.database import normalise_database_url
from shared.migrations import runner
from shared.models import Base

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("url", "expected_url", "expected_args"),
    [
        ("postgres://u:p@h:5432/db", "postgresql+asyncpg://u:p@h:5432/db", {}),
        ("postgresql://u:p@h/db", "postgresql+asyncpg://u:p@h/db", {}),
        ("postgresql+asyncpg://u@h/db", "postgresql+asyncpg://u@h/db", {}),
        (
            "postgresql://u:p@ep-x-pooler.eu-central-1.aws.neon.tech/neondb"
            "?sslmode=require&channel_binding=require",
            "postgresql+asyncpg://u:p@ep-x-pooler.eu-central-1.aws.neon.tech/neondb",
            {"ssl": "require"},
        ),
        (
            "postgres://u@h/db?sslmode=disable&connect_timeout=5",
            "postgresql+asyncpg://u@h/db",
            {"ssl": False, "timeout": 5.0},
        ),
    ],
)
def test_database_urls_are_translated_for_asyncpg(url, expected_url, expected_args) -> None:
    assert normalise_database_url(url) == (expected_url, expected_args)


def test_unsupported_database_urls_are_refused() -> None:
    with pytest.raises(ValueError, match="mysql"):
        normalise_database_url("mysql://u@h/db")


async def _columns(database: str) -> dict[str, dict[str, str]]:
    connection = await asyncpg.connect(ADMIN_URL.rsplit("/", 1)[0] + "/" + database)
    try:
        rows = await connection.fetch(
            "SELECT table_name, column_name, data_type FROM information_schema.columns "
            "WHERE table_schema = 'public'"
        )
    finally:
        await connection.close()
    tables: dict[str, dict[str, str]] = {}
    for row in rows:
        tables.setdefault(row["table_name"], {})[row["column_name"]] = row["data_type"]
    return tables


def test_every_column_in_the_database_is_camel_case(scratch_database) -> None:
    tables = asyncio.run(_columns(SCRATCH_DB))
    for table in Base.metadata.sorted_tables:
        assert table.name in tables
        assert set(tables[table.name]) == {c.name for c in table.columns}, table.name
        for column in tables[table.name]:
            assert "_" not in column, f"{table.name}.{column}"
    task = tables["task"]
    assert task["userId"] == "text"
    assert task["dueDate"] == "timestamp with time zone"
    assert task["createdAt"] == "timestamp with time zone"


def test_better_auth_tables_match_its_own_schema(scratch_database) -> None:
    tables = asyncio.run(_columns(SCRATCH_DB))
    expected = {
        "user": {
            "id": "text",
            "name": "text",
            "email": "text",
            "emailVerified": "boolean",
            "image": "text",
            "createdAt": "timestamp with time zone",
            "updatedAt": "timestamp with time zone",
        },
        "session": {
            "id": "text",
            "expiresAt": "timestamp with time zone",
            "token": "text",
            "createdAt": "timestamp with time zone",
            "updatedAt": "timestamp with time zone",
            "ipAddress": "text",
            "userAgent": "text",
            "userId": "text",
        },
        "jwks": {
            "id": "text",
            "publicKey": "text",
            "privateKey": "text",
            "createdAt": "timestamp with time zone",
            "expiresAt": "timestamp with time zone",
            "alg": "text",
            "crv": "text",
        },
    }
    for table, columns in expected.items():
        assert tables[table] == columns


def _start(database: str) -> subprocess.CompletedProcess[str]:
    """Run the start-up check in a fresh process against `database`."""
    env = {**os.environ, "DATABASE_URL": ADMIN_URL.rsplit("/", 1)[0] + "/" + database}
    script = (
        "import asyncio; from shared.database import ensure_schema; asyncio.run(ensure_schema())"
    )
    return subprocess.run(
        [sys.executable, "-c", script],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_processes_starting_at_once_migrate_the_schema_once(spare_database) -> None:
    env = {**os.environ, "DATABASE_URL": ADMIN_URL.rsplit("/", 1)[0] + "/" + spare_database}
    script = (
        "import asyncio; from shared.database import ensure_schema; asyncio.run(ensure_schema())"
    )
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", script], cwd=REPO, env=env, stderr=subprocess.PIPE, text=True
        )
        for _ in range(4)
    ]
    for process in processes:
        _, stderr = process.communicate(timeout=60)
        assert process.returncode == 0, stderr
    tables = asyncio.run(_columns(spare_database))
    assert {t.name for t in Base.metadata.sorted_tables} <= set(tables)

    async def bookkeeping() -> tuple[list[str], int]:
        connection = await asyncpg.connect(ADMIN_URL.rsplit("/", 1)[0] + "/" + spare_database)
        try:
            versions = await connection.fetch("SELECT version_num FROM alembic_version")
            fingerprints = await connection.fetchval('SELECT count(*) FROM "schemaFingerprint"')
        finally:
            await connection.close()
        return [v["version_num"] for v in versions], fingerprints

    # Each revision ran once: the processes that waited found the first one's work.
    assert asyncio.run(bookkeeping()) == ([runner.head()], 1)


def test_start_up_accepts_better_auths_own_tables_and_adds_ours(spare_database) -> None:
    async def prepare() -> None:
        connection = await asyncpg.connect(ADMIN_URL.rsplit("/", 1)[0] + "/" + spare_database)
        try:
            await connection.execute(BETTER_AUTH_SCHEMA.read_text())
        finally:
            await connection.close()

    asyncio.run(prepare())
    result = _start(spare_database)
    assert result.returncode == 0, result.stderr
    tables = asyncio.run(_columns(spare_database))
    assert {t.name for t in Base.metadata.sorted_tables} <= set(tables)


def test_a_missing_or_mistyped_column_stops_start_up_and_keeps_data(spare_database) -> None:
    url = ADMIN_URL.rsplit("/", 1)[0] + "/" + spare_database

    async def execute(*statements: str) -> None:
        connection = await asyncpg.connect(url)
        try:
            for statement in statements:
                await connection.execute(statement)
        finally:
            await connection.close()

    async def check() -> tuple[list[str], set[str]]:
        connection = await asyncpg.connect(url)
        try:
            rows = await connection.fetch("SELECT name FROM category")
            tables = await connection.fetch(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
            )
        finally:
            await connection.close()
        return [r["name"] for r in rows], {t["tablename"] for t in tables}

    asyncio.run(
        execute(
            'CREATE TABLE category (id integer PRIMARY KEY, "userId" text, name text)',
            "INSERT INTO category VALUES (1, 'u', 'kept')",
            'CREATE TABLE jwks (id text, "publicKey" integer, "privateKey" text,'
            ' "createdAt" timestamptz, "expiresAt" timestamptz, alg text, crv text)',
        )
    )
    # Better Auth's tables are checked first: this service's tables refer to them.
    result = _start(spare_database)
    assert result.returncode != 0
    assert "jwks.publicKey: expected a str column, found INTEGER" in result.stderr, result.stderr
    assert asyncio.run(check()) == (["kept"], {"category", "jwks"})

    # With Better Auth's tables right, a category table that no release created is refused,
    # rather than guessed at; nothing is created or altered.
    asyncio.run(execute("DROP TABLE jwks"))
    result = _start(spare_database)
    assert result.returncode != 0
    assert "no migration history" in result.stderr, result.stderr
    assert "category.color: missing" in result.stderr
    assert "category.createdAt: missing" in result.stderr
    assert asyncio.run(check()) == (["kept"], {"category"})


def test_a_restarted_app_finds_the_data(http, ada) -> None:
    marker = uuid.uuid4().hex
    created = http.post(
        ada.url("/tasks"), json={"title": f"survives {marker}"}, headers=ada.headers
    )
    assert created.status_code == 201

    from shared.database import forget_schema_checks

    forget_schema_checks()
    restarted = LiveServer()
    restarted.start()
    try:
        import httpx

        with httpx.Client(base_url=restarted.url) as client:
            found = client.get(ada.url(f"/tasks?q={marker}"), headers=ada.headers).json()["items"]
    finally:
        restarted.stop()
    assert [t["id"] for t in found] == [created.json()["id"]]

"""Alembic migrations: a first-release database upgrades with its data, fresh ones match the
models exactly, a warm start costs one statement, and the command line applies and undoes."""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import asyncpg
import pytest
from alembic import command
from conftest import BETTER_AUTH_SCHEMA, database_url, run_db
from sqlalchemy import Connection, event
from sqlalchemy.ext.asyncio import create_async_engine

from shared.migrations import runner

REPO = Path(__file__).resolve().parents[2]
HEAD = runner.head()
START_UP = "import asyncio; from shared.database import ensure_schema; asyncio.run(ensure_schema())"
T0 = datetime(2025, 6, 1, 8, 30, tzinfo=UTC)


def python(database: str, *args: str) -> subprocess.CompletedProcess[str]:
    """Run `python *args` in a fresh process against `database`, as a deployment would."""
    return subprocess.run(
        [sys.executable, *args],
        cwd=REPO,
        env={**os.environ, "DATABASE_URL": database_url(database)},
        capture_output=True,
        text=True,
        timeout=120,
    )


async def _alembic(database: str, work: Any) -> Any:
    engine = create_async_engine(database_url(database).replace("://", "+asyncpg://", 1))
    try:
        async with engine.begin() as connection:
            return await connection.run_sync(work)
    finally:
        await engine.dispose()


def models_fit_exactly(connection: Connection) -> None:
    """Autogenerate finds nothing to do: the migrated tables are what the models describe."""
    command.check(runner.config(connection))


async def _sql(database: str, *statements: str) -> list[list[dict[str, Any]]]:
    connection = await asyncpg.connect(database_url(database))
    try:
        return [[dict(r) for r in await connection.fetch(s)] for s in statements]
    finally:
        await connection.close()


def sql(database: str, *statements: str) -> list[list[dict[str, Any]]]:
    """The rows of each statement, run in `database`."""
    return asyncio.run(_sql(database, *statements))


async def _script(database: str, script: str) -> None:
    connection = await asyncpg.connect(database_url(database))
    try:
        await connection.execute(script)
    finally:
        await connection.close()


async def _first_release_rows(database: str) -> None:
    """A person with two categories and three tasks, written as the first release wrote them."""
    connection = await asyncpg.connect(database_url(database))
    try:
        await connection.execute(
            'INSERT INTO "user" (id, name, email, "emailVerified") '
            "VALUES ('u1', 'Ada', 'ada@example.com', true)"
        )
        await connection.executemany(
            'INSERT INTO category ("userId", name, color, "createdAt", "updatedAt") '
            "VALUES ('u1', $1, $2, $3, $3)",
            [("Home", "#00ff00", T0), ("Work", None, T0)],
        )
        await connection.executemany(
            'INSERT INTO task ("userId", title, description, completed, "completedAt", priority,'
            ' "dueDate", "categoryId", "createdAt", "updatedAt")'
            " VALUES ('u1', $1, $2, $3, $4, $5, $6, $7, $8, $8)",
            [
                ("Water the plants", "the balcony too", False, None, "high", T0, 1, T0),
                ("Pay rent", None, True, T0, "medium", None, None, T0),
                ("Write the report", None, False, None, "low", None, 2, T0),
            ],
        )
    finally:
        await connection.close()


TASKS = (
    'SELECT id, "userId", title, description, completed, "completedAt", priority, "dueDate",'
    ' "categoryId", "createdAt", "updatedAt" FROM task ORDER BY id'
)
CATEGORIES = 'SELECT id, "userId", name, color, "createdAt", "updatedAt" FROM category ORDER BY id'


@pytest.mark.parametrize("history", ["unversioned", "stamped"])
def test_a_first_release_database_upgrades_with_nothing_lost(spare_database, history) -> None:
    # Better Auth's tables as its own migration made them, then the first release's tables.
    asyncio.run(_script(spare_database, BETTER_AUTH_SCHEMA.read_text()))
    asyncio.run(_alembic(spare_database, lambda c: command.upgrade(runner.config(c), "0001")))
    if history == "unversioned":
        # Releases before migrations kept no version: start-up recognises what they made.
        sql(spare_database, "DROP TABLE alembic_version")
    asyncio.run(_first_release_rows(spare_database))
    before_tasks, before_categories = sql(spare_database, TASKS, CATEGORIES)

    started = python(spare_database, "-c", START_UP)
    assert started.returncode == 0, started.stderr

    after_tasks, after_categories, version, new_columns = sql(
        spare_database,
        TASKS,
        CATEGORIES,
        "SELECT version_num FROM alembic_version",
        'SELECT "allDay", version, "deletedAt", recurrence, "nextTaskId" FROM task',
    )
    assert len(before_tasks) == 3 and after_tasks == before_tasks
    assert after_categories == before_categories
    assert version == [{"version_num": HEAD}]
    assert {tuple(row.values()) for row in new_columns} == {(False, 1, None, None, None)}
    asyncio.run(_alembic(spare_database, models_fit_exactly))

    # The upgraded database takes new rows the way the service writes them.
    sql(
        spare_database,
        'INSERT INTO task ("userId", title, completed, priority, "allDay", version,'
        " \"createdAt\", \"updatedAt\") VALUES ('u1', 'new', false, 'low', false, 1, now(), now())",
        'INSERT INTO "taskTag" ("taskId", "userId", name) VALUES (1, \'u1\', \'garden\')',
    )


def test_tasks_without_recurrence_hold_sql_null_after_0003(spare_database) -> None:
    # Until 0003 a task without recurrence held the JSON value null, which every read decoded.
    asyncio.run(_script(spare_database, BETTER_AUTH_SCHEMA.read_text()))
    asyncio.run(_alembic(spare_database, lambda c: command.upgrade(runner.config(c), "0002")))
    columns = '"userId", title, completed, priority, "allDay", version, "createdAt", "updatedAt"'
    sql(
        spare_database,
        'INSERT INTO "user" (id, name, email, "emailVerified") '
        "VALUES ('u1', 'U', 'u@x.io', false)",
        f"INSERT INTO task ({columns}, recurrence) VALUES "
        "('u1', 'plain', false, 'low', false, 1, now(), now(), 'null'), "
        "('u1', 'weekly', false, 'low', false, 1, now(), now(), "
        """'{"frequency": "weekly", "interval": 1}'), """
        "('u1', 'never set', false, 'low', false, 1, now(), now(), NULL)",
    )

    started = python(spare_database, "-c", START_UP)
    assert started.returncode == 0, started.stderr

    (rows,) = sql(
        spare_database,
        "SELECT title, recurrence IS NULL AS absent, recurrence::text AS rule FROM task",
    )
    by_title = {row["title"]: (row["absent"], row["rule"]) for row in rows}
    assert by_title["plain"] == (True, None)
    assert by_title["never set"] == (True, None)
    assert by_title["weekly"][0] is False and '"weekly"' in by_title["weekly"][1]


def test_a_new_database_is_migrated_to_exactly_the_models(spare_database) -> None:
    started = python(spare_database, "-c", START_UP)
    assert started.returncode == 0, started.stderr
    [version] = sql(spare_database, "SELECT version_num FROM alembic_version")
    assert version == [{"version_num": HEAD}]
    asyncio.run(_alembic(spare_database, models_fit_exactly))


def test_a_warm_start_costs_one_statement(scratch_database) -> None:
    from shared.database import ensure_schema, forget_schema_checks, get_engine

    statements: list[tuple[str, str | None]] = []

    def record(connection: Connection, cursor: Any, statement: str, *rest: Any) -> None:
        statements.append((statement, connection.get_execution_options().get("isolation_level")))

    async def start() -> None:
        event.listen(get_engine().sync_engine, "before_cursor_execute", record)
        forget_schema_checks()  # as if this were a new process
        await ensure_schema()

    run_db(start)
    # One SELECT, in autocommit: no BEGIN and no COMMIT around it.
    assert statements == [('SELECT "fingerprint" FROM "schemaFingerprint"', "AUTOCOMMIT")]


def test_a_stale_fingerprint_means_a_full_check(spare_database) -> None:
    assert python(spare_database, "-c", START_UP).returncode == 0
    # A hand-made change is not noticed while the fingerprint says the schema was checked...
    sql(spare_database, 'ALTER TABLE task DROP COLUMN "deletedAt"')
    assert python(spare_database, "-c", START_UP).returncode == 0
    # ...but new code (another fingerprint) and `upgrade` check everything again.
    upgraded = python(spare_database, "-m", "shared.migrations", "upgrade")
    assert upgraded.returncode == 1
    assert "task.deletedAt: missing" in upgraded.stderr
    sql(spare_database, "UPDATE \"schemaFingerprint\" SET fingerprint = 'older code'")
    started = python(spare_database, "-c", START_UP)
    assert started.returncode != 0 and "task.deletedAt: missing" in started.stderr


def test_the_command_line_shows_undoes_and_applies(spare_database) -> None:
    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return python(spare_database, "-m", "shared.migrations", *args)

    assert "no revision yet" in cli("current").stdout
    applied = cli("upgrade")
    assert applied.returncode == 0, applied.stderr
    assert f"is at {HEAD} (head)" in applied.stdout
    history = cli("history").stdout.splitlines()
    assert history[0].startswith("0001  The first release")
    assert history[-1].startswith(HEAD) and history[-1].endswith("<- database")

    refused = cli("downgrade", "0001")
    assert refused.returncode != 0 and "--yes" in refused.stderr
    assert cli("downgrade", "base", "--yes").returncode != 0
    [version] = sql(spare_database, "SELECT version_num FROM alembic_version")
    assert version == [{"version_num": HEAD}]

    undone = cli("downgrade", "0001", "--yes")
    assert undone.returncode == 0, undone.stderr
    [columns] = sql(
        spare_database,
        "SELECT column_name FROM information_schema.columns WHERE table_name = 'task'",
    )
    assert "version" not in {c["column_name"] for c in columns}
    assert "database is at revision 0001" in cli("current").stdout
    # Rows written at 0001 survive the next start, which upgrades again.
    asyncio.run(_first_release_rows(spare_database))
    assert python(spare_database, "-c", START_UP).returncode == 0
    [titles] = sql(spare_database, "SELECT title FROM task ORDER BY id")
    assert [t["title"] for t in titles] == ["Water the plants", "Pay rent", "Write the report"]


def test_a_new_column_becomes_a_revision_that_applies(tmp_path: Path) -> None:
    """The README's steps on a copy of the code: change a model, write the revision, apply it."""
    copy = tmp_path / "code"
    shutil.copytree(REPO / "shared", copy / "shared", ignore=shutil.ignore_patterns("__pycache__"))
    models = copy / "shared" / "models" / "todo.py"
    color = '    color: Mapped[str | None] = mapped_column("color", String(7))\n'
    icon = '    icon: Mapped[str | None] = mapped_column("icon", String(20))\n'
    assert color in models.read_text()
    models.write_text(models.read_text().replace(color, color + icon, 1))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "BETTER_AUTH"))}
    env.update({"PYTHONPATH": str(copy), "SQLITE_PATH": str(tmp_path / "dev.sqlite3")})

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "shared.migrations", *args],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )

    written = cli("revision", "-m", "category icon")
    assert written.returncode == 0, written.stderr
    number = f"{int(HEAD) + 1:04d}"
    revision = copy / "shared" / "migrations" / "versions" / f"v{number}_category_icon.py"
    source = revision.read_text()
    assert f'revision = "{number}"' in source and f'down_revision: str | None = "{HEAD}"' in source
    assert "batch_op.add_column(sa.Column('icon', sa.String(length=20), nullable=True))" in source
    assert "batch_op.drop_column('icon')" in source

    applied = cli("upgrade")
    assert applied.returncode == 0, applied.stderr
    assert f"is at {number} (head), fits the models" in applied.stdout

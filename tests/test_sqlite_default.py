"""The embedded default: no DATABASE_URL, no secret. A newcomer's first run, end to end.

Runs the real commands a newcomer would (the user CLI and `python -m functions.app`) in
subprocesses with an environment that has no database settings, and talks HTTP to the server.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from alembic import command
from service_process import ServiceProcess, create_user, env_without_settings
from sqlalchemy import Connection, text
from sqlalchemy.ext.asyncio import create_async_engine

from shared.migrations import runner
from shared.migrations.ownership import BETTER_AUTH_TABLES
from shared.models import Base

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def embedded_env(tmp_path: Path) -> dict[str, str]:
    return env_without_settings(tmp_path / "todo.sqlite3")


def _start(env: dict[str, str], log: Path) -> ServiceProcess:
    """The server as a newcomer starts it: `python -m functions.app`."""
    server = ServiceProcess([sys.executable, "-m", "functions.app"], env, log)
    server.wait_healthy()
    return server


@pytest.fixture
def server(embedded_env: dict[str, str], tmp_path: Path) -> Iterator[ServiceProcess]:
    running = _start(embedded_env, tmp_path / "server.log")
    yield running
    running.stop()


def test_a_newcomer_runs_everything_on_the_embedded_default(embedded_env, tmp_path) -> None:
    ada = create_user(embedded_env, "ada@example.com", "ada@example.com")
    grace = create_user(embedded_env, "grace@example.com", "grace@example.com")
    server = _start(embedded_env, tmp_path / "server.log")
    try:
        log = (tmp_path / "server.log").read_text()
        assert "embedded SQLite" in log
        with httpx.Client(base_url=server.url) as client:
            as_ada = {"Authorization": f"Bearer {ada['bearer']}"}
            me = client.get("/api/me", headers=as_ada).json()
            assert me["email"] == "ada@example.com"
            assert client.get("/api/me", headers={"Cookie": ada["cookie"]}).json()["id"] == me["id"]

            category = client.post("/api/me/categories", json={"name": "Home"}, headers=as_ada)
            assert category.status_code == 201
            assert (
                client.post("/api/me/categories", json={"name": "HOME"}, headers=as_ada).status_code
                == 409
            )
            created = client.post(
                "/api/me/tasks",
                json={
                    "title": "Water the plants",
                    "dueDate": "2026-03-05T09:00:00+01:00",
                    "categoryId": category.json()["id"],
                    "tags": ["garden"],
                },
                headers=as_ada,
            )
            assert created.status_code == 201, created.text
            task = created.json()
            item = f"/api/me/tasks/{task['id']}"
            assert client.patch(item + "/complete", headers=as_ada).json()["completed"] is True
            listed = client.get(
                "/api/me/tasks?status=completed&sort=dueDate", headers=as_ada
            ).json()
            assert [t["id"] for t in listed["items"]] == [task["id"]]
            assert (
                client.get("/api/me/tasks?q=PLANTS", headers=as_ada).json()["items"][0]["id"]
                == task["id"]
            )

            chat = client.post(
                "/api/me/chat", json={"message": "add call the bank tomorrow"}, headers=as_ada
            )
            assert chat.status_code == 200 and chat.json()["toolCalls"][0]["tool"] == "add_task"

            as_grace = {"Authorization": f"Bearer {grace['bearer']}"}
            assert client.get(f"/api/{me['id']}/tasks", headers=as_grace).status_code == 403
            assert client.get(f"/api/me/tasks/{task['id']}", headers=as_grace).status_code == 404
            assert client.get("/api/me/tasks", headers=as_grace).json()["items"] == []
    finally:
        server.stop()

    # A restart keeps the data and the generated secret, so the same credentials still work.
    restarted = _start(embedded_env, tmp_path / "server2.log")
    try:
        with httpx.Client(base_url=restarted.url) as client:
            titles = {
                t["title"] for t in client.get("/api/me/tasks", headers=as_ada).json()["items"]
            }
        assert titles == {"Water the plants", "call the bank"}
    finally:
        restarted.stop()
    secret_file = Path(embedded_env["SQLITE_PATH"] + ".secret")
    assert secret_file.exists() and oct(secret_file.stat().st_mode & 0o777) == "0o600"


def test_bad_input_on_the_embedded_default(server: ServiceProcess, embedded_env) -> None:
    user = create_user(embedded_env, "lin@example.com", "lin@example.com")
    headers = {"Authorization": f"Bearer {user['bearer']}"}
    with httpx.Client(base_url=server.url) as client:
        assert client.get("/api/me/tasks").status_code == 401
        bad = client.post(
            "/api/me/tasks", content=b"{", headers={**headers, "Content-Type": "application/json"}
        )
        assert bad.status_code == 400 and bad.json()["error"]["code"] == "bad_request"
        assert client.get("/api/me/tasks?limit=0", headers=headers).status_code == 422
        assert client.get("/api/me/tasks/99", headers=headers).status_code == 404


# SQLite cannot reflect the lower(name) indexes, so autogenerate says it does not compare them.
@pytest.mark.filterwarnings("ignore:.*expression-based index")
def test_a_first_release_sqlite_database_upgrades_with_nothing_lost(embedded_env) -> None:
    url = f"sqlite+aiosqlite:///{embedded_env['SQLITE_PATH']}"
    rows = [
        'INSERT INTO "user" (id, name, email, "emailVerified", "createdAt", "updatedAt")'
        " VALUES ('u1', 'Ada', 'ada@example.com', 1, '2025-06-01 08:30:00', '2025-06-01 08:30:00')",
        'INSERT INTO category ("userId", name, color, "createdAt", "updatedAt")'
        " VALUES ('u1', 'Home', '#00ff00', '2025-06-01 08:30:00', '2025-06-01 08:30:00')",
        'INSERT INTO task ("userId", title, description, completed, priority, "dueDate",'
        ' "categoryId", "createdAt", "updatedAt") VALUES (\'u1\', \'Water the plants\','
        " 'the balcony too', 0, 'high', '2025-06-02 09:00:00', 1, '2025-06-01 08:30:00',"
        " '2025-06-01 08:30:00')",
    ]

    def first_release(connection: Connection) -> None:
        auth = [t for t in Base.metadata.sorted_tables if t.name in BETTER_AUTH_TABLES]
        Base.metadata.create_all(connection, tables=auth)
        command.upgrade(runner.config(connection), "0001")
        connection.execute(text("DROP TABLE alembic_version"))  # the first release kept none
        for row in rows:
            connection.execute(text(row))

    def inspect_upgraded(connection: Connection) -> tuple[Any, ...]:
        command.check(runner.config(connection))  # exactly what the models describe
        return (
            connection.execute(text("SELECT version_num FROM alembic_version")).scalar(),
            connection.execute(
                text(
                    'SELECT title, description, completed, priority, "dueDate", "categoryId",'
                    ' "allDay", version, "deletedAt" FROM task'
                )
            ).all(),
            connection.execute(text("SELECT name, color FROM category")).all(),
        )

    async def run(work: Any) -> Any:
        engine = create_async_engine(url)
        try:
            async with engine.begin() as connection:
                return await connection.run_sync(work)
        finally:
            await engine.dispose()

    asyncio.run(run(first_release))
    upgraded = subprocess.run(
        [sys.executable, "-m", "shared.migrations", "upgrade"],
        cwd=REPO,
        env=embedded_env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert upgraded.returncode == 0, upgraded.stderr
    assert "was at revision None, is at" in upgraded.stdout
    version, tasks, categories = asyncio.run(run(inspect_upgraded))
    assert version == runner.head()
    assert [tuple(t) for t in tasks] == [
        ("Water the plants", "the balcony too", 0, "high", "2025-06-02 09:00:00", 1, 0, 1, None)
    ]
    assert [tuple(c) for c in categories] == [("Home", "#00ff00")]

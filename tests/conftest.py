"""Shared fixtures: a scratch PostgreSQL database per run, Better Auth's vectors, a live server.

The environment is set before any application module is imported, because the apps read their
settings when they are built.

Only tests that use PostgreSQL (the `postgres_server` fixture, usually through
`scratch_database`, `ada`, `grace`, `live_server`, `http` or `lambda_context`) are marked
`postgres`; the run checks the server once before any of them starts, and
`pytest -m "not postgres"` runs the rest alone.
"""

from __future__ import annotations

import asyncio
import json
import os
import socket
import threading
import time
import uuid
from collections.abc import Awaitable, Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import httpx
import pytest

TESTS = Path(__file__).resolve().parent
# Produced by the real better-auth library; tests/better_auth/README.md says how.
VECTORS_PATH = TESTS / "better_auth" / "vectors.json"
VECTORS: dict[str, Any] = json.loads(VECTORS_PATH.read_text())
BETTER_AUTH_SCHEMA = TESTS / "better_auth" / "schema.sql"
EVENTS = TESTS / "events"

ADMIN_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
SCRATCH_DB = f"ironclad_test_{os.getpid()}_{uuid.uuid4().hex[:8]}"
SCRATCH_URL = ADMIN_URL.rsplit("/", 1)[0] + "/" + SCRATCH_DB

# Between the vectors' creation (02:53) and their JWTs' expiry (15 minutes later).
FROZEN_NOW = datetime(2026, 11, 22, 2, 55, tzinfo=UTC)
DASHBOARD_ORIGIN = "http://localhost:3000"

os.environ.update(
    {
        "DATABASE_URL": SCRATCH_URL,
        "BETTER_AUTH_SECRET": VECTORS["secret"],
        "BETTER_AUTH_URL": VECTORS["baseURL"],
        "CORS_ORIGINS": DASHBOARD_ORIGIN,
    }
)

T = TypeVar("T")


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test that uses PostgreSQL, before `-m` selects by marker."""
    for item in items:
        if "postgres_server" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.postgres)


def _redacted(url: str) -> str:
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return urlunsplit(parts._replace(netloc=netloc))


def pytest_collection_finish(session: pytest.Session) -> None:
    """Check PostgreSQL once, before the first test that needs it, and stop with one clear line."""
    if not any(item.get_closest_marker("postgres") for item in session.items):
        return

    async def probe() -> None:
        connection = await asyncpg.connect(ADMIN_URL, timeout=5)
        await connection.close()

    try:
        asyncio.run(probe())
    except (OSError, ValueError, asyncpg.PostgresError, asyncpg.InterfaceError) as error:
        reason = str(error) or type(error).__name__
        pytest.exit(
            f"PostgreSQL is not reachable at {_redacted(ADMIN_URL)} ({reason}). Start PostgreSQL "
            "there (user postgres, trust auth), or set TEST_POSTGRES_URL to a server that is "
            'running, or run only the tests that need no database: pytest -m "not postgres"'
        )


def run_db(work: Callable[[], Awaitable[T]]) -> T:
    """Run async database work on a short-lived loop, closing that loop's engine afterwards."""
    from shared.database import dispose_engine

    async def wrapper() -> T:
        try:
            return await work()
        finally:
            await dispose_engine()

    return asyncio.run(wrapper())


def _parse_time(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value)


def _insert_vector_rows() -> None:
    from shared.database import ensure_schema, session_scope
    from shared.models import Account, Jwks, Session, User

    rows = VECTORS["rows"]
    mapping = [
        (User, rows["user"]),
        (Session, rows["session"]),
        (Account, rows["account"]),
        (Jwks, rows["jwks"]),
    ]

    async def insert() -> None:
        await ensure_schema()
        async with session_scope() as db:
            for model, items in mapping:
                for item in items:
                    values = {}
                    for column in model.__table__.columns:
                        attribute = model.__mapper__.get_property_by_column(column).key
                        value = item[column.name]
                        if column.name.endswith("At") and isinstance(value, str):
                            value = _parse_time(value)
                        values[attribute] = value
                    db.add(model(**values))
                # No ORM relationships link these models, so flush in dependency order.
                await db.flush()

    run_db(insert)


@pytest.fixture(scope="session")
def postgres_server() -> str:
    """The admin URL of the PostgreSQL server the tests use (checked once at the start)."""
    return ADMIN_URL


@pytest.fixture(scope="session")
def scratch_database(postgres_server: str) -> Iterator[str]:
    """Create this run's database, fill it with the vectors' rows, drop it at the end."""

    async def create() -> None:
        connection = await asyncpg.connect(ADMIN_URL)
        try:
            await connection.execute(f'CREATE DATABASE "{SCRATCH_DB}"')
        finally:
            await connection.close()

    async def drop() -> None:
        connection = await asyncpg.connect(ADMIN_URL)
        try:
            await connection.execute(f'DROP DATABASE IF EXISTS "{SCRATCH_DB}" WITH (FORCE)')
        finally:
            await connection.close()

    asyncio.run(create())
    from shared import clock

    clock.freeze(FROZEN_NOW)
    try:
        _insert_vector_rows()
        yield SCRATCH_URL
    finally:
        clock.freeze(None)
        asyncio.run(drop())


def database_url(name: str) -> str:
    """The URL of database `name` on the test server."""
    return ADMIN_URL.rsplit("/", 1)[0] + "/" + name


@pytest.fixture
def spare_database(postgres_server: str) -> Iterator[str]:
    """An empty database of its own on the test server (its name), dropped afterwards."""
    name = f"ironclad_spare_{uuid.uuid4().hex[:10]}"

    async def admin(sql: str) -> None:
        connection = await asyncpg.connect(postgres_server)
        try:
            await connection.execute(sql)
        finally:
            await connection.close()

    asyncio.run(admin(f'CREATE DATABASE "{name}"'))
    yield name
    asyncio.run(admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture(autouse=True)
def frozen_clock() -> Iterator[None]:
    """Every test starts at FROZEN_NOW, whatever an earlier test did to the clock."""
    from shared import clock

    clock.freeze(FROZEN_NOW)
    yield
    clock.freeze(FROZEN_NOW)


class LiveServer:
    """The composed app served by uvicorn on a loopback port, in a thread of this process."""

    def __init__(self) -> None:
        import uvicorn

        from functions.app import create_container_app

        self.socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.socket.bind(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.socket.getsockname()[1]}"
        config = uvicorn.Config(create_container_app(), log_level="warning", lifespan="on")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.socket]})

    def start(self) -> None:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the test server did not start")
            time.sleep(0.02)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=20)
        self.socket.close()


@pytest.fixture(scope="session")
def live_server(scratch_database: str) -> Iterator[LiveServer]:
    server = LiveServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def http(live_server: LiveServer) -> Iterator[httpx.Client]:
    """A plain HTTP client for the live server (add credentials per request)."""
    with httpx.Client(base_url=live_server.url, timeout=30) as client:
        yield client


class Person:
    """One of the vectors' users, with every credential Better Auth issued them."""

    def __init__(self, vector: dict[str, Any]) -> None:
        self.id: str = vector["user"]["id"]
        self.email: str = vector["user"]["email"]
        self.bearer: str = vector["bearer"]
        self.session_token: str = vector["sessionToken"]
        self.cookie: str = f"{vector['cookieName']}={vector['cookieValue']}"
        self.jwt: str = vector["jwtToken"]
        self.password: str = vector["password"]

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.bearer}"}

    def url(self, path: str) -> str:
        return f"/api/{self.id}{path}"


# The people's rows live in the scratch database, so using them means using the database.
@pytest.fixture(scope="session")
def ada(scratch_database: str) -> Person:
    return Person(VECTORS["users"][0])


@pytest.fixture(scope="session")
def grace(scratch_database: str) -> Person:
    return Person(VECTORS["users"][1])


def lambda_event(
    method: str,
    path: str,
    *,
    headers: dict[str, str] | None = None,
    body: Any = None,
    query: str = "",
) -> dict[str, Any]:
    """An API Gateway HTTP API (payload v2) event, from the recorded template."""
    event: dict[str, Any] = json.loads((EVENTS / "http_api_v2_template.json").read_text())
    event["rawPath"] = path
    event["rawQueryString"] = query
    event["routeKey"] = f"{method} {path}"
    event["requestContext"]["http"]["method"] = method
    event["requestContext"]["http"]["path"] = path
    event["requestContext"]["requestId"] = uuid.uuid4().hex
    lowered = {k.lower(): v for k, v in (headers or {}).items()}
    cookie = lowered.pop("cookie", None)
    event["headers"].update(lowered)
    if cookie:
        event["cookies"] = [c.strip() for c in cookie.split(";")]
    if body is not None:
        event["body"] = body if isinstance(body, str) else json.dumps(body)
        event["headers"].setdefault("content-type", "application/json")
    return event


class LambdaContext:
    """The attributes of a Lambda context object that anything here reads."""

    function_name = "ironclad-todo-test"
    aws_request_id = "test"
    memory_limit_in_mb = 512

    def get_remaining_time_in_millis(self) -> int:
        return 30_000


@pytest.fixture(scope="session")
def lambda_context(scratch_database: str) -> LambdaContext:
    """A context for invoking a function's handler, which reads the scratch database."""
    return LambdaContext()

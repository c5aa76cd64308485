"""The database engine (one per process and event loop), the connection a request works on,
and start-up schema verification."""

from __future__ import annotations

import asyncio
import logging
import weakref
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from sqlalchemy import Connection, Executable, Label, Result, event, inspect, text
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import (
    AsyncConnection,
    AsyncEngine,
    AsyncSession,
    create_async_engine,
)
from sqlalchemy.pool import ConnectionPoolEntry, NullPool
from starlette.types import ASGIApp, Receive, Scope, Send

from shared.config import Settings, get_settings
from shared.migrations import SchemaMismatchError as SchemaMismatchError  # callers catch it here
from shared.migrations import bring_up_to_date, schema_is_current
from shared.models import Base
from shared.prepared import ConnectionLostError

logger = logging.getLogger("ironclad.database")

# How long a SQLite writer waits for another's transaction to end before giving up.
SQLITE_BUSY_TIMEOUT_SECONDS = 30.0
# Set on a SQLite connection while it serves autocommit reads: no BEGIN IMMEDIATE for them.
_SQLITE_READING = "ironclad_reading"

T = TypeVar("T")


def normalise_database_url(url: str) -> tuple[str, dict[str, Any]]:
    """Turn a `postgres://`, `postgresql://` or `postgresql+asyncpg://` URL into an asyncpg URL.

    libpq keywords such as Neon's `sslmode=require` and `channel_binding=require` make asyncpg
    raise, so they are removed from the query string and returned as connect arguments instead.
    """
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme in {"postgres", "postgresql", "postgresql+asyncpg"}:
        scheme = "postgresql+asyncpg"
    elif not scheme.startswith("sqlite"):
        raise ValueError(f"unsupported DATABASE_URL scheme {parts.scheme!r}")
    connect_args: dict[str, Any] = {}
    kept: list[tuple[str, str]] = []
    for key, value in parse_qsl(parts.query, keep_blank_values=True):
        if key == "sslmode":
            if value in {"require", "verify-ca", "verify-full", "prefer"}:
                connect_args["ssl"] = "require" if value == "prefer" else value
            elif value == "disable":
                connect_args["ssl"] = False
        elif key in {"channel_binding", "options", "application_name", "connect_timeout"}:
            # asyncpg negotiates SCRAM channel binding itself and has no such keyword.
            if key == "connect_timeout" and value:
                connect_args["timeout"] = float(value)
        else:
            kept.append((key, value))
    return urlunsplit((scheme, parts.netloc, parts.path, urlencode(kept), "")), connect_args


def _build_sqlite_engine(settings: Settings) -> AsyncEngine:
    """The embedded database, with writers serialised as PostgreSQL's row locks would.

    SQLite ignores SELECT ... FOR UPDATE, so two writers could both read a row's version and
    both write. Every write transaction starts with BEGIN IMMEDIATE instead, which takes the
    database's write lock up front (waiting up to the busy timeout for it): the second writer
    reads only after the first has committed. This is SQLAlchemy's documented recipe for
    taking over BEGIN from the driver; reads in autocommit take no lock at all.
    """
    settings.sqlite_path.parent.mkdir(parents=True, exist_ok=True)
    engine = create_async_engine(
        f"sqlite+aiosqlite:///{settings.sqlite_path}",
        connect_args={"timeout": SQLITE_BUSY_TIMEOUT_SECONDS},
    )

    @event.listens_for(engine.sync_engine, "connect")
    def _driver_begins_nothing(dbapi_connection: DBAPIConnection, _: ConnectionPoolEntry) -> None:
        dbapi_connection.isolation_level = None  # type: ignore[attr-defined]

    @event.listens_for(engine.sync_engine, "begin")
    def _begin_immediate(connection: Connection) -> None:
        if not connection.get_execution_options().get(_SQLITE_READING):
            connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def _build_engine(settings: Settings) -> AsyncEngine:
    if settings.database_url is None:
        return _build_sqlite_engine(settings)
    url, connect_args = normalise_database_url(settings.database_url)
    # No pool_pre_ping: it costs a round trip (BEGIN; SELECT; ROLLBACK) on every checkout. A
    # dead pooled connection shows itself by failing the request's first statement instead,
    # and run_read() retries that once on a fresh connection.
    kwargs: dict[str, Any]
    if settings.database_nullpool:
        # PgBouncer in transaction mode (Neon's pooled endpoint) and Lambda: no pool of our own,
        # and no prepared-statement caches, which a transaction pooler would mix between clients.
        connect_args.update({"statement_cache_size": 0, "prepared_statement_cache_size": 0})
        kwargs = {"poolclass": NullPool}
    else:
        kwargs = {"pool_size": settings.database_pool_size, "max_overflow": 0}
    connect_args.setdefault("timeout", 10)
    return create_async_engine(url, connect_args=connect_args, **kwargs)


# asyncpg connections belong to the loop that opened them; Mangum and the tests may run
# handlers on more than one loop in one process, so the cache is keyed by loop.
_engines: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, AsyncEngine] = (
    weakref.WeakKeyDictionary()
)
_verified_urls: set[str] = set()


def get_engine() -> AsyncEngine:
    """The engine for the running event loop, created on first use."""
    loop = asyncio.get_running_loop()
    engine = _engines.get(loop)
    if engine is None:
        settings = get_settings()
        engine = _build_engine(settings)
        _engines[loop] = engine
        if settings.uses_embedded_database:
            logger.warning(
                "DATABASE_URL is not set: using the embedded SQLite database at %s",
                settings.sqlite_path,
            )
    return engine


async def dispose_engine() -> None:
    """Close the running loop's engine (at shutdown, or to simulate a restart in tests)."""
    engine = _engines.pop(asyncio.get_running_loop(), None)
    if engine is not None:
        await engine.dispose()


def forget_schema_checks() -> None:
    """Make the next ensure_schema() check again (tests simulating a fresh process)."""
    _verified_urls.clear()


@dataclass
class _RequestConnection:
    """The connection a request's credential lookup and work share, taken on first use."""

    loop: asyncio.AbstractEventLoop
    connection: AsyncConnection | None = None
    # Whether the connection is set up for autocommit reads (None: not set up yet), so that a
    # request's second scope of the same kind does not set it again.
    reading: bool | None = None

    async def release(self) -> None:
        if self.connection is not None:
            connection, self.connection, self.reading = self.connection, None, None
            await connection.close()


_request_connection: ContextVar[_RequestConnection | None] = ContextVar(
    "ironclad_request_connection", default=None
)


class ConnectionPerRequestMiddleware:
    """Gives each HTTP request one database connection, returned to the pool when it ends.

    A request then checks out a connection once, and its credential lookup and its work run
    on the same one: no second checkout, and a dead connection is found (and replaced) by the
    first statement rather than by a ping before every use.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        holder = _RequestConnection(asyncio.get_running_loop())
        token = _request_connection.set(holder)
        try:
            await self.app(scope, receive, send)
        finally:
            _request_connection.reset(token)
            await holder.release()


def _request_holder() -> _RequestConnection | None:
    # Work handed to another thread's event loop inherits the context, not the connection:
    # asyncpg connections belong to the loop that opened them.
    holder = _request_connection.get()
    if holder is None or holder.loop is not asyncio.get_running_loop():
        return None
    return holder


@asynccontextmanager
async def _connection(*, reading: bool) -> AsyncIterator[AsyncConnection]:
    """The request's connection (or, outside a request, a pooled one), in autocommit when
    `reading`, else ready for a transaction of its own."""
    holder = _request_holder()
    if holder is None or (holder.connection is not None and holder.connection.in_transaction()):
        # Outside a request, or nested inside a transaction that is still open: a connection
        # of its own, so neither commits the other's work.
        async with get_engine().connect() as connection:
            await _set_reading(connection, reading)
            yield connection
        return
    if holder.connection is None:
        holder.connection = await get_engine().connect()
    connection = holder.connection
    if holder.reading is not reading:
        await _set_reading(connection, reading)
        holder.reading = reading
    try:
        yield connection
    finally:
        if reading and connection.in_transaction():
            # A Core execute begins a transaction in SQLAlchemy's bookkeeping even in
            # autocommit mode (nothing is sent); end it, so the next scope of this request
            # finds the connection free rather than taking a second one.
            await connection.rollback()


async def _set_reading(connection: AsyncConnection, reading: bool) -> None:
    if connection.dialect.name == "sqlite":
        await connection.execution_options(**{_SQLITE_READING: reading})
    else:
        # Only a flag in the driver: asyncpg sends BEGIN itself when a transaction starts.
        level = "AUTOCOMMIT" if reading else connection.default_isolation_level
        await connection.execution_options(isolation_level=level)


@asynccontextmanager
async def session_scope() -> AsyncIterator[AsyncSession]:
    """A session in one transaction: committed on success, rolled back on any error."""
    async with (
        _connection(reading=False) as connection,
        AsyncSession(bind=connection, expire_on_commit=False) as session,
        session.begin(),
    ):
        yield session


def attribute_columns(model: type[Base]) -> tuple[Label[Any], ...]:
    """A model's columns for a Core select, each labelled with its attribute name.

    Rows then read like the model (`row.user_id`, not `row.userId`) without an ORM object per
    row: for reads, the identity map and change tracking would be work for nothing.
    """
    return tuple(
        getattr(model, prop.key).label(prop.key) for prop in inspect(model).column_attrs
    )


# Read-only services take either: Core selects run the same on a connection and in a session
# (so does a one-statement write, such as a plain create).
Reader = AsyncSession | AsyncConnection


async def connection_of(db: Reader) -> AsyncConnection:
    """The connection a session or connection runs its statements on."""
    return db if isinstance(db, AsyncConnection) else await db.connection()


async def execute(db: Reader, statement: Executable) -> Result[*tuple[Any, ...]]:
    """Run a Core statement on the connection itself, even when given a session.

    A session's execute goes through the ORM's machinery (compile state, loading, events),
    which for a select of plain columns costs more than the statement's round trip.
    """
    return await (await connection_of(db)).execute(statement)


@asynccontextmanager
async def read_connection() -> AsyncIterator[AsyncConnection]:
    """The request's connection in autocommit mode, for reads written as Core selects (and for
    a write that is one statement, atomic alone: Operation.one_statement).

    One SELECT needs no transaction of its own; skipping BEGIN and COMMIT saves two round
    trips. Without a session there is no ORM work either: a statement costs a third of what it
    costs through AsyncSession.execute.
    """
    async with _connection(reading=True) as connection:
        yield connection


async def run_read(work: Callable[[AsyncConnection], Awaitable[T]]) -> T:
    """Run a read on read_connection(); when its connection turns out to be dead, once more on
    a fresh one.

    A pooled connection can die while it sits idle (the database restarted, a proxy timed it
    out). SQLAlchemy recognises the driver's disconnect error and invalidates the connection
    and the pool's older ones; a read can safely run again, so the person never sees it.
    """
    try:
        async with read_connection() as connection:
            return await work(connection)
    except (DBAPIError, ConnectionLostError) as error:
        if isinstance(error, DBAPIError) and not error.connection_invalidated:
            raise
        logger.info("a pooled database connection was dead; reading again on a fresh one")
    holder = _request_holder()
    if holder is not None:
        await holder.release()
    async with read_connection() as connection:
        return await work(connection)


async def ensure_schema() -> None:
    """Migrate and verify the schema once per process and database (see shared/migrations).

    A warm database costs one SELECT of the stored schema fingerprint. Otherwise, under an
    advisory lock on PostgreSQL (processes starting at once migrate one after the other),
    pending revisions are applied, missing Better Auth tables created, and every mapped column
    checked. Raises SchemaMismatchError naming each `table.column` that does not fit.
    """
    engine = get_engine()
    key = str(engine.url)
    if key in _verified_urls:
        return
    if not await run_read(schema_is_current):
        await bring_up_to_date(engine)
    _verified_urls.add(key)


async def ping() -> None:
    """Run a trivial query; raises when the database cannot be reached."""

    async def select_one(connection: AsyncConnection) -> None:
        await connection.execute(text("SELECT 1"))

    await run_read(select_one)

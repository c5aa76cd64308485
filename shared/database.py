"""The database engine (one per process and event loop) and start-up schema verification."""

from __future__ import annotations

import asyncio
import logging
import weakref
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from sqlalchemy import Connection, inspect, text
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.pool import NullPool
from sqlalchemy.types import TypeEngine

from shared.config import Settings, get_settings
from shared.models import Base, UtcDateTime

logger = logging.getLogger("ironclad.database")

# Any 64-bit constant works; it only has to be the same in every process of this service.
SCHEMA_LOCK_ID = 0x1C0C1AD7


class SchemaMismatchError(RuntimeError):
    """An existing table lacks a mapped column, or has it with an incompatible type."""


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


def _build_engine(settings: Settings) -> AsyncEngine:
    if settings.database_url is None:
        settings.sqlite_path.parent.mkdir(parents=True, exist_ok=True)
        return create_async_engine(f"sqlite+aiosqlite:///{settings.sqlite_path}")
    url, connect_args = normalise_database_url(settings.database_url)
    kwargs: dict[str, Any] = {"pool_pre_ping": True}
    if settings.database_nullpool:
        # PgBouncer in transaction mode (Neon's pooled endpoint) and Lambda: no pool of our own,
        # and no prepared-statement caches, which a transaction pooler would mix between clients.
        connect_args.update({"statement_cache_size": 0, "prepared_statement_cache_size": 0})
        kwargs = {"poolclass": NullPool}
    else:
        kwargs.update({"pool_size": 5, "max_overflow": 5})
    connect_args.setdefault("timeout", 10)
    return create_async_engine(url, connect_args=connect_args, **kwargs)


# asyncpg connections belong to the loop that opened them; Mangum and the tests may run
# handlers on more than one loop in one process, so the cache is keyed by loop.
_engines: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, AsyncEngine] = (
    weakref.WeakKeyDictionary()
)
_session_makers: weakref.WeakKeyDictionary[AsyncEngine, async_sessionmaker[AsyncSession]] = (
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


@asynccontextmanager
async def session_scope() -> AsyncIterator[AsyncSession]:
    """A session in one transaction: committed on success, rolled back on any error."""
    engine = get_engine()
    maker = _session_makers.get(engine)
    if maker is None:
        maker = async_sessionmaker(engine, expire_on_commit=False)
        _session_makers[engine] = maker
    async with maker() as session, session.begin():
        yield session


@asynccontextmanager
async def read_scope() -> AsyncIterator[AsyncSession]:
    """A session for a single read, in autocommit mode.

    One SELECT needs no transaction of its own; skipping BEGIN and COMMIT saves two round
    trips on every authenticated request, which all start with the credential lookup.
    """
    async with get_engine().connect() as connection:
        await connection.execution_options(isolation_level="AUTOCOMMIT")
        async with AsyncSession(bind=connection, expire_on_commit=False) as session:
            yield session


def _type_family(column_type: TypeEngine[Any]) -> str:
    if isinstance(column_type, UtcDateTime):
        column_type = column_type.impl_instance
    try:
        python_type = column_type.python_type
    except NotImplementedError:
        return type(column_type).__name__.lower()
    return python_type.__name__


def _verify_and_create(connection: Connection) -> list[str]:
    """Check every mapped column of existing tables; create missing tables. Runs synchronously."""
    inspector = inspect(connection)
    existing = set(inspector.get_table_names())
    problems: list[str] = []
    for table in Base.metadata.sorted_tables:
        if table.name not in existing:
            continue
        found = {c["name"]: c for c in inspector.get_columns(table.name)}
        for column in table.columns:
            actual = found.get(column.name)
            if actual is None:
                problems.append(f"{table.name}.{column.name}: missing (found no such column)")
                continue
            want, have = _type_family(column.type), _type_family(actual["type"])
            if want != have:
                problems.append(
                    f"{table.name}.{column.name}: expected a {want} column, found {actual['type']}"
                )
            elif connection.dialect.name == "postgresql" and isinstance(column.type, UtcDateTime):
                if not getattr(actual["type"], "timezone", False):
                    problems.append(
                        f"{table.name}.{column.name}: expected timestamp with time zone, "
                        f"found {actual['type']} without time zone"
                    )
    if problems:
        return problems
    missing = [t for t in Base.metadata.sorted_tables if t.name not in existing]
    if missing:
        Base.metadata.create_all(connection, tables=missing)
        logger.info("created tables: %s", ", ".join(t.name for t in missing))
    return []


async def ensure_schema() -> None:
    """Verify the schema once per process and database; create what is missing, alter nothing.

    Raises SchemaMismatchError naming each `table.column` that does not fit. On PostgreSQL an
    advisory lock serialises processes starting at once, so only one creates the tables.
    """
    engine = get_engine()
    key = str(engine.url)
    if key in _verified_urls:
        return
    async with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            await connection.execute(
                text("SELECT pg_advisory_xact_lock(:id)"), {"id": SCHEMA_LOCK_ID}
            )
        problems = await connection.run_sync(_verify_and_create)
    if problems:
        raise SchemaMismatchError(
            "database schema does not match the models: " + "; ".join(problems)
        )
    _verified_urls.add(key)


async def ping() -> None:
    """Run a trivial query; raises when the database cannot be reached."""
    async with get_engine().connect() as connection:
        await connection.execute(text("SELECT 1"))

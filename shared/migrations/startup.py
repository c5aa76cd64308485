"""What start-up does to the schema: one SELECT when warm, else migrate and verify under a lock."""

from __future__ import annotations

import logging

from sqlalchemy import Connection, inspect, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from shared.migrations import fingerprint
from shared.migrations.ownership import BETTER_AUTH_TABLES
from shared.migrations.verify import SchemaMismatchError, column_problems, schema_problems
from shared.models import Base

logger = logging.getLogger("ironclad.migrations")

# Any 64-bit constant works; it only has to be the same in every process of this service.
SCHEMA_LOCK_ID = 0x1C0C1AD7


async def lock_schema(connection: AsyncConnection) -> None:
    """On PostgreSQL, wait for other processes' schema work; held until the transaction ends."""
    if connection.dialect.name == "postgresql":
        await connection.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": SCHEMA_LOCK_ID})


async def schema_is_current(db: AsyncConnection) -> bool:
    """One SELECT: is the stored fingerprint this code's? Run it in autocommit (run_read)."""
    try:
        stored = (await db.execute(fingerprint.READ)).scalar()
    except DBAPIError as error:
        if error.connection_invalidated:
            raise  # the database went away: not a question of the schema
        # No fingerprint table yet: a new database, or one from before migrations.
        return False
    return stored == fingerprint.expected()


def create_missing_better_auth_tables(connection: Connection) -> None:
    """Create Better Auth's tables where its own migration has not (embedded default, tests)."""
    existing = set(inspect(connection).get_table_names())
    missing = [
        table
        for table in Base.metadata.sorted_tables
        if table.name in BETTER_AUTH_TABLES and table.name not in existing
    ]
    if missing:
        Base.metadata.create_all(connection, tables=missing)
        logger.info("created Better Auth's tables: %s", ", ".join(t.name for t in missing))


def _raise_if_any(problems: list[str]) -> None:
    if problems:
        raise SchemaMismatchError(
            "database schema does not match the models: " + "; ".join(problems)
        )


def migrate_and_verify(connection: Connection, force: bool = False) -> None:
    """Bring the schema to the models, in the caller's transaction; raise if it does not fit.

    Better Auth's tables are created when missing and otherwise only verified; this service's
    tables are migrated to the newest revision. Raises SchemaMismatchError naming each
    `table.column` that does not fit, leaving the transaction for the caller to roll back.
    """
    expected = fingerprint.expected()
    if not force and fingerprint.stored(connection) == expected:
        return  # another process finished while this one waited for the lock
    # Better Auth's tables first: this service's tables refer to them, and a misfit there
    # should be named, not surface as a failed foreign key halfway through a migration.
    _raise_if_any(column_problems(connection, only=BETTER_AUTH_TABLES))
    create_missing_better_auth_tables(connection)
    # Imported here: Alembic costs ~0.2 s to import, and a warm start never needs it.
    from shared.migrations import runner

    runner.upgrade(connection)
    _raise_if_any(schema_problems(connection))
    fingerprint.store(connection, expected)


async def bring_up_to_date(engine: AsyncEngine, force: bool = False) -> None:
    """Migrate and verify the schema (callers first ask schema_is_current(), which is cheaper).

    On PostgreSQL an advisory lock serialises processes starting at once (on SQLite the write
    lock of the transaction does), so one migrates and the others find its fingerprint, unless
    `force`. Everything happens in one transaction: a failure leaves the database as it was.
    """
    async with engine.begin() as connection:
        await lock_schema(connection)
        await connection.run_sync(migrate_and_verify, force)

"""Statements built once and run on the driver: the reads every request makes.

SQLAlchemy builds, caches and runs a Core statement well, but each execution pays for it in
CPU: building the statement's objects, walking them for the compiled-cache key, its greenlet
bridge to the async driver, and a Row with type processing per row. For the one or two
statements a request sends, that was most of a request's CPU time (issue 8). A `Prepared`
statement is built once, with `bindparam()`s for its values, and compiled once per dialect:

- on PostgreSQL it runs on asyncpg's own connection, its parameters passed in order; asyncpg
  already returns what the models declare (aware UTC datetimes, JSON decoded by the codec
  SQLAlchemy registers on every connection), and `tests/shared/test_prepared.py` checks that
  its rows equal SQLAlchemy's, column by column;
- on SQLite (the embedded fallback) it runs through SQLAlchemy as any statement does.

Either way rows read like SQLAlchemy's: by attribute (`row.title`) and as `row._mapping`.
The statements stay Core selects of the mapped tables, so the models remain the one source of
truth for the schema.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import asyncpg
from sqlalchemy import Select
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncConnection


class ConnectionLostError(ConnectionError):
    """The database connection closed under a statement (the server restarted, a proxy cut
    it). It is an OSError, so it is answered with 503; shared.database retries reads once."""


class Record(asyncpg.Record):
    """An asyncpg row that also reads like a SQLAlchemy Row: `row.title`, `row._mapping`."""

    __slots__ = ()

    def __getattr__(self, name: str) -> Any:
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None

    @property
    def _mapping(self) -> dict[str, Any]:
        return dict(self.items())


@dataclass(frozen=True)
class Compiled:
    """A statement's SQL text for one dialect, the names of its parameters in positional
    order, and the values of those the statement itself holds (a literal such as the '' of
    coalesce(description, ''))."""

    sql: str
    names: tuple[str, ...]
    own_values: dict[str, Any]

    def arguments(self, params: Mapping[str, Any]) -> list[Any]:
        """The positional arguments; a parameter the statement names but neither holds nor
        is given is a KeyError, never a silent NULL."""
        return [params[name] if name in params else self.own_values[name] for name in self.names]


class Prepared:
    """A Core statement built once, its values named by `bindparam()`s, compiled once per
    dialect."""

    def __init__(self, statement: Select[*tuple[Any, ...]]) -> None:
        self.statement = statement
        self._compiled: dict[str, Compiled] = {}

    def compiled(self, dialect: Dialect) -> Compiled:
        """The statement compiled for `dialect`."""
        found = self._compiled.get(dialect.name)
        if found is None:
            compiled = self.statement.compile(dialect=dialect)
            required = {
                compiled.bind_names[bind] for bind in compiled.binds.values() if bind.required
            }
            own_values = {
                name: value for name, value in compiled.params.items() if name not in required
            }
            found = Compiled(compiled.string, tuple(compiled.positiontup or ()), own_values)
            self._compiled[dialect.name] = found
        return found


async def _driver(connection: AsyncConnection) -> asyncpg.Connection | None:
    """asyncpg's connection, when a statement may run on it directly: in autocommit, or inside
    a transaction the server has already begun. Otherwise (a write transaction SQLAlchemy has
    yet to begin) None, and SQLAlchemy runs the statement and sends the BEGIN first."""
    if connection.dialect.name != "postgresql":
        return None
    # The pooled connection is at hand without a trip through SQLAlchemy's greenlet bridge,
    # unless it was invalidated, when getting it means reconnecting (I/O).
    sync_connection = connection.sync_connection
    if sync_connection is not None and not sync_connection.invalidated:
        raw = sync_connection.connection
    else:
        raw = await connection.get_raw_connection()
    driver: asyncpg.Connection = raw.driver_connection
    if raw.dbapi_connection.autocommit or driver.is_in_transaction():  # type: ignore[union-attr]
        return driver
    return None


async def fetch_all(
    connection: AsyncConnection, prepared: Prepared, params: Mapping[str, Any]
) -> Sequence[Any]:
    """The rows `prepared` returns for `params` (every bindparam by name)."""
    driver = await _driver(connection)
    if driver is None:
        return (await connection.execute(prepared.statement, dict(params))).all()
    compiled = prepared.compiled(connection.dialect)
    try:
        return await driver.fetch(compiled.sql, *compiled.arguments(params), record_class=Record)
    except Exception as error:
        if driver.is_closed():
            # As SQLAlchemy does for its own statements: neither this connection nor the
            # pool's others, as old and after a restart as dead, is handed out again.
            await connection.invalidate(error)
            await connection.engine.dispose()
            raise ConnectionLostError(f"the database connection was lost: {error!r}") from error
        raise


async def fetch_first(
    connection: AsyncConnection, prepared: Prepared, params: Mapping[str, Any]
) -> Any | None:
    """The first row `prepared` returns for `params`, or None."""
    rows = await fetch_all(connection, prepared, params)
    return rows[0] if rows else None

"""A fingerprint of the schema the code expects, stored once the database has been checked.

A warm start compares it in one SELECT instead of inspecting every table: when the stored value
equals the code's, the database was migrated and verified for exactly these models and these
revisions. Any change to a model or a new revision changes the fingerprint, and the next start
migrates and verifies in full again. (A hand-made change to the database is not noticed until
then: run `python -m shared.migrations upgrade` after one.)
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

from sqlalchemy import Connection, inspect, text
from sqlalchemy.dialects import postgresql
from sqlalchemy.schema import CreateIndex, CreateTable

from shared.models import Base

TABLE = "schemaFingerprint"
VERSIONS = Path(__file__).resolve().parent / "versions"
READ = text(f'SELECT "fingerprint" FROM "{TABLE}"')


@cache
def expected() -> str:
    """sha256 of every model's DDL and every revision file's name (computed once, about 10 ms)."""
    dialect = postgresql.dialect()
    parts = sorted(p.name for p in VERSIONS.glob("v*.py"))
    for table in Base.metadata.sorted_tables:
        parts.append(str(CreateTable(table).compile(dialect=dialect)))
        for index in sorted(table.indexes, key=lambda i: i.name or ""):
            parts.append(str(CreateIndex(index).compile(dialect=dialect)))
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def stored(connection: Connection) -> str | None:
    """The fingerprint the last full check stored, or None.

    Looks before it reads: inside a PostgreSQL transaction a failed SELECT would abort the rest.
    """
    if not inspect(connection).has_table(TABLE):
        return None
    value: str | None = connection.execute(READ).scalar()
    return value


def store(connection: Connection, value: str | None) -> None:
    """Replace the stored fingerprint; None forgets it, so the next start checks in full."""
    connection.execute(text(f'CREATE TABLE IF NOT EXISTS "{TABLE}" ("fingerprint" text NOT NULL)'))
    connection.execute(text(f'DELETE FROM "{TABLE}"'))
    if value is not None:
        connection.execute(
            text(f'INSERT INTO "{TABLE}" ("fingerprint") VALUES (:value)'), {"value": value}
        )

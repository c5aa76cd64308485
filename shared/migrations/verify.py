"""Checks that the database has every mapped column with a fitting type."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from sqlalchemy import Connection, inspect
from sqlalchemy.types import TypeEngine

from shared.models import Base, UtcDateTime


class SchemaMismatchError(RuntimeError):
    """A table or a mapped column is missing, or a column has an incompatible type."""


def _type_family(column_type: TypeEngine[Any]) -> str:
    if isinstance(column_type, UtcDateTime):
        column_type = column_type.impl_instance
    try:
        python_type = column_type.python_type
    except NotImplementedError:
        return type(column_type).__name__.lower()
    return python_type.__name__


def column_problems(connection: Connection, only: Collection[str] | None = None) -> list[str]:
    """Each mapped column of an existing table (of `only` those) that is missing or mistyped.

    Each problem reads `table.column: why`.
    """
    inspector = inspect(connection)
    existing = set(inspector.get_table_names())
    problems: list[str] = []
    for table in Base.metadata.sorted_tables:
        if table.name not in existing or (only is not None and table.name not in only):
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
    return problems


def schema_problems(connection: Connection) -> list[str]:
    """column_problems(), plus every mapped table that does not exist."""
    existing = set(inspect(connection).get_table_names())
    missing = [
        f"{table.name}: missing table"
        for table in Base.metadata.sorted_tables
        if table.name not in existing
    ]
    return missing + column_problems(connection)

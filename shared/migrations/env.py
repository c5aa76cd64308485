"""Alembic's environment: runs on the connection the caller hands over, in its transaction.

Only this service's own tables are compared and migrated; Better Auth's tables and the schema
fingerprint are left alone (`include_object`).
"""

from __future__ import annotations

from typing import Any

from alembic import context
from sqlalchemy import Connection

from shared.migrations.ownership import is_migrated_table
from shared.models import Base


def _include_object(
    obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any
) -> bool:
    table = obj if type_ == "table" else getattr(obj, "table", None)
    table_name = name if type_ == "table" else getattr(table, "name", None)
    return table_name is None or is_migrated_table(table_name)


connection: Connection | None = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError(
        "run migrations with `python -m shared.migrations`, which opens the configured database"
    )
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    include_object=_include_object,
    # SQLite cannot alter a column in place; batch mode copies the table, on PostgreSQL it is
    # a plain ALTER TABLE.
    render_as_batch=True,
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()

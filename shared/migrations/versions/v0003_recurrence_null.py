"""A task without recurrence holds SQL NULL, not the JSON value null.

The column was written through SQLAlchemy's JSON type, which stores Python None as JSON `null`
unless told otherwise; every read then decoded that text. The model now stores NULL
(`JSON(none_as_null=True)`), and this revision turns the rows already written the same way.
Reads see None either way, so nothing else changes.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision: str | None = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # CAST(... AS TEXT) reads a json value's text on PostgreSQL and SQLite alike.
    op.execute(
        sa.text(
            'UPDATE task SET recurrence = NULL '
            "WHERE recurrence IS NOT NULL AND CAST(recurrence AS TEXT) = 'null'"
        )
    )


def downgrade() -> None:
    # NULL and JSON null read the same; there is nothing to undo.
    pass

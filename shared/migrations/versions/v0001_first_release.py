"""The first release: categories and tasks.

These are the tables the first release created (commit a1ab075, shipped with d174c87), column
for column, so that a database it created can be stamped at this revision and upgraded.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision: str | None = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "category",
        sa.Column("id", sa.Integer(), sa.Identity(), primary_key=True),
        sa.Column(
            "userId", sa.Text(), sa.ForeignKey("user.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("name", sa.String(50), nullable=False),
        sa.Column("color", sa.String(7), nullable=True),
        sa.Column("createdAt", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updatedAt", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_category_userId", "category", ["userId"])
    op.create_index(
        "category_userId_lower_name_key",
        "category",
        ["userId", sa.text('lower("name")')],
        unique=True,
    )
    op.create_table(
        "task",
        sa.Column("id", sa.Integer(), sa.Identity(), primary_key=True),
        sa.Column(
            "userId", sa.Text(), sa.ForeignKey("user.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("completed", sa.Boolean(), nullable=False),
        sa.Column("completedAt", sa.DateTime(timezone=True), nullable=True),
        sa.Column("priority", sa.String(10), nullable=False),
        sa.Column("dueDate", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "categoryId",
            sa.Integer(),
            sa.ForeignKey("category.id", ondelete="SET NULL"),
            nullable=True,
        ),
        sa.Column("createdAt", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updatedAt", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_task_categoryId", "task", ["categoryId"])
    op.create_index("task_userId_createdAt_idx", "task", ["userId", "createdAt"])


def downgrade() -> None:
    raise RuntimeError(
        "the first revision is not undone by a migration: it would drop every task and "
        "category; drop the tables by hand if that is really meant"
    )

"""Rich tasks, tags, idempotency keys and chat (the second release, commit 7d00038).

Tasks gain all-day dates, recurrence, reminders, versions (ETags) and tombstones; tags,
idempotency keys, conversations and messages get their tables. Existing tasks keep every value:
the new columns are empty, `allDay` false and `version` 1.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision: str | None = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # The defaults fill the rows that exist; they are dropped afterwards because the models set
    # both values themselves, and a fresh database has no defaults either.
    with op.batch_alter_table("task") as task:
        task.add_column(
            sa.Column("allDay", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        task.add_column(sa.Column("dueOffsetSeconds", sa.Integer(), nullable=True))
        task.add_column(sa.Column("recurrence", sa.JSON(), nullable=True))
        task.add_column(sa.Column("recurrenceDay", sa.SmallInteger(), nullable=True))
        task.add_column(sa.Column("nextTaskId", sa.Integer(), nullable=True))
        task.add_column(sa.Column("remindAt", sa.DateTime(timezone=True), nullable=True))
        task.add_column(
            sa.Column("reminderAcknowledgedAt", sa.DateTime(timezone=True), nullable=True)
        )
        task.add_column(
            sa.Column("version", sa.Integer(), nullable=False, server_default=sa.text("1"))
        )
        task.add_column(sa.Column("deletedAt", sa.DateTime(timezone=True), nullable=True))
        task.create_foreign_key(
            "task_nextTaskId_fkey", "task", ["nextTaskId"], ["id"], ondelete="SET NULL"
        )
        task.create_index("task_userId_updatedAt_idx", ["userId", "updatedAt"])
        task.create_index("task_userId_remindAt_idx", ["userId", "remindAt"])
    with op.batch_alter_table("task") as task:
        task.alter_column("allDay", server_default=None)
        task.alter_column("version", server_default=None)

    op.create_table(
        "taskTag",
        sa.Column("id", sa.Integer(), sa.Identity(), primary_key=True),
        sa.Column(
            "taskId", sa.Integer(), sa.ForeignKey("task.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column(
            "userId", sa.Text(), sa.ForeignKey("user.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("name", sa.String(50), nullable=False),
    )
    op.create_index(
        "taskTag_taskId_lower_name_key",
        "taskTag",
        ["taskId", sa.text('lower("name")')],
        unique=True,
    )
    op.create_index(
        "taskTag_userId_lower_name_idx", "taskTag", ["userId", sa.text('lower("name")')]
    )

    op.create_table(
        "idempotencyKey",
        sa.Column("id", sa.Integer(), sa.Identity(), primary_key=True),
        sa.Column(
            "userId", sa.Text(), sa.ForeignKey("user.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("key", sa.String(255), nullable=False),
        sa.Column("requestHash", sa.String(64), nullable=False),
        sa.Column("statusCode", sa.Integer(), nullable=True),
        sa.Column("responseBody", sa.Text(), nullable=True),
        sa.Column("responseHeaders", sa.JSON(), nullable=True),
        sa.Column("createdAt", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index(
        "idempotencyKey_userId_key_key", "idempotencyKey", ["userId", "key"], unique=True
    )

    op.create_table(
        "conversation",
        sa.Column("id", sa.Integer(), sa.Identity(), primary_key=True),
        sa.Column(
            "userId", sa.Text(), sa.ForeignKey("user.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("lastTaskId", sa.Integer(), nullable=True),
        sa.Column("createdAt", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updatedAt", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("conversation_userId_updatedAt_idx", "conversation", ["userId", "updatedAt"])

    op.create_table(
        "message",
        sa.Column("id", sa.Integer(), sa.Identity(), primary_key=True),
        sa.Column(
            "conversationId",
            sa.Integer(),
            sa.ForeignKey("conversation.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column(
            "userId", sa.Text(), sa.ForeignKey("user.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("toolCalls", sa.JSON(), nullable=True),
        sa.Column("createdAt", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("message_conversationId_id_idx", "message", ["conversationId", "id"])
    op.create_index("ix_message_userId", "message", ["userId"])


def downgrade() -> None:
    # Loses every tag, idempotency key, conversation and message, and the tasks' new fields.
    op.drop_table("message")
    op.drop_table("conversation")
    op.drop_table("idempotencyKey")
    op.drop_table("taskTag")
    with op.batch_alter_table("task") as task:
        task.drop_index("task_userId_remindAt_idx")
        task.drop_index("task_userId_updatedAt_idx")
        task.drop_constraint("task_nextTaskId_fkey", type_="foreignkey")
        for column in (
            "deletedAt",
            "version",
            "reminderAcknowledgedAt",
            "remindAt",
            "nextTaskId",
            "recurrenceDay",
            "recurrence",
            "dueOffsetSeconds",
            "allDay",
        ):
            task.drop_column(column)

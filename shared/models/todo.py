"""This service's own tables: tasks, their tags, categories, and idempotency keys."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    ForeignKey,
    Identity,
    Index,
    Integer,
    SmallInteger,
    String,
    Text,
    func,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from shared.models.base import Base, UtcDateTime


class Category(Base):
    __tablename__ = "category"
    __table_args__ = (
        # Names are unique per person regardless of case: "Work" and "work" are one category.
        Index("category_userId_lower_name_key", "userId", func.lower(text('"name"')), unique=True),
    )

    id: Mapped[int] = mapped_column("id", Integer, Identity(), primary_key=True)
    user_id: Mapped[str] = mapped_column(
        "userId", Text, ForeignKey("user.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column("name", String(50))
    color: Mapped[str | None] = mapped_column("color", String(7))
    created_at: Mapped[datetime] = mapped_column("createdAt", UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column("updatedAt", UtcDateTime)


class Task(Base):
    """A task. Deleting one only sets deletedAt, so that syncing clients see a tombstone."""

    __tablename__ = "task"
    __table_args__ = (
        Index("task_userId_createdAt_idx", "userId", "createdAt"),
        Index("task_userId_updatedAt_idx", "userId", "updatedAt"),
        Index("task_userId_remindAt_idx", "userId", "remindAt"),
    )

    id: Mapped[int] = mapped_column("id", Integer, Identity(), primary_key=True)
    user_id: Mapped[str] = mapped_column("userId", Text, ForeignKey("user.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column("title", String(200))
    description: Mapped[str | None] = mapped_column("description", Text)
    completed: Mapped[bool] = mapped_column("completed", Boolean, default=False)
    completed_at: Mapped[datetime | None] = mapped_column("completedAt", UtcDateTime)
    priority: Mapped[str] = mapped_column("priority", String(10), default="medium")
    # The due instant in UTC; for an all-day task, midnight UTC of its date (a date, not an
    # instant: it is compared with calendar dates in the caller's zone, never as a moment).
    due_date: Mapped[datetime | None] = mapped_column("dueDate", UtcDateTime)
    all_day: Mapped[bool] = mapped_column("allDay", Boolean, default=False)
    # The UTC offset the due date was given with, so it comes back as it was given.
    due_offset_seconds: Mapped[int | None] = mapped_column("dueOffsetSeconds", Integer)
    category_id: Mapped[int | None] = mapped_column(
        "categoryId", Integer, ForeignKey("category.id", ondelete="SET NULL"), index=True
    )
    recurrence: Mapped[dict[str, Any] | None] = mapped_column(
        "recurrence", JSON(none_as_null=True)
    )
    # The day of month a monthly or yearly series falls on, kept apart from the due date so
    # Jan 31 -> Feb 28 -> Mar 31 rather than drifting to the 28th.
    recurrence_day: Mapped[int | None] = mapped_column("recurrenceDay", SmallInteger)
    next_task_id: Mapped[int | None] = mapped_column(
        "nextTaskId", Integer, ForeignKey("task.id", ondelete="SET NULL")
    )
    remind_at: Mapped[datetime | None] = mapped_column("remindAt", UtcDateTime)
    reminder_acknowledged_at: Mapped[datetime | None] = mapped_column(
        "reminderAcknowledgedAt", UtcDateTime
    )
    version: Mapped[int] = mapped_column("version", Integer, default=1)
    deleted_at: Mapped[datetime | None] = mapped_column("deletedAt", UtcDateTime)
    created_at: Mapped[datetime] = mapped_column("createdAt", UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column("updatedAt", UtcDateTime)

    # Loaded with every task (one extra SELECT per query), since every response shows them.
    tag_rows: Mapped[list[TaskTag]] = relationship(
        lazy="selectin", cascade="all, delete-orphan", order_by="TaskTag.id"
    )

    @property
    def tags(self) -> list[str]:
        """The tag names, sorted case-insensitively."""
        return sorted((row.name for row in self.tag_rows), key=lambda name: (name.lower(), name))


class TaskTag(Base):
    """One tag of one task. userId is repeated here so a person's tags are one index away."""

    __tablename__ = "taskTag"
    __table_args__ = (
        Index("taskTag_taskId_lower_name_key", "taskId", func.lower(text('"name"')), unique=True),
        Index("taskTag_userId_lower_name_idx", "userId", func.lower(text('"name"'))),
    )

    id: Mapped[int] = mapped_column("id", Integer, Identity(), primary_key=True)
    task_id: Mapped[int] = mapped_column(
        "taskId", Integer, ForeignKey("task.id", ondelete="CASCADE")
    )
    user_id: Mapped[str] = mapped_column("userId", Text, ForeignKey("user.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column("name", String(50))


class IdempotencyKey(Base):
    """The first response to a POST sent with an Idempotency-Key, replayed on retries."""

    __tablename__ = "idempotencyKey"
    __table_args__ = (Index("idempotencyKey_userId_key_key", "userId", "key", unique=True),)

    id: Mapped[int] = mapped_column("id", Integer, Identity(), primary_key=True)
    user_id: Mapped[str] = mapped_column("userId", Text, ForeignKey("user.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column("key", String(255))
    request_hash: Mapped[str] = mapped_column("requestHash", String(64))
    status_code: Mapped[int | None] = mapped_column("statusCode", Integer)
    response_body: Mapped[str | None] = mapped_column("responseBody", Text)
    response_headers: Mapped[dict[str, str] | None] = mapped_column("responseHeaders", JSON)
    created_at: Mapped[datetime] = mapped_column("createdAt", UtcDateTime)

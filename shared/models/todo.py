"""This service's own tables for tasks and categories."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Identity, Index, Integer, String, Text, func, text
from sqlalchemy.orm import Mapped, mapped_column

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
    __tablename__ = "task"
    __table_args__ = (Index("task_userId_createdAt_idx", "userId", "createdAt"),)

    id: Mapped[int] = mapped_column("id", Integer, Identity(), primary_key=True)
    user_id: Mapped[str] = mapped_column("userId", Text, ForeignKey("user.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column("title", String(200))
    description: Mapped[str | None] = mapped_column("description", Text)
    completed: Mapped[bool] = mapped_column("completed", Boolean, default=False)
    completed_at: Mapped[datetime | None] = mapped_column("completedAt", UtcDateTime)
    priority: Mapped[str] = mapped_column("priority", String(10), default="medium")
    due_date: Mapped[datetime | None] = mapped_column("dueDate", UtcDateTime)
    category_id: Mapped[int | None] = mapped_column(
        "categoryId", Integer, ForeignKey("category.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column("createdAt", UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column("updatedAt", UtcDateTime)

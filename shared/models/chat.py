"""Chat conversations and their messages, each owned by one person."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Identity, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from shared.models.base import Base, UtcDateTime


class Conversation(Base):
    __tablename__ = "conversation"
    __table_args__ = (Index("conversation_userId_updatedAt_idx", "userId", "updatedAt"),)

    id: Mapped[int] = mapped_column("id", Integer, Identity(), primary_key=True)
    user_id: Mapped[str] = mapped_column("userId", Text, ForeignKey("user.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column("title", String(200))
    # The task the last reply acted on, so "make it high priority" knows what "it" is. No
    # foreign key: a deleted task simply stops being found.
    last_task_id: Mapped[int | None] = mapped_column("lastTaskId", Integer)
    created_at: Mapped[datetime] = mapped_column("createdAt", UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column("updatedAt", UtcDateTime)


class Message(Base):
    __tablename__ = "message"
    __table_args__ = (Index("message_conversationId_id_idx", "conversationId", "id"),)

    id: Mapped[int] = mapped_column("id", Integer, Identity(), primary_key=True)
    conversation_id: Mapped[int] = mapped_column(
        "conversationId", Integer, ForeignKey("conversation.id", ondelete="CASCADE")
    )
    user_id: Mapped[str] = mapped_column(
        "userId", Text, ForeignKey("user.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[str] = mapped_column("role", String(16))
    content: Mapped[str] = mapped_column("content", Text)
    tool_calls: Mapped[list[dict[str, Any]] | None] = mapped_column("toolCalls", JSON)
    created_at: Mapped[datetime] = mapped_column("createdAt", UtcDateTime)

"""SQLAlchemy models: the single source of truth for the database schema.

Python attributes are snake_case; every column name is given explicitly in camelCase, because
the database is shared with Better Auth, whose tables are camelCase. Import models from here:
importing this package registers every table on `Base.metadata`.
"""

from shared.models.base import Base, UtcDateTime
from shared.models.better_auth import Account, Jwks, Session, User, Verification
from shared.models.chat import Conversation, Message
from shared.models.todo import Category, IdempotencyKey, Task, TaskTag

__all__ = [
    "Account",
    "Base",
    "Category",
    "Conversation",
    "IdempotencyKey",
    "Jwks",
    "Message",
    "Session",
    "Task",
    "TaskTag",
    "User",
    "UtcDateTime",
    "Verification",
]

"""SQLAlchemy models: the single source of truth for the database schema.

Python attributes are snake_case; every column name is given explicitly in camelCase, because
the database is shared with Better Auth, whose tables are camelCase. Import models from here:
importing this package registers every table on `Base.metadata`.
"""

from shared.models.base import Base, UtcDateTime
from shared.models.better_auth import Account, Jwks, Session, User, Verification
from shared.models.todo import Category, Task

__all__ = [
    "Account",
    "Base",
    "Category",
    "Jwks",
    "Session",
    "Task",
    "User",
    "UtcDateTime",
    "Verification",
]

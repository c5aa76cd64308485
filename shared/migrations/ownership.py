"""Which tables this service migrates: its own models' tables, never Better Auth's."""

from __future__ import annotations

from shared.models import Account, Base, Jwks, Session, User, Verification

# Better Auth's own migration creates and changes these; this service only verifies them (and
# creates them when missing, for the embedded default and tests).
BETTER_AUTH_TABLES = frozenset(
    model.__tablename__ for model in (User, Session, Account, Verification, Jwks)
)
OWN_TABLES = frozenset(Base.metadata.tables) - BETTER_AUTH_TABLES


def is_migrated_table(name: str) -> bool:
    """True for this service's tables; false for Better Auth's and anything else in the database."""
    return name in OWN_TABLES

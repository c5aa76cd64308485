"""Better Auth's tables, exactly as its own migration creates them (constraint names included).

The front end owns these; this service reads them and creates them only when they are missing.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from shared.models.base import CURRENT_TIMESTAMP, Base, UtcDateTime


class User(Base):
    __tablename__ = "user"
    __table_args__ = (UniqueConstraint("email", name="user_email_key"),)

    id: Mapped[str] = mapped_column("id", Text, primary_key=True)
    name: Mapped[str] = mapped_column("name", Text)
    email: Mapped[str] = mapped_column("email", Text)
    email_verified: Mapped[bool] = mapped_column("emailVerified", Boolean)
    image: Mapped[str | None] = mapped_column("image", Text)
    created_at: Mapped[datetime] = mapped_column(
        "createdAt", UtcDateTime, server_default=CURRENT_TIMESTAMP
    )
    updated_at: Mapped[datetime] = mapped_column(
        "updatedAt", UtcDateTime, server_default=CURRENT_TIMESTAMP
    )


class Session(Base):
    __tablename__ = "session"
    __table_args__ = (
        UniqueConstraint("token", name="session_token_key"),
        Index("session_userId_idx", "userId"),
    )

    id: Mapped[str] = mapped_column("id", Text, primary_key=True)
    expires_at: Mapped[datetime] = mapped_column("expiresAt", UtcDateTime)
    token: Mapped[str] = mapped_column("token", Text)
    created_at: Mapped[datetime] = mapped_column(
        "createdAt", UtcDateTime, server_default=CURRENT_TIMESTAMP
    )
    updated_at: Mapped[datetime] = mapped_column("updatedAt", UtcDateTime)
    ip_address: Mapped[str | None] = mapped_column("ipAddress", Text)
    user_agent: Mapped[str | None] = mapped_column("userAgent", Text)
    user_id: Mapped[str] = mapped_column(
        "userId",
        Text,
        ForeignKey("user.id", ondelete="CASCADE", name="session_userId_fkey"),
    )


class Account(Base):
    __tablename__ = "account"
    __table_args__ = (Index("account_userId_idx", "userId"),)

    id: Mapped[str] = mapped_column("id", Text, primary_key=True)
    account_id: Mapped[str] = mapped_column("accountId", Text)
    provider_id: Mapped[str] = mapped_column("providerId", Text)
    user_id: Mapped[str] = mapped_column(
        "userId",
        Text,
        ForeignKey("user.id", ondelete="CASCADE", name="account_userId_fkey"),
    )
    access_token: Mapped[str | None] = mapped_column("accessToken", Text)
    refresh_token: Mapped[str | None] = mapped_column("refreshToken", Text)
    id_token: Mapped[str | None] = mapped_column("idToken", Text)
    access_token_expires_at: Mapped[datetime | None] = mapped_column(
        "accessTokenExpiresAt", UtcDateTime
    )
    refresh_token_expires_at: Mapped[datetime | None] = mapped_column(
        "refreshTokenExpiresAt", UtcDateTime
    )
    scope: Mapped[str | None] = mapped_column("scope", Text)
    password: Mapped[str | None] = mapped_column("password", Text)
    created_at: Mapped[datetime] = mapped_column(
        "createdAt", UtcDateTime, server_default=CURRENT_TIMESTAMP
    )
    updated_at: Mapped[datetime] = mapped_column("updatedAt", UtcDateTime)


class Verification(Base):
    __tablename__ = "verification"
    __table_args__ = (Index("verification_identifier_idx", "identifier"),)

    id: Mapped[str] = mapped_column("id", Text, primary_key=True)
    identifier: Mapped[str] = mapped_column("identifier", Text)
    value: Mapped[str] = mapped_column("value", Text)
    expires_at: Mapped[datetime] = mapped_column("expiresAt", UtcDateTime)
    created_at: Mapped[datetime] = mapped_column(
        "createdAt", UtcDateTime, server_default=CURRENT_TIMESTAMP
    )
    updated_at: Mapped[datetime] = mapped_column(
        "updatedAt", UtcDateTime, server_default=CURRENT_TIMESTAMP
    )


class Jwks(Base):
    __tablename__ = "jwks"

    id: Mapped[str] = mapped_column("id", Text, primary_key=True)
    public_key: Mapped[str] = mapped_column("publicKey", Text)
    private_key: Mapped[str] = mapped_column("privateKey", Text)
    created_at: Mapped[datetime] = mapped_column("createdAt", UtcDateTime)
    expires_at: Mapped[datetime | None] = mapped_column("expiresAt", UtcDateTime)
    alg: Mapped[str | None] = mapped_column("alg", Text)
    crv: Mapped[str | None] = mapped_column("crv", Text)

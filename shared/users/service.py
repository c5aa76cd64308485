"""Local users and sessions, written the way Better Auth writes them.

The rows are indistinguishable from ones the front end creates: 32-character alphanumeric ids
and session tokens, a `credential` account holding the scrypt hash, sessions that last 7 days.
A user made here can sign in on the dashboard, and the front end's users work here.
"""

from __future__ import annotations

import asyncio
import re
import secrets
import string
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import quote, unquote

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from shared import clock
from shared.auth import sign_session_token
from shared.config import Settings
from shared.errors import (
    ConflictError,
    NotFoundError,
    UnauthorizedError,
    ValidationError,
    field_error,
)
from shared.models import Account, Session, User
from shared.passwords import hash_password, verify_password

ID_ALPHABET = string.ascii_letters + string.digits
ID_LENGTH = 32
SESSION_LIFETIME = timedelta(days=7)
CREDENTIAL_PROVIDER = "credential"
# Better Auth's emailAndPassword defaults.
MIN_PASSWORD_LENGTH = 8
MAX_PASSWORD_LENGTH = 128
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# encodeURIComponent leaves these unescaped, and the cookie must be byte-for-byte Better Auth's.
_URI_COMPONENT_SAFE = "!~*'()"
# A well-formed hash no password matches: checking against it costs what a real check costs.
_NO_PASSWORD = "0" * 32 + ":" + "0" * 128


def generate_id(length: int = ID_LENGTH) -> str:
    """A random alphanumeric id, like Better Auth's generateId()."""
    return "".join(secrets.choice(ID_ALPHABET) for _ in range(length))


@dataclass(frozen=True)
class SessionCredentials:
    """The three ways a session token can be presented, as Better Auth would hand them out."""

    token: str
    bearer: str
    cookie_name: str
    cookie_value: str

    @property
    def cookie(self) -> str:
        """The `name=value` pair for a Cookie header."""
        return f"{self.cookie_name}={self.cookie_value}"


def session_credentials(token: str, settings: Settings) -> SessionCredentials:
    """Sign `token` with the shared secret; the cookie is `__Secure-` prefixed under https."""
    signed = sign_session_token(token, settings.better_auth_secret)
    secure = settings.better_auth_url.lower().startswith("https://")
    return SessionCredentials(
        token=token,
        bearer=signed,
        cookie_name=("__Secure-" if secure else "") + "better-auth.session_token",
        cookie_value=quote(signed, safe=_URI_COMPONENT_SAFE),
    )


def normalise_email(email: str) -> str:
    """Better Auth stores emails trimmed and lower-cased."""
    return email.strip().lower()


async def get_user_by_email(db: AsyncSession, *, email: str) -> User:
    """The user with this email, or 404."""
    user = await db.scalar(select(User).where(User.email == normalise_email(email)))
    if user is None:
        raise NotFoundError(f"No user has the email {normalise_email(email)!r}.")
    return user


async def create_user(db: AsyncSession, *, email: str, name: str, password: str) -> User:
    """Create a user with an email-and-password account; 422 for bad input, 409 if taken."""
    email = normalise_email(email)
    name = name.strip()
    problems = []
    if not _EMAIL.fullmatch(email):
        problems.append(field_error(["email"], "Give a valid email address."))
    if not name:
        problems.append(field_error(["name"], "Give a name."))
    if not MIN_PASSWORD_LENGTH <= len(password) <= MAX_PASSWORD_LENGTH:
        problems.append(
            field_error(
                ["password"],
                f"Use {MIN_PASSWORD_LENGTH} to {MAX_PASSWORD_LENGTH} characters.",
            )
        )
    if problems:
        raise ValidationError(details=problems)
    if await db.scalar(select(func.count()).select_from(User).where(User.email == email)):
        raise ConflictError(f"A user with the email {email!r} already exists.")
    # scrypt takes tens of milliseconds of CPU: keep it off the event loop.
    hashed = await asyncio.to_thread(hash_password, password)
    now = clock.utcnow()
    user = User(
        id=generate_id(),
        name=name,
        email=email,
        email_verified=False,
        image=None,
        created_at=now,
        updated_at=now,
    )
    account = Account(
        id=generate_id(),
        account_id=user.id,
        provider_id=CREDENTIAL_PROVIDER,
        user_id=user.id,
        password=hashed,
        created_at=now,
        updated_at=now,
    )
    try:
        db.add(user)
        # No ORM relationship links the two, so the user must be written before its account.
        await db.flush()
        db.add(account)
        await db.flush()
    except IntegrityError as exc:
        raise ConflictError(f"A user with the email {email!r} already exists.") from exc
    return user


async def check_password(db: AsyncSession, *, email: str, password: str) -> User:
    """The user whose credential account matches `password`, or 401 not saying which was wrong.

    The password is checked even for an unknown email, so timing does not tell them apart.
    """
    user = await db.scalar(select(User).where(User.email == normalise_email(email)))
    stored = None
    if user is not None:
        stored = await db.scalar(
            select(Account.password).where(
                Account.user_id == user.id, Account.provider_id == CREDENTIAL_PROVIDER
            )
        )
    matches = await asyncio.to_thread(verify_password, password, stored or _NO_PASSWORD)
    if user is None or not matches:
        raise UnauthorizedError("The email or password is wrong.")
    return user


async def create_session(
    db: AsyncSession,
    *,
    user_id: str,
    lifetime: timedelta = SESSION_LIFETIME,
    user_agent: str = "",
) -> Session:
    """Open a session for the user, valid for `lifetime` from now."""
    now = clock.utcnow()
    session = Session(
        id=generate_id(),
        token=generate_id(),
        expires_at=now + lifetime,
        created_at=now,
        updated_at=now,
        ip_address="",
        user_agent=user_agent,
        user_id=user_id,
    )
    db.add(session)
    await db.flush()
    return session


async def list_sessions(db: AsyncSession, *, user_id: str) -> list[Session]:
    """The user's sessions, oldest first, expired ones included."""
    result = await db.scalars(
        select(Session).where(Session.user_id == user_id).order_by(Session.created_at, Session.id)
    )
    return list(result)


def token_of(value: str) -> str:
    """The session token in a raw token, a signed bearer value or a URL-encoded cookie value."""
    decoded = unquote(value.strip())
    return decoded.rpartition(".")[0] or decoded


async def revoke_sessions(
    db: AsyncSession,
    *,
    user_id: str,
    token: str | None = None,
    session_id: str | None = None,
) -> int:
    """Delete the user's sessions (all, or the one named by token or id); return how many.

    Deleting the row is what Better Auth's sign-out does, and it ends the session at once.
    """
    statement = delete(Session).where(Session.user_id == user_id)
    if token is not None:
        statement = statement.where(Session.token == token_of(token))
    if session_id is not None:
        statement = statement.where(Session.id == session_id)
    result = await db.execute(statement)
    return int(getattr(result, "rowcount", 0) or 0)

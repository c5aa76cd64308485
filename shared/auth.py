"""Resolve the signed-in person from a request, exactly as Better Auth issues credentials.

Order: `Authorization: Bearer` (signed `token.signature`, URL-encoded or not, or the raw session
token), then the `__Secure-better-auth.session_token` or `better-auth.session_token` cookie.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass
from typing import Literal
from urllib.parse import unquote

from sqlalchemy import select
from starlette.datastructures import Headers
from starlette.requests import cookie_parser

from shared import clock
from shared.config import get_settings
from shared.database import session_scope
from shared.errors import UnauthorizedError
from shared.models import Session, User

SESSION_COOKIE_NAMES = ("__Secure-better-auth.session_token", "better-auth.session_token")
# base64 of a 32-byte HMAC-SHA256 digest, padded: Better Auth rejects any other length.
SIGNATURE_LENGTH = 44
# Far longer than any real credential; refusing early keeps hostile input away from the database.
MAX_CREDENTIAL_LENGTH = 4096

AuthMethod = Literal["cookie", "bearer", "jwt"]


@dataclass(frozen=True)
class Principal:
    """Who is calling, and how they proved it."""

    user: User
    method: AuthMethod
    session_id: str | None = None


def sign_session_token(token: str, secret: str) -> str:
    """The `token.signature` value Better Auth puts in its cookie (before URL-encoding)."""
    digest = hmac.new(secret.encode(), token.encode(), hashlib.sha256).digest()
    return f"{token}.{base64.b64encode(digest).decode()}"


def verify_signed_value(value: str, secret: str) -> str | None:
    """Return the session token of a signed `token.signature` value, or None when it is forged."""
    token, dot, signature = value.rpartition(".")
    if not dot or not token or len(signature) != SIGNATURE_LENGTH or not signature.endswith("="):
        return None
    expected = sign_session_token(token, secret).rpartition(".")[2]
    if not hmac.compare_digest(expected.encode(), signature.encode("utf-8", "replace")):
        return None
    return token


def _bearer_value(headers: Headers) -> str | None:
    authorization = headers.get("authorization")
    if authorization is None:
        return None
    scheme, _, value = authorization.strip().partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        raise UnauthorizedError("The Authorization header must be 'Bearer <token>'.")
    return value.strip()


def _cookie_value(headers: Headers) -> str | None:
    raw = headers.get("cookie")
    if not raw:
        return None
    cookies = cookie_parser(raw)
    for name in SESSION_COOKIE_NAMES:
        if cookies.get(name):
            return cookies[name]
    return None


def session_token_from_bearer(value: str, secret: str) -> str | None:
    """The session token a bearer value carries: signed (encoded or not), or raw."""
    decoded = unquote(value)
    if "." in decoded:
        return verify_signed_value(decoded, secret)
    # The bearer plugin accepts an unsigned session token as well (requireSignature: false).
    return decoded if decoded.isascii() and decoded.isalnum() else None


async def load_session_principal(token: str, method: AuthMethod) -> Principal:
    """Look the session and its user up in one query; unknown or expired is 401."""
    statement = (
        select(Session.id, User)
        .join(User, User.id == Session.user_id)
        .where(Session.token == token, Session.expires_at > clock.utcnow())
    )
    async with session_scope() as db:
        row = (await db.execute(statement)).first()
    if row is None:
        raise UnauthorizedError("The session is unknown or has expired; sign in again.")
    return Principal(user=row[1], method=method, session_id=row[0])


async def resolve_principal(headers: Headers) -> Principal:
    """Resolve the caller from the request headers or raise UnauthorizedError."""
    secret = get_settings().better_auth_secret
    bearer = _bearer_value(headers)
    if bearer is not None:
        if len(bearer) > MAX_CREDENTIAL_LENGTH:
            raise UnauthorizedError("The bearer token is not valid.")
        token = session_token_from_bearer(bearer, secret)
        if token is None:
            raise UnauthorizedError("The bearer token is not valid.")
        return await load_session_principal(token, "bearer")
    cookie = _cookie_value(headers)
    if cookie is not None:
        token = (
            verify_signed_value(unquote(cookie), secret)
            if len(cookie) <= MAX_CREDENTIAL_LENGTH
            else None
        )
        if token is None:
            raise UnauthorizedError("The session cookie is not valid.")
        return await load_session_principal(token, "cookie")
    raise UnauthorizedError()

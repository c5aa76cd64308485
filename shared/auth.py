"""Resolve the signed-in person from a request, exactly as Better Auth issues credentials.

Order: `Authorization: Bearer` (a JWT from the `jwt` plugin; a signed `token.signature`,
URL-encoded or not; or the raw session token), then the `__Secure-better-auth.session_token` or
`better-auth.session_token` cookie. When an Authorization header is sent it alone decides: a bad
one is a 401 even if a good cookie came with it, so a request never acts as someone it did not
name in its strongest credential.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import unquote

from sqlalchemy import bindparam, select
from starlette.datastructures import Headers
from starlette.requests import cookie_parser

from shared import clock
from shared.config import Settings, get_settings
from shared.database import attribute_columns, run_read
from shared.errors import ServiceUnavailableError, UnauthorizedError
from shared.models import Jwks, Session, User
from shared.prepared import Prepared, fetch_first

if TYPE_CHECKING:
    from shared.jwt_verify import JwkRecord, JwtVerifier, KeyLoader

logger = logging.getLogger("ironclad.auth")

SESSION_COOKIE_NAMES = ("__Secure-better-auth.session_token", "better-auth.session_token")
# base64 of a 32-byte HMAC-SHA256 digest, padded: Better Auth rejects any other length.
SIGNATURE_LENGTH = 44
# Room for a JWT carrying a user's fields (jwt_verify.MAX_TOKEN_CHARS); refusing longer values
# early keeps hostile input away from the database and the signature checks.
MAX_CREDENTIAL_LENGTH = 8 * 1024
# A key published at BETTER_AUTH_JWKS_URL is trusted this long before it is looked up again, so
# a withdrawn key stops verifying (the loader refetches the document at most once a minute).
REMOTE_KEY_TTL_SECONDS = 300.0
# A key read from the shared `jwks` table is trusted this long before it is read again: short,
# because Better Auth itself reads the table on every verification, so a revoked key should
# stop working here soon after.
DATABASE_KEY_TTL_SECONDS = 60.0

AuthMethod = Literal["cookie", "bearer", "jwt"]


# A user as the credential lookups return it (a shared.prepared row): the `user` table's
# columns by attribute name (`id`, `email`, ...). Not an ORM object: building one per request
# cost more than the lookup itself, and nothing changes the caller's row.
UserRow = Any


@dataclass(frozen=True)
class Principal:
    """Who is calling, and how they proved it."""

    user: UserRow
    method: AuthMethod
    session_id: str | None = None


# Credentials are looked up with a Core select; the columns are the mapped User's.
USER_COLUMNS = attribute_columns(User)
# The lookups every request makes, built once (shared.prepared).
SESSION_PRINCIPAL = Prepared(
    select(Session.id.label("session_id"), *USER_COLUMNS)
    .join(User, User.id == Session.user_id)
    .where(Session.token == bindparam("token"), Session.expires_at > bindparam("now"))
)
USER_BY_ID = Prepared(select(*USER_COLUMNS).where(User.id == bindparam("user_id")))
JWK_BY_ID = Prepared(select(*attribute_columns(Jwks)).where(Jwks.id == bindparam("kid")))


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


def _storable(text: str) -> bool:
    """True when PostgreSQL can compare `text` at all: no NUL, no lone surrogates.

    Anything else would make the driver raise, turning hostile input into a 500.
    """
    if "\x00" in text:
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


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
    # Better Auth reads the first cookie of a name; Starlette's parser keeps the last. A second
    # one (set by a sibling subdomain, say) must not decide who the caller is.
    cookies: dict[str, str] = {}
    for pair in raw.split(";"):
        for name, value in cookie_parser(pair).items():
            cookies.setdefault(name, value)
    for name in SESSION_COOKIE_NAMES:
        if cookies.get(name):
            return cookies[name]
    return None


def _may_be_jwt(value: str) -> bool:
    """Whether a bearer value is a JWT (the jwt plugin's) rather than a session token.

    A compact JWT has exactly two dots; a session token, signed or raw, has at most one. Only
    a value that could be a JWT loads the JWT and cryptography libraries, so a process that
    serves session tokens (a Lambda's cold start above all) never imports them.
    """
    if value.count(".") != 2:
        return False
    from shared.jwt_verify import looks_like_jwt

    return looks_like_jwt(value)


def session_token_from_bearer(value: str, secret: str) -> str | None:
    """The session token a bearer value carries: signed (encoded or not), or raw."""
    decoded = unquote(value)
    if "." in decoded:
        return verify_signed_value(decoded, secret)
    # The bearer plugin accepts an unsigned session token as well (requireSignature: false).
    return decoded if decoded.isascii() and decoded.isalnum() else None


async def load_session_principal(token: str, method: AuthMethod) -> Principal:
    """Look the session and its user up in one query; unknown or expired is 401.

    The inner join means a session whose user is gone proves nothing, even where no foreign
    key cascades the user's deletion to their sessions.
    """
    if not _storable(token):
        raise UnauthorizedError("The session is unknown or has expired; sign in again.")
    params = {"token": token, "now": clock.utcnow()}
    row = await run_read(lambda connection: fetch_first(connection, SESSION_PRINCIPAL, params))
    if row is None:
        raise UnauthorizedError("The session is unknown or has expired; sign in again.")
    return Principal(user=row, method=method, session_id=row.session_id)


async def load_database_key(kid: str) -> JwkRecord | None:
    """A KeyLoader over Better Auth's `jwks` table: the row whose id is the token's `kid`."""
    from shared.jwt_verify import load_jwk

    if not _storable(kid):
        return None
    row = await run_read(lambda connection: fetch_first(connection, JWK_BY_ID, {"kid": kid}))
    if row is None:
        return None
    return load_jwk(row.public_key, row.alg, row.crv, row.id)


def _unix_now() -> float:
    return clock.utcnow().timestamp()


def build_jwt_verifier(settings: Settings) -> JwtVerifier:
    """A verifier for the JWTs Better Auth issues under `settings`.

    Keys come from BETTER_AUTH_JWKS_URL when it is set, else from the shared `jwks` table.
    Either way they are cached by kid (an unknown kid is looked up once, then remembered as
    unknown for a minute), so a JWT costs no key query on the hot path; a key withdrawn from
    the table stops verifying within DATABASE_KEY_TTL_SECONDS.
    """
    from shared.jwt_verify import JwksUrlLoader, JwtVerifier

    load_key: KeyLoader
    if settings.jwks_url is not None:
        load_key = JwksUrlLoader(settings.jwks_url)
        key_ttl = REMOTE_KEY_TTL_SECONDS
    else:
        load_key = load_database_key
        key_ttl = DATABASE_KEY_TTL_SECONDS
    return JwtVerifier(
        issuer=settings.better_auth_url,
        audience=settings.better_auth_url,
        load_key=load_key,
        clock=_unix_now,
        key_ttl_seconds=key_ttl,
        # Better Auth (jose, no clock tolerance) refuses a token the second it expires; the
        # default leeway still covers an `iat` a little ahead of this host's clock.
        expiry_leeway_seconds=0,
    )


@lru_cache(maxsize=1)
def jwt_verifier() -> JwtVerifier:
    """The process's verifier: one, so its memory of unknown kids and fetched keys is shared."""
    return build_jwt_verifier(get_settings())


async def load_jwt_principal(token: str) -> Principal:
    """Verify a Better Auth JWT and load its subject; any flaw is 401, a key outage 503."""
    from shared.jwt_verify import JwtError, KeySourceError

    try:
        claims = await jwt_verifier().verify(token)
    except JwtError as exc:
        logger.info("JWT rejected: %s", exc)
        raise UnauthorizedError(
            "The JWT is not valid or has expired; get a fresh one from /api/auth/token."
        ) from exc
    except KeySourceError as exc:
        logger.warning("JWT signing keys unavailable: %s", exc)
        raise ServiceUnavailableError(
            "The keys that sign JWTs cannot be fetched right now; try again shortly."
        ) from exc
    subject: str = claims["sub"]
    user: UserRow | None = None
    if _storable(subject):
        params = {"user_id": subject}
        user = await run_read(lambda connection: fetch_first(connection, USER_BY_ID, params))
    if user is None:
        raise UnauthorizedError("The JWT's user no longer exists; sign in again.")
    return Principal(user=user, method="jwt")


async def resolve_principal(headers: Headers) -> Principal:
    """Resolve the caller from the request headers or raise UnauthorizedError."""
    secret = get_settings().better_auth_secret
    bearer = _bearer_value(headers)
    if bearer is not None:
        if len(bearer) > MAX_CREDENTIAL_LENGTH:
            raise UnauthorizedError("The bearer token is not valid.")
        if _may_be_jwt(bearer):
            return await load_jwt_principal(bearer)
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

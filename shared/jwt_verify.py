"""Verification of JWTs issued by Better Auth's ``jwt`` plugin.

Better Auth signs with a key from its ``jwks`` table (EdDSA/Ed25519 unless configured
otherwise) and names it in the header's ``kid``. The algorithm is taken from the key
row, never from the token, so a token cannot pick how it is checked (RFC 8725 §2.1).
Signature checks are PyJWT's; this module only chooses the key and checks the claims.
"""

import asyncio
import json
import logging
import math
import re
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import httpx
import jwt
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey
from jwt.algorithms import get_default_algorithms
from jwt.utils import base64url_decode

logger = logging.getLogger("ironclad.jwt")

MAX_TOKEN_CHARS = 8 * 1024
_MAX_KID_CHARS = 256
_MIN_RSA_BITS = 2048
# Unknown kids are remembered so a flood of random kids costs one lookup each, in bounded
# memory; the TTL lets a freshly rotated key be picked up without restarting.
_MISS_CACHE_SIZE = 256
_MISS_TTL_SECONDS = 60.0
_DEFAULT_ALG = "EdDSA"

# alg -> (JWK kty, required curve or None)
_KEY_SHAPES: dict[str, tuple[str, str | None]] = {
    "EdDSA": ("OKP", "Ed25519"),
    "ES256": ("EC", "P-256"),
    "ES512": ("EC", "P-521"),
    "RS256": ("RSA", None),
    "PS256": ("RSA", None),
}

_COMPACT_JWS = re.compile(r"[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+")


class JwtError(Exception):
    """The token must be rejected; the message says why and never contains key material."""


class KeySourceError(Exception):
    """The key source could not be read; an outage, not a bad token (map it to a 5xx)."""


@dataclass(frozen=True)
class JwkRecord:
    """A public verification key, as stored in Better Auth's ``jwks`` table."""

    kid: str
    public_jwk: dict[str, Any]
    alg: str | None
    crv: str | None


KeyLoader = Callable[[str], Awaitable[JwkRecord | None]]


@dataclass(frozen=True)
class _VerifyKey:
    alg: str
    key: Any  # a cryptography public key object, as PyJWT's from_jwk returns it


def _prepare_key(record: JwkRecord) -> _VerifyKey:
    """Check that the row's key fits its algorithm and turn it into a key object."""
    alg = record.alg or _DEFAULT_ALG
    shape = _KEY_SHAPES.get(alg)
    if shape is None:
        raise JwtError(f"key algorithm {alg!r} is not allowed")
    kty, crv = shape
    jwk_data = record.public_jwk
    if not isinstance(jwk_data, dict) or jwk_data.get("kty") != kty:
        raise JwtError(f"key is not a {kty} key as {alg} requires")
    if crv is not None and (jwk_data.get("crv") != crv or record.crv not in (None, crv)):
        raise JwtError(f"key curve does not fit {alg} (needs {crv})")
    if "d" in jwk_data:
        raise JwtError("public key record contains private key material")
    if jwk_data.get("alg", alg) != alg or jwk_data.get("use", "sig") != "sig":
        raise JwtError("key's own alg/use does not allow this algorithm")
    try:
        key = get_default_algorithms()[alg].from_jwk(jwk_data)
    except Exception as exc:
        # from_jwk raises assorted errors on bad field types, some quoting the key: hide them.
        raise JwtError(f"key is not a valid {alg} public key") from exc
    if isinstance(key, RSAPublicKey) and key.key_size < _MIN_RSA_BITS:
        raise JwtError(f"RSA key is shorter than {_MIN_RSA_BITS} bits")
    return _VerifyKey(alg=alg, key=key)


def load_jwk(public_key_json: str, alg: str | None, crv: str | None, kid: str) -> JwkRecord:
    """Build a :class:`JwkRecord` from a ``jwks`` row (its ``publicKey``, ``alg``, ``crv``, ``id``).

    Raises :class:`JwtError` when the JSON is malformed or the key does not fit the algorithm.
    """
    try:
        jwk_data = json.loads(public_key_json)
    except (TypeError, ValueError, RecursionError) as exc:
        raise JwtError("publicKey is not valid JSON") from exc
    if not isinstance(jwk_data, dict):
        raise JwtError("publicKey is not a JSON object")
    record = JwkRecord(kid=kid, public_jwk=jwk_data, alg=alg, crv=crv)
    _prepare_key(record)
    return record


def looks_like_jwt(value: str) -> bool:
    """Cheaply tell a compact JWT from other bearer values (e.g. a Better Auth session token).

    True when ``value`` is three base64url segments whose first decodes to a JSON object
    with a string ``alg``. Says nothing about validity; never raises.
    """
    if not isinstance(value, str) or len(value) > MAX_TOKEN_CHARS:
        return False
    if not _COMPACT_JWS.fullmatch(value):
        return False
    header_segment = value.split(".", 1)[0]
    try:
        header = json.loads(base64url_decode(header_segment))
    except (ValueError, RecursionError):
        return False
    return isinstance(header, dict) and isinstance(header.get("alg"), str)


def _numeric_claim(claims: dict[str, Any], name: str) -> float | None:
    value = claims.get(name)
    if value is None:
        return None
    # bool is an int subclass and JSON parsing accepts NaN/Infinity; neither is a time.
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise JwtError(f"{name} is not a number")
    if isinstance(value, float) and not math.isfinite(value):
        raise JwtError(f"{name} is not a finite number")
    return value


class JwtVerifier:
    """Verifies Better Auth JWTs against keys found by ``kid`` through a :data:`KeyLoader`."""

    def __init__(
        self,
        *,
        issuer: str,
        audience: str,
        load_key: KeyLoader,
        leeway_seconds: int = 30,
        clock: Callable[[], float] = time.time,
        key_ttl_seconds: float | None = None,
        expiry_leeway_seconds: int | None = None,
    ) -> None:
        """Configure the expected ``iss``/``aud``, the key lookup and the time source.

        ``clock`` returns Unix seconds; it drives the ``exp``/``nbf``/``iat`` checks and the
        expiry of remembered unknown kids. A key found by ``load_key`` is trusted for
        ``key_ttl_seconds`` and then looked up again, so a key withdrawn from the source stops
        verifying; None keeps keys for the life of the verifier. ``leeway_seconds`` absorbs
        clock skew between issuer and verifier for every time claim; ``expiry_leeway_seconds``
        overrides it for ``exp`` and ``nbf`` (0 refuses a token the instant it expires).
        """
        self._issuer = issuer
        self._audience = audience
        self._load_key = load_key
        self._leeway = leeway_seconds
        self._expiry_leeway = (
            leeway_seconds if expiry_leeway_seconds is None else expiry_leeway_seconds
        )
        self._clock = clock
        self._key_ttl = key_ttl_seconds
        self._keys: dict[str, tuple[_VerifyKey, float]] = {}
        self._misses: OrderedDict[str, float] = OrderedDict()

    async def verify(self, token: str) -> dict[str, Any]:
        """Return the claims of a valid ``token``; raise :class:`JwtError` otherwise.

        Whatever the token, only :class:`JwtError` is raised for it; exceptions from the
        key loader (e.g. the database being down) propagate unchanged.
        """
        if not isinstance(token, str):
            raise JwtError("token is not a string")
        if len(token) > MAX_TOKEN_CHARS:
            raise JwtError("token is too long")
        if not _COMPACT_JWS.fullmatch(token):
            raise JwtError("token is not three base64url segments")
        try:
            header = jwt.get_unverified_header(token)
        except Exception as exc:
            raise JwtError("token header is malformed") from exc
        kid = header.get("kid")
        if not isinstance(kid, str) or not kid or len(kid) > _MAX_KID_CHARS:
            raise JwtError("token header has no usable kid")
        if "crit" in header:
            raise JwtError("token header has critical extensions")

        verify_key = await self._key_for(kid)
        if header.get("alg") != verify_key.alg:
            raise JwtError("token alg does not match the key's algorithm")
        try:
            claims = jwt.decode(
                token,
                key=verify_key.key,
                algorithms=[verify_key.alg],
                # Time, issuer, audience and subject are checked below, with our own clock.
                options={
                    "verify_exp": False,
                    "verify_nbf": False,
                    "verify_iat": False,
                    "verify_iss": False,
                    "verify_aud": False,
                    "verify_sub": False,
                },
            )
        except jwt.InvalidSignatureError as exc:
            raise JwtError("signature verification failed") from exc
        except Exception as exc:
            # PyJWT documents PyJWTError only, but any failure on attacker-supplied bytes
            # must be a rejection, not a server error.
            raise JwtError("token could not be decoded") from exc
        self._check_claims(claims)
        return claims

    def _check_claims(self, claims: dict[str, Any]) -> None:
        now = self._clock()
        exp = _numeric_claim(claims, "exp")
        if exp is None:
            raise JwtError("token has no exp")
        if exp <= now - self._expiry_leeway:
            raise JwtError("token has expired")
        nbf = _numeric_claim(claims, "nbf")
        if nbf is not None and nbf > now + self._expiry_leeway:
            raise JwtError("token is not valid yet (nbf)")
        iat = _numeric_claim(claims, "iat")
        if iat is not None and iat > now + self._leeway:
            raise JwtError("token was issued in the future (iat)")
        if claims.get("iss") != self._issuer:
            raise JwtError("token issuer does not match")
        aud = claims.get("aud")
        if not (aud == self._audience or (isinstance(aud, list) and self._audience in aud)):
            raise JwtError("token audience does not match")
        sub = claims.get("sub")
        if not isinstance(sub, str) or not sub:
            raise JwtError("token has no usable subject")

    async def _key_for(self, kid: str) -> _VerifyKey:
        now = self._clock()
        known = self._keys.get(kid)
        if known is not None and (self._key_ttl is None or now - known[1] < self._key_ttl):
            return known[0]
        missed_at = self._misses.get(kid)
        if missed_at is not None and now - missed_at < _MISS_TTL_SECONDS:
            self._misses.move_to_end(kid)
            raise JwtError("no usable key for this kid")
        record = await self._load_key(kid)
        try:
            if record is None:
                raise JwtError("unknown kid")
            if record.kid != kid:
                raise JwtError("key loader returned a key with another kid")
            verify_key = _prepare_key(record)
        except JwtError:
            self._keys.pop(kid, None)
            self._remember_miss(kid, now)
            raise
        self._misses.pop(kid, None)
        self._keys[kid] = (verify_key, now)
        return verify_key

    def _remember_miss(self, kid: str, now: float) -> None:
        self._misses[kid] = now
        self._misses.move_to_end(kid)
        while len(self._misses) > _MISS_CACHE_SIZE:
            self._misses.popitem(last=False)


class JwksUrlLoader:
    """A :data:`KeyLoader` reading a JWKS document over HTTP (e.g. ``/api/auth/jwks``).

    The document is fetched at most once per ``refresh_seconds`` (successful or not), so
    unknown kids cannot make us hammer the auth server. A failed fetch raises
    :class:`KeySourceError` for any kid the last good document did not have (none, before
    the first success), while its keys go on being served: during an outage an unfamiliar
    kid may be a new key, and calling its token invalid would sign people out.
    """

    _MAX_BYTES = 256 * 1024

    def __init__(
        self,
        url: str,
        *,
        timeout_seconds: float = 5.0,
        refresh_seconds: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """Read keys from ``url``, giving up on a request after ``timeout_seconds``."""
        self._url = url
        self._timeout = timeout_seconds
        self._refresh = refresh_seconds
        self._clock = clock
        self._records: dict[str, JwkRecord] = {}
        self._fetched_at: float | None = None
        self._failure: str | None = None
        # Without it, a lookup arriving mid-fetch would see the old (maybe empty) key set
        # and make the verifier remember a valid kid as unknown.
        self._lock = asyncio.Lock()

    async def __call__(self, kid: str) -> JwkRecord | None:
        """Return the key named ``kid`` from the (possibly refreshed) JWKS, or None."""
        async with self._lock:
            now = self._clock()
            if self._fetched_at is None or now - self._fetched_at >= self._refresh:
                self._fetched_at = now
                try:
                    self._records = await self._fetch()
                    self._failure = None
                except KeySourceError as exc:
                    logger.warning("keeping the last good JWKS: %s", exc)
                    self._failure = str(exc)
        record = self._records.get(kid)
        if record is None and self._failure is not None:
            raise KeySourceError(self._failure)
        return record

    async def _fetch(self) -> dict[str, JwkRecord]:
        try:
            async with (
                httpx.AsyncClient(timeout=self._timeout) as client,
                client.stream("GET", self._url) as response,
            ):
                response.raise_for_status()
                body = bytearray()
                async for chunk in response.aiter_bytes():
                    body += chunk
                    if len(body) > self._MAX_BYTES:
                        raise KeySourceError("JWKS document is too large")
        except httpx.HTTPError as exc:
            raise KeySourceError(f"JWKS fetch failed: {type(exc).__name__}") from exc
        try:
            document = json.loads(body)
        except (ValueError, RecursionError) as exc:
            raise KeySourceError("JWKS document is not JSON") from exc
        keys = document.get("keys") if isinstance(document, dict) else None
        if not isinstance(keys, list):
            raise KeySourceError("JWKS document has no keys list")
        records: dict[str, JwkRecord] = {}
        for jwk_data in keys:
            if not isinstance(jwk_data, dict) or not isinstance(jwk_data.get("kid"), str):
                continue
            alg = jwk_data.get("alg")
            crv = jwk_data.get("crv")
            records[jwk_data["kid"]] = JwkRecord(
                kid=jwk_data["kid"],
                public_jwk=jwk_data,
                alg=alg if isinstance(alg, str) else None,
                crv=crv if isinstance(crv, str) else None,
            )
        return records

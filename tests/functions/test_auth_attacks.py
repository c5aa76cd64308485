"""The attack suite: every way of forging, replaying or smuggling a credential gets exactly the
status it should, in the one error shape, and none of them reaches anyone's data."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from urllib.parse import quote

import httpx
import jwt
import pytest
from conftest import DASHBOARD_ORIGIN, FROZEN_NOW, VECTORS, lambda_event, run_db
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from jwt.algorithms import OKPAlgorithm
from sqlalchemy import delete

from functions import app as composed
from shared.auth import sign_session_token
from shared.config import get_settings
from shared.database import session_scope
from shared.models import Jwks, Task, User
from shared.users import service as users

BASE_URL = VECTORS["baseURL"]
VECTOR_KID = VECTORS["jwks"]["keys"][0]["kid"]
VECTOR_PUBLIC_KEY = VECTORS["rows"]["jwks"][0]["publicKey"]
NOW = int(FROZEN_NOW.timestamp())
COOKIE = "better-auth.session_token"


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64url_json(value: Any) -> str:
    return b64url(json.dumps(value).encode())


def forge_jwt(header: dict[str, Any], payload: dict[str, Any], signature: bytes = b"x" * 64) -> str:
    return f"{b64url_json(header)}.{b64url_json(payload)}.{b64url(signature)}"


def hs256_jwt(secret: bytes, payload: dict[str, Any]) -> str:
    signing_input = f"{b64url_json({'alg': 'HS256', 'kid': VECTOR_KID})}.{b64url_json(payload)}"
    digest = hmac.new(secret, signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{b64url(digest)}"


def flip(text: str, index: int) -> str:
    """`text` with one character replaced by a different one of the same alphabet."""
    replacement = "A" if text[index] != "A" else "B"
    return text[:index] + replacement + text[index + 1 :]


@dataclass(frozen=True)
class Holder:
    """A throwaway user with one session."""

    user_id: str
    credentials: users.SessionCredentials


@dataclass(frozen=True)
class Kit:
    """Everything the attacks are built from; made once for the module."""

    ada: Any
    grace: Any
    kid: str
    key: Ed25519PrivateKey
    expired: Holder
    revoked: Holder
    orphaned: Holder
    writer: Holder
    bait_task: int
    adas_tasks: list[dict[str, Any]]

    def claims(self, **overrides: Any) -> dict[str, Any]:
        base = {"sub": self.ada.id, "iss": BASE_URL, "aud": BASE_URL, "iat": NOW, "exp": NOW + 900}
        base.update(overrides)
        return {k: v for k, v in base.items() if v is not None}

    def jwt(self, kid: str | None = None, **overrides: Any) -> str:
        return jwt.encode(
            self.claims(**overrides),
            self.key,
            algorithm="EdDSA",
            headers={"kid": kid if kid is not None else self.kid},
        )


def _holder(lifetime: timedelta = users.SESSION_LIFETIME) -> Holder:
    async def work() -> Holder:
        async with session_scope() as db:
            user = await users.create_user(
                db, email=f"{uuid.uuid4().hex}@example.com", name="Target", password="target-pw-1"
            )
            session = await users.create_session(db, user_id=user.id, lifetime=lifetime)
        return Holder(user.id, users.session_credentials(session.token, get_settings()))

    return run_db(work)


def _insert_key(kid: str, key: Ed25519PrivateKey) -> None:
    public = json.loads(OKPAlgorithm.to_jwk(key.public_key()))

    async def work() -> None:
        async with session_scope() as db:
            db.add(
                Jwks(
                    id=kid,
                    public_key=json.dumps({"crv": "Ed25519", "x": public["x"], "kty": "OKP"}),
                    private_key="(not needed to verify)",
                    created_at=FROZEN_NOW,
                    expires_at=None,
                    alg="EdDSA",
                    crv="Ed25519",
                )
            )

    run_db(work)


def _ada_tasks(http: httpx.Client, ada: Any) -> list[dict[str, Any]]:
    response = http.get(ada.url("/tasks"), params={"limit": 100}, headers=ada.headers)
    assert response.status_code == 200
    items: list[dict[str, Any]] = response.json()["items"]
    return items


@pytest.fixture(scope="module")
def kit(http: httpx.Client, ada: Any, grace: Any) -> Iterator[Kit]:
    kid = users.generate_id()
    key = Ed25519PrivateKey.generate()
    _insert_key(kid, key)
    expired = _holder(lifetime=timedelta(seconds=-1))
    revoked = _holder()
    orphaned = _holder()

    async def revoke_and_orphan() -> None:
        async with session_scope() as db:
            await users.revoke_sessions(db, user_id=revoked.user_id)
            await db.execute(delete(User).where(User.id == orphaned.user_id))

    run_db(revoke_and_orphan)
    bait = http.post(ada.url("/tasks"), json={"title": "bait"}, headers=ada.headers)
    assert bait.status_code == 201
    adas_tasks = _ada_tasks(http, ada)
    yield Kit(
        ada=ada,
        grace=grace,
        kid=kid,
        key=key,
        expired=expired,
        revoked=revoked,
        orphaned=orphaned,
        writer=_holder(),
        bait_task=bait.json()["id"],
        adas_tasks=adas_tasks,
    )

    async def remove_bait() -> None:
        # Straight from the table, so ada's data is left exactly as it was found (no trash).
        async with session_scope() as db:
            await db.execute(delete(Task).where(Task.id == bait.json()["id"]))

    run_db(remove_bait)


@dataclass(frozen=True)
class Attack:
    """One request and the exact status it must get."""

    status: int
    headers: dict[str, str | bytes]
    path: str = "/api/me"
    method: str = "GET"
    body: Any = None


def bearer(value: str | bytes, path: str = "/api/me", method: str = "GET") -> Attack:
    header = b"Bearer " + value if isinstance(value, bytes) else f"Bearer {value}"
    return Attack(401, {"Authorization": header}, path, method)


def cookie(value: str | bytes) -> Attack:
    header = f"{COOKIE}=".encode() + value if isinstance(value, bytes) else f"{COOKIE}={value}"
    return Attack(401, {"Cookie": header})


def _ada_bearer(k: Kit) -> str:
    return str(k.ada.bearer)


def _ada_token_and_signature(k: Kit) -> tuple[str, str]:
    token, _, signature = _ada_bearer(k).rpartition(".")
    return token, signature


def _tampered_vector_payload(k: Kit) -> str:
    header, payload, signature = str(k.ada.jwt).split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["sub"] = k.grace.id
    return f"{header}.{b64url_json(claims)}.{signature}"


def _cookie_write(k: Kit, **headers: str) -> Attack:
    return Attack(
        403,
        {"Cookie": k.ada.cookie, **headers},
        k.ada.url("/tasks"),
        "POST",
        {"title": "forged from another site"},
    )


SECRET = VECTORS["secret"]
ATTACKS: dict[str, Callable[[Kit], Attack]] = {
    # Signed session values, sent as a bearer token.
    "tampered signature": lambda k: bearer(flip(_ada_bearer(k), -5)),
    "tampered token, original signature": lambda k: bearer(flip(_ada_bearer(k), 3)),
    "truncated signature": lambda k: bearer(_ada_bearer(k)[:-4]),
    "signature without padding": lambda k: bearer(_ada_bearer(k).rstrip("=")),
    "signature one character too long": lambda k: bearer(_ada_bearer(k) + "A"),
    "base64url signature": lambda k: bearer(_ada_bearer(k).replace("+", "-").replace("/", "_")),
    "double URL-encoded": lambda k: bearer(quote(quote(_ada_bearer(k), safe=""), safe="")),
    "signed with another secret": lambda k: bearer(
        sign_session_token(k.ada.session_token, "another-secret-entirely")
    ),
    "grace's token with ada's signature": lambda k: bearer(
        f"{k.grace.session_token}.{_ada_token_and_signature(k)[1]}"
    ),
    "extra dot before the signature": lambda k: bearer(
        "{}..{}".format(*_ada_token_and_signature(k))
    ),
    "extra segments": lambda k: bearer(f"x.{_ada_bearer(k)}.y"),
    "token with a trailing dot only": lambda k: bearer(f"{k.ada.session_token}."),
    "signature only": lambda k: bearer("." + _ada_token_and_signature(k)[1]),
    "unknown raw token": lambda k: bearer(users.generate_id()),
    "SQL-looking raw token": lambda k: bearer("' OR '1'='1' --"),
    "URL-encoded SQL token": lambda k: bearer(quote("x' OR 1=1; DROP TABLE session; --")),
    "SQL-looking token signed with the real secret": lambda k: bearer(
        sign_session_token("' OR 1=1; DROP TABLE session; --", SECRET)
    ),
    "NUL in a token signed with the real secret": lambda k: bearer(
        quote(sign_session_token("abc\x00def", SECRET), safe="")
    ),
    "non-ASCII bearer": lambda k: bearer("jeton-sécurisé-☃".encode()),
    "very long bearer": lambda k: bearer("A" * 10_000),
    "very long signed-looking bearer": lambda k: bearer("a" * 5_000 + "." + "b" * 43 + "="),
    "Basic scheme": lambda k: Attack(401, {"Authorization": "Basic YWRhOmNvcnJlY3QtaG9yc2U="}),
    "bearer scheme without a token": lambda k: Attack(401, {"Authorization": "Bearer"}),
    # The session cookie.
    "tampered cookie": lambda k: cookie(flip(k.ada.cookie.split("=", 1)[1], 40)),
    "unsigned cookie": lambda k: cookie(k.ada.session_token),
    "double-encoded cookie": lambda k: cookie(quote(k.ada.cookie.split("=", 1)[1], safe="")),
    "cookie signed with another secret": lambda k: cookie(
        quote(sign_session_token(k.ada.session_token, "another-secret"), safe="")
    ),
    "non-ASCII cookie": lambda k: cookie("sécurité☃.".encode() + b"x" * 43 + b"="),
    "very long cookie": lambda k: cookie("c" * 10_000),
    "SQL-looking cookie": lambda k: cookie(quote("' OR 1=1 --." + "A" * 43 + "=")),
    "JWT sent as a cookie": lambda k: cookie(k.ada.jwt),
    # Sessions that are no longer good.
    "expired session (bearer)": lambda k: bearer(k.expired.credentials.bearer),
    "expired session (cookie)": lambda k: cookie(k.expired.credentials.cookie_value),
    "revoked session": lambda k: bearer(k.revoked.credentials.bearer),
    "revoked session (cookie)": lambda k: cookie(k.revoked.credentials.cookie_value),
    "session of a deleted user": lambda k: bearer(k.orphaned.credentials.bearer),
    # Good credentials aimed at someone else's data.
    "grace's cookie on ada's URL": lambda k: Attack(
        403, {"Cookie": k.grace.cookie}, k.ada.url("/tasks")
    ),
    "grace's bearer deleting ada's task": lambda k: Attack(
        403, dict(k.grace.headers), k.ada.url(f"/tasks/{k.bait_task}"), "DELETE"
    ),
    "grace's JWT on ada's URL": lambda k: Attack(
        403, {"Authorization": f"Bearer {k.grace.jwt}"}, k.ada.url("/tasks")
    ),
    # JWTs.
    "JWT alg none": lambda k: bearer(
        forge_jwt({"alg": "none", "kid": VECTOR_KID}, k.claims(), b"") + b64url(b"\x00")
    ),
    "JWT alg none, empty signature": lambda k: bearer(
        forge_jwt({"alg": "none", "kid": VECTOR_KID}, k.claims(), b"")
    ),
    "JWT HS256 keyed with the public JWK": lambda k: bearer(
        hs256_jwt(VECTOR_PUBLIC_KEY.encode(), k.claims())
    ),
    "JWT HS256 keyed with the raw public key": lambda k: bearer(
        hs256_jwt(base64.urlsafe_b64decode(VECTORS["jwks"]["keys"][0]["x"] + "="), k.claims())
    ),
    "JWT unknown kid": lambda k: bearer(k.jwt(kid=users.generate_id())),
    "JWT without kid": lambda k: bearer(jwt.encode(k.claims(), k.key, algorithm="EdDSA")),
    "JWT NUL in kid": lambda k: bearer(k.jwt(kid="\x00")),
    "JWT SQL in kid": lambda k: bearer(k.jwt(kid="' OR '1'='1")),
    "JWT signed by another key under a known kid": lambda k: bearer(
        jwt.encode(
            k.claims(), Ed25519PrivateKey.generate(), algorithm="EdDSA", headers={"kid": k.kid}
        )
    ),
    "JWT wrong issuer": lambda k: bearer(k.jwt(iss="https://evil.example")),
    "JWT wrong audience": lambda k: bearer(k.jwt(aud="https://evil.example")),
    "JWT audience list without ours": lambda k: bearer(k.jwt(aud=["https://a", "https://b"])),
    "JWT expired": lambda k: bearer(k.jwt(iat=NOW - 3600, exp=NOW - 60)),
    "JWT without exp": lambda k: bearer(k.jwt(exp=None)),
    "JWT not valid yet": lambda k: bearer(k.jwt(nbf=NOW + 3600)),
    "JWT subject never existed": lambda k: bearer(k.jwt(sub=users.generate_id())),
    "JWT subject deleted": lambda k: bearer(k.jwt(sub=k.orphaned.user_id)),
    "JWT subject with NUL": lambda k: bearer(k.jwt(sub="ada\x00")),
    "JWT tampered payload": lambda k: bearer(_tampered_vector_payload(k)),
    "JWT tampered signature": lambda k: bearer(flip(str(k.ada.jwt), -10)),
    "JWT with a critical header": lambda k: bearer(
        jwt.encode(k.claims(), k.key, algorithm="EdDSA", headers={"kid": k.kid, "crit": ["exp"]})
    ),
    "forged JWT writing ada's tasks": lambda k: bearer(
        k.jwt(sub=k.ada.id, aud="https://evil.example"), k.ada.url("/tasks"), "POST"
    ),
    # Cross-site writes riding on ada's cookie.
    "cookie write without Origin": lambda k: _cookie_write(k),
    "cookie write from a foreign Origin": lambda k: _cookie_write(k, Origin="https://evil.example"),
    "cookie write with Origin null": lambda k: _cookie_write(k, Origin="null"),
    "cookie write from a foreign Referer": lambda k: _cookie_write(
        k, Referer="https://evil.example/page"
    ),
    "cookie write from a look-alike Origin": lambda k: _cookie_write(
        k, Origin="http://localhost:3000.evil.example"
    ),
    "cookie delete from a foreign Origin": lambda k: Attack(
        403,
        {"Cookie": k.ada.cookie, "Origin": "https://evil.example"},
        k.ada.url(f"/tasks/{k.bait_task}"),
        "DELETE",
    ),
    "cookie patch without Origin": lambda k: Attack(
        403,
        {"Cookie": k.ada.cookie},
        k.ada.url(f"/tasks/{k.bait_task}"),
        "PATCH",
        {"title": "defaced"},
    ),
}


def send(http: httpx.Client, attack: Attack) -> httpx.Response:
    return http.request(
        attack.method,
        attack.path,
        headers=attack.headers,
        json=attack.body if attack.body is not None else ({} if attack.method != "GET" else None),
    )


def assert_error(status: int, headers: Any, body: Any, expected: int) -> None:
    assert status == expected, body
    error = body["error"]
    assert set(error) == {"code", "message", "details"}
    assert isinstance(error["message"], str) and error["message"]
    assert error["details"] == []
    if expected == 401:
        assert error["code"] == "unauthorized"
        assert headers["www-authenticate"] == "Bearer"
    else:
        assert error["code"] == "forbidden"


@pytest.mark.parametrize("name", list(ATTACKS))
def test_attack(http: httpx.Client, kit: Kit, name: str) -> None:
    attack = ATTACKS[name](kit)
    response = send(http, attack)
    assert_error(response.status_code, response.headers, response.json(), attack.status)


def test_the_suite_is_large_enough() -> None:
    assert len(ATTACKS) >= 40


LAMBDA_ATTACKS = [
    "tampered signature",
    "signed with another secret",
    "expired session (cookie)",
    "revoked session",
    "JWT alg none",
    "JWT HS256 keyed with the public JWK",
    "JWT subject deleted",
    "grace's cookie on ada's URL",
    "cookie write without Origin",
    "cookie write from a foreign Origin",
]


@pytest.mark.parametrize("name", LAMBDA_ATTACKS)
def test_attack_through_the_lambda_handler(kit: Kit, lambda_context: Any, name: str) -> None:
    attack = ATTACKS[name](kit)
    headers = {k: v.decode() if isinstance(v, bytes) else v for k, v in attack.headers.items()}
    event = lambda_event(attack.method, attack.path, headers=headers, body=attack.body)
    result = composed.handler(event, lambda_context)
    response_headers = {k.lower(): v for k, v in result["headers"].items()}
    assert_error(result["statusCode"], response_headers, json.loads(result["body"]), attack.status)


def test_the_real_credentials_still_work_and_a_trusted_write_passes(
    http: httpx.Client, kit: Kit
) -> None:
    for headers in (
        kit.ada.headers,
        {"Cookie": kit.ada.cookie},
        {"Authorization": f"Bearer {kit.ada.jwt}"},
        {"Authorization": f"Bearer {kit.jwt()}"},
    ):
        response = http.get("/api/me", headers=headers)
        assert response.status_code == 200
        assert response.json()["id"] == kit.ada.id
    writer = kit.writer
    response = http.post(
        f"/api/{writer.user_id}/tasks",
        json={"title": "from the dashboard"},
        headers={"Cookie": writer.credentials.cookie, "Origin": DASHBOARD_ORIGIN},
    )
    assert response.status_code == 201


def test_no_attack_reached_adas_data(http: httpx.Client, kit: Kit) -> None:
    assert _ada_tasks(http, kit.ada) == kit.adas_tasks
    assert [t["title"] for t in kit.adas_tasks if t["id"] == kit.bait_task] == ["bait"]

"""Sessions and JWTs end to end: sign-out, expiry, deleted users, precedence, key sources."""

from __future__ import annotations

import asyncio
import json
import secrets
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import jwt
import pytest
from conftest import FROZEN_NOW, VECTORS, lambda_event, run_db
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from jwt.algorithms import OKPAlgorithm
from sqlalchemy import delete, text, update
from sqlalchemy.ext.asyncio import create_async_engine
from starlette.datastructures import Headers

from functions import me
from shared import auth, clock
from shared.config import get_settings
from shared.database import session_scope
from shared.jwt_verify import (
    JwkRecord,
    JwksUrlLoader,
    JwtError,
    JwtVerifier,
    KeySourceError,
    load_jwk,
)
from shared.models import Jwks, Session, User
from shared.users import service as users

BASE_URL = VECTORS["baseURL"]


@dataclass(frozen=True)
class Guest:
    """A user made for one test, with one session, so the shared vector users stay intact."""

    id: str
    session_id: str
    credentials: users.SessionCredentials

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.credentials.bearer}"}


def make_guest(lifetime: timedelta = users.SESSION_LIFETIME) -> Guest:
    async def work() -> Guest:
        async with session_scope() as db:
            user = await users.create_user(
                db, email=f"{uuid.uuid4().hex}@example.com", name="Guest", password="guest-pass-1"
            )
            session = await users.create_session(db, user_id=user.id, lifetime=lifetime)
        credentials = users.session_credentials(session.token, get_settings())
        return Guest(id=user.id, session_id=session.id, credentials=credentials)

    return run_db(work)


def me_status(http: httpx.Client, headers: dict[str, str]) -> int:
    return http.get("/api/me", headers=headers).status_code


def assert_unauthorized(response: httpx.Response) -> None:
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert set(response.json()["error"]) == {"code", "message", "details"}
    assert response.json()["error"]["code"] == "unauthorized"


# --- sessions ----------------------------------------------------------------------------------


def test_every_form_of_a_session_works(http: httpx.Client) -> None:
    guest = make_guest()
    forms = [
        {"Authorization": f"Bearer {guest.credentials.bearer}"},
        {"Authorization": f"Bearer {guest.credentials.cookie_value}"},
        {"Authorization": f"Bearer {guest.credentials.token}"},
        {"Authorization": f"bearer {guest.credentials.bearer}"},
        {"Cookie": guest.credentials.cookie},
        {"Cookie": f"__Secure-better-auth.session_token={guest.credentials.cookie_value}"},
        {"Cookie": f"theme=dark; {guest.credentials.cookie}; other=1"},
    ]
    for headers in forms:
        response = http.get("/api/me", headers=headers)
        assert response.status_code == 200, headers
        assert response.json()["id"] == guest.id


def test_signed_out_session_stops_working_at_once(http: httpx.Client) -> None:
    guest = make_guest()
    other = make_guest()
    assert me_status(http, guest.headers) == 200

    async def sign_out() -> int:
        async with session_scope() as db:
            return await users.revoke_sessions(db, user_id=guest.id, token=guest.credentials.bearer)

    assert run_db(sign_out) == 1
    for headers in (
        guest.headers,
        {"Authorization": f"Bearer {guest.credentials.token}"},
        {"Cookie": guest.credentials.cookie},
    ):
        assert_unauthorized(http.get("/api/me", headers=headers))
    assert me_status(http, other.headers) == 200


def test_expired_session_is_refused(http: httpx.Client) -> None:
    already = make_guest(lifetime=timedelta(seconds=-1))
    assert_unauthorized(http.get("/api/me", headers=already.headers))

    guest = make_guest(lifetime=timedelta(minutes=5))
    assert me_status(http, guest.headers) == 200
    clock.freeze(FROZEN_NOW + timedelta(minutes=5))
    assert_unauthorized(http.get("/api/me", headers=guest.headers))
    assert_unauthorized(http.get("/api/me", headers={"Cookie": guest.credentials.cookie}))


def test_session_of_a_deleted_user_is_refused(http: httpx.Client) -> None:
    guest = make_guest()
    assert me_status(http, guest.headers) == 200

    async def delete_user() -> None:
        async with session_scope() as db:
            await db.execute(delete(User).where(User.id == guest.id))

    run_db(delete_user)
    assert_unauthorized(http.get("/api/me", headers=guest.headers))


def test_orphaned_session_row_is_refused_even_without_the_foreign_key(
    http: httpx.Client,
) -> None:
    token = secrets.token_hex(16)

    async def insert_orphan() -> None:
        async with session_scope() as db:
            # Replica mode skips foreign-key triggers: a session whose user never existed.
            await db.execute(text("SET LOCAL session_replication_role = replica"))
            db.add(
                Session(
                    id=users.generate_id(),
                    token=token,
                    expires_at=FROZEN_NOW + timedelta(days=1),
                    created_at=FROZEN_NOW,
                    updated_at=FROZEN_NOW,
                    user_id="no-such-user",
                )
            )

    run_db(insert_orphan)
    signed = auth.sign_session_token(token, get_settings().better_auth_secret)
    assert_unauthorized(http.get("/api/me", headers={"Authorization": f"Bearer {signed}"}))


# --- which credential decides ------------------------------------------------------------------


def test_header_wins_over_cookie(http: httpx.Client, ada: Any, grace: Any) -> None:
    cases = [
        ({**ada.headers, "Cookie": grace.cookie}, ada.id),
        ({**grace.headers, "Cookie": ada.cookie}, grace.id),
        ({"Authorization": f"Bearer {ada.jwt}", "Cookie": grace.cookie}, ada.id),
        ({"Authorization": f"Bearer {grace.session_token}", "Cookie": ada.cookie}, grace.id),
    ]
    for headers, expected in cases:
        response = http.get("/api/me", headers=headers)
        assert response.status_code == 200
        assert response.json()["id"] == expected
    response = http.get(grace.url("/tasks"), headers={**ada.headers, "Cookie": grace.cookie})
    assert response.status_code == 403


@pytest.mark.parametrize(
    "authorization",
    ["Bearer not-a-token", "Basic YWRhOnB3", "Bearer", "Token abc", ""],
)
def test_a_bad_header_is_not_rescued_by_a_good_cookie(
    http: httpx.Client, ada: Any, authorization: str
) -> None:
    response = http.get("/api/me", headers={"Authorization": authorization, "Cookie": ada.cookie})
    assert_unauthorized(response)


def test_principal_names_how_the_caller_proved_it(ada: Any) -> None:
    cases = [
        ({"authorization": f"Bearer {ada.bearer}"}, "bearer"),
        ({"authorization": f"Bearer {ada.session_token}"}, "bearer"),
        ({"cookie": ada.cookie}, "cookie"),
        ({"authorization": f"Bearer {ada.jwt}"}, "jwt"),
    ]
    for raw, method in cases:

        async def resolve(headers: dict[str, str] = raw) -> auth.Principal:
            return await auth.resolve_principal(Headers(headers))

        principal = run_db(resolve)
        assert (principal.user.id, principal.method) == (ada.id, method)
        assert (principal.session_id is None) == (method == "jwt")


# --- JWTs --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Signer:
    """An Ed25519 key stored in the jwks table the way Better Auth stores its own."""

    kid: str
    key: Ed25519PrivateKey

    def sign(self, **claims: Any) -> str:
        now = int(FROZEN_NOW.timestamp())
        payload = {"iss": BASE_URL, "aud": BASE_URL, "iat": now, "exp": now + 900, **claims}
        return jwt.encode(payload, self.key, algorithm="EdDSA", headers={"kid": self.kid})


def make_signer() -> Signer:
    key = Ed25519PrivateKey.generate()
    public = json.loads(OKPAlgorithm.to_jwk(key.public_key()))
    signer = Signer(kid=users.generate_id(), key=key)

    async def insert() -> None:
        async with session_scope() as db:
            db.add(
                Jwks(
                    id=signer.kid,
                    public_key=json.dumps({"crv": public["crv"], "x": public["x"], "kty": "OKP"}),
                    private_key="(not needed to verify)",
                    created_at=FROZEN_NOW,
                    expires_at=None,
                    alg="EdDSA",
                    crv="Ed25519",
                )
            )

    run_db(insert)
    return signer


def test_vector_jwts_work_over_http_and_lambda(
    http: httpx.Client, ada: Any, grace: Any, lambda_context: Any
) -> None:
    for person in (ada, grace):
        headers = {"Authorization": f"Bearer {person.jwt}"}
        response = http.get("/api/me", headers=headers)
        assert response.status_code == 200
        assert response.json()["id"] == person.id
        assert http.get(person.url("/tasks"), headers=headers).status_code == 200
        result = me.handler(lambda_event("GET", "/api/me", headers=headers), lambda_context)
        assert result["statusCode"] == 200
        assert json.loads(result["body"])["id"] == person.id


def test_one_verifier_per_process() -> None:
    assert auth.jwt_verifier() is auth.jwt_verifier()


def test_revoked_signing_key_is_refused_once_its_cache_entry_expires(
    http: httpx.Client, ada: Any
) -> None:
    signer = make_signer()
    headers = {"Authorization": f"Bearer {signer.sign(sub=ada.id)}"}
    assert me_status(http, headers) == 200

    async def revoke_key() -> None:
        # What Better Auth's revokeKey does: the row keeps its key under another id.
        async with session_scope() as db:
            await db.execute(
                update(Jwks).where(Jwks.id == signer.kid).values(id=signer.kid + " revoked")
            )

    run_db(revoke_key)
    # Keys are cached by kid: the revoked key still verifies until its entry ages out.
    clock.freeze(FROZEN_NOW + timedelta(seconds=auth.DATABASE_KEY_TTL_SECONDS - 1))
    assert me_status(http, headers) == 200
    clock.freeze(FROZEN_NOW + timedelta(seconds=auth.DATABASE_KEY_TTL_SECONDS + 1))
    assert_unauthorized(http.get("/api/me", headers=headers))


def test_jwt_of_a_user_deleted_after_issue_is_refused(http: httpx.Client) -> None:
    guest = make_guest()
    signer = make_signer()
    headers = {"Authorization": f"Bearer {signer.sign(sub=guest.id)}"}
    assert me_status(http, headers) == 200

    async def delete_user() -> None:
        async with session_scope() as db:
            await db.execute(delete(User).where(User.id == guest.id))

    run_db(delete_user)
    assert_unauthorized(http.get("/api/me", headers=headers))


async def _unreachable_database_key(kid: str) -> JwkRecord | None:
    engine = create_async_engine("postgresql+asyncpg://postgres@127.0.0.1:1/none")
    try:
        async with engine.connect():
            pass
    finally:
        await engine.dispose()
    raise AssertionError("port 1 accepted a connection")


def test_key_table_outage_is_503_not_401(
    http: httpx.Client, ada: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    verifier = JwtVerifier(issuer=BASE_URL, audience=BASE_URL, load_key=_unreachable_database_key)
    monkeypatch.setattr(auth, "jwt_verifier", lambda: verifier)
    for _ in range(2):
        response = http.get("/api/me", headers={"Authorization": f"Bearer {ada.jwt}"})
        assert response.status_code == 503
        assert response.json()["error"]["code"] == "service_unavailable"
    # Session credentials do not need the keys.
    assert me_status(http, ada.headers) == 200


class JwksServer:
    """Serves a JWKS document like Better Auth's /api/auth/jwks, on a loopback port."""

    def __init__(self, document: dict[str, Any]) -> None:
        self.status = 200
        server = self
        body = json.dumps(document).encode()

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                self.send_response(server.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/api/auth/jwks"


@pytest.fixture
def jwks_server() -> Iterator[JwksServer]:
    server = JwksServer(VECTORS["jwks"])
    thread = threading.Thread(target=server.httpd.serve_forever, daemon=True)
    thread.start()
    yield server
    server.httpd.shutdown()
    server.httpd.server_close()
    thread.join()


def test_keys_from_a_jwks_url(
    http: httpx.Client, ada: Any, jwks_server: JwksServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    verifier = auth.build_jwt_verifier(replace(get_settings(), jwks_url=jwks_server.url))
    monkeypatch.setattr(auth, "jwt_verifier", lambda: verifier)
    response = http.get("/api/me", headers={"Authorization": f"Bearer {ada.jwt}"})
    assert response.status_code == 200
    assert response.json()["id"] == ada.id
    forged = make_signer().sign(sub=ada.id)
    assert_unauthorized(http.get("/api/me", headers={"Authorization": f"Bearer {forged}"}))


def closed_port_url() -> str:
    """A loopback URL nothing listens on."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    port = server.server_address[1]
    server.server_close()
    return f"http://127.0.0.1:{port}/api/auth/jwks"


def test_unreachable_jwks_url_is_503_every_time(
    http: httpx.Client, ada: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    verifier = auth.build_jwt_verifier(replace(get_settings(), jwks_url=closed_port_url()))
    monkeypatch.setattr(auth, "jwt_verifier", lambda: verifier)
    for _ in range(3):
        response = http.get("/api/me", headers={"Authorization": f"Bearer {ada.jwt}"})
        assert response.status_code == 503
        assert response.json()["error"]["code"] == "service_unavailable"
        assert "keys" in response.json()["error"]["message"]


def test_jwks_outage_serves_known_keys_and_refuses_to_guess(jwks_server: JwksServer) -> None:
    loader = JwksUrlLoader(jwks_server.url, refresh_seconds=0)
    kid = VECTORS["jwks"]["keys"][0]["kid"]

    async def lookups() -> None:
        assert await loader(kid) is not None
        assert await loader("unknown") is None
        jwks_server.status = 500
        # Until the source answers again the last good keys still verify, and an unfamiliar
        # kid is an outage (503), not a bad token (401).
        assert await loader(kid) is not None
        with pytest.raises(KeySourceError):
            await loader("unknown")
        jwks_server.status = 200
        assert await loader("unknown") is None

    asyncio.run(lookups())


def test_withdrawn_key_stops_verifying_after_the_key_ttl(ada: Any) -> None:
    now = [FROZEN_NOW.timestamp()]
    records = {
        kid: load_jwk(row["publicKey"], row["alg"], row["crv"], kid)
        for row in VECTORS["rows"]["jwks"]
        for kid in [row["id"]]
    }

    async def load(kid: str) -> JwkRecord | None:
        return records.get(kid)

    verifier = JwtVerifier(
        issuer=BASE_URL,
        audience=BASE_URL,
        load_key=load,
        clock=lambda: now[0],
        key_ttl_seconds=auth.REMOTE_KEY_TTL_SECONDS,
    )

    async def verify() -> None:
        assert (await verifier.verify(ada.jwt))["sub"] == ada.id
        records.clear()
        now[0] += auth.REMOTE_KEY_TTL_SECONDS - 1
        assert (await verifier.verify(ada.jwt))["sub"] == ada.id
        now[0] += 1
        with pytest.raises(JwtError):
            await verifier.verify(ada.jwt)

    asyncio.run(verify())


def test_jwt_expiry_has_no_leeway(http: httpx.Client, ada: Any) -> None:
    signer = make_signer()
    now = int(FROZEN_NOW.timestamp())
    fresh = signer.sign(sub=ada.id, iat=now + 20, exp=now + 1)
    assert me_status(http, {"Authorization": f"Bearer {fresh}"}) == 200
    expired = signer.sign(sub=ada.id, iat=now - 900, exp=now)
    assert_unauthorized(http.get("/api/me", headers={"Authorization": f"Bearer {expired}"}))

"""Browser safety: CORS for the dashboard, and the origin check on cookie-authenticated writes."""

from __future__ import annotations

import asyncio
import json
import re
import uuid
from dataclasses import dataclass, replace
from typing import Any

import httpx
import pytest
from conftest import DASHBOARD_ORIGIN, lambda_event, run_db
from sqlalchemy.exc import OperationalError
from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from functions import app as composed
from functions import tasks
from shared.application import create_app
from shared.config import ConfigError, get_settings
from shared.csrf import origin_of, require_trusted_origin
from shared.database import session_scope
from shared.errors import ForbiddenError
from shared.users import service as users

FOREIGN_ORIGIN = "https://evil.example"


@dataclass(frozen=True)
class Guest:
    user_id: str
    bearer: str
    cookie: str


@pytest.fixture(scope="module")
def guest() -> Guest:
    """A user of this module's own, so its writes never touch the vector users' data."""

    async def work() -> tuple[str, str]:
        async with session_scope() as db:
            user = await users.create_user(
                db, email=f"{uuid.uuid4().hex}@example.com", name="Guest", password="guest-pass-1"
            )
            session = await users.create_session(db, user_id=user.id)
        return user.id, session.token

    user_id, token = run_db(work)
    credentials = users.session_credentials(token, get_settings())
    return Guest(user_id=user_id, bearer=credentials.bearer, cookie=credentials.cookie)


def tasks_url(guest: Guest) -> str:
    return f"/api/{guest.user_id}/tasks"


def assert_untrusted_origin(response: httpx.Response) -> None:
    assert response.status_code == 403
    error = response.json()["error"]
    assert set(error) == {"code", "message", "details"}
    assert error["code"] == "forbidden"
    assert "origin is not trusted" in error["message"]


# --- CORS --------------------------------------------------------------------------------------


def _concrete(path: str) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: "me" if m.group(1) == "user_id" else "1", path)


@pytest.mark.parametrize(
    ("method", "path"),
    [(op.method, op.path) for op in composed.operations] + [("GET", "/openapi.json")],
)
def test_preflight_works_on_every_route(http: httpx.Client, method: str, path: str) -> None:
    response = http.options(
        _concrete(path),
        headers={
            "Origin": DASHBOARD_ORIGIN,
            "Access-Control-Request-Method": method,
            "Access-Control-Request-Headers": "authorization, content-type, if-match",
        },
    )
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == DASHBOARD_ORIGIN
    assert response.headers["access-control-allow-credentials"] == "true"
    assert method in response.headers["access-control-allow-methods"]
    allowed_headers = response.headers["access-control-allow-headers"].lower()
    for header in ("authorization", "content-type", "if-match"):
        assert header in allowed_headers
    assert response.headers["x-request-id"]


def test_preflight_from_a_foreign_origin_is_refused(http: httpx.Client) -> None:
    response = http.options(
        "/api/me",
        headers={"Origin": FOREIGN_ORIGIN, "Access-Control-Request-Method": "GET"},
    )
    assert response.status_code == 400
    assert "access-control-allow-origin" not in response.headers
    assert response.headers["x-request-id"]
    error = response.json()["error"]
    assert error["code"] == "bad_request" and error["details"] == []
    assert "origin" in error["message"]


def test_dashboard_may_read_responses_and_their_headers(http: httpx.Client, ada: Any) -> None:
    for path in ("/health", "/api/me", ada.url("/tasks"), ada.url("/categories")):
        response = http.get(path, headers={**ada.headers, "Origin": DASHBOARD_ORIGIN})
        assert response.status_code == 200
        assert response.headers["access-control-allow-origin"] == DASHBOARD_ORIGIN
        assert response.headers["access-control-allow-credentials"] == "true"
        exposed = response.headers["access-control-expose-headers"].lower()
        assert "x-request-id" in exposed and "etag" in exposed
        assert "origin" in response.headers["vary"].lower()


def test_errors_carry_cors_headers_too(http: httpx.Client) -> None:
    response = http.get("/api/me", headers={"Origin": DASHBOARD_ORIGIN})
    assert response.status_code == 401
    assert response.headers["access-control-allow-origin"] == DASHBOARD_ORIGIN


def test_foreign_origin_gets_no_cors_grant(http: httpx.Client, ada: Any) -> None:
    response = http.get("/api/me", headers={**ada.headers, "Origin": FOREIGN_ORIGIN})
    assert response.status_code == 200
    assert "access-control-allow-origin" not in response.headers


async def _crash(request: Request) -> Response:
    raise RuntimeError("boom")


async def _database_down(request: Request) -> Response:
    raise OperationalError("SELECT 1", {}, ConnectionRefusedError("refused"))


# The app checks the schema before its first request reaches a route.
@pytest.mark.usefixtures("scratch_database")
def test_crash_and_outage_responses_are_readable_by_the_dashboard() -> None:
    app = create_app([Route("/crash", _crash), Route("/down", _database_down)])

    async def fetch(path: str) -> httpx.Response:
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            return await client.get(path, headers={"Origin": DASHBOARD_ORIGIN})

    for path, status, code in (
        ("/crash", 500, "internal_error"),
        ("/down", 503, "service_unavailable"),
    ):
        response = asyncio.run(fetch(path))
        assert response.status_code == status
        assert response.json()["error"]["code"] == code
        assert response.headers["access-control-allow-origin"] == DASHBOARD_ORIGIN
        assert response.headers["x-request-id"]


def test_a_wildcard_origin_is_refused_at_start_up(monkeypatch: pytest.MonkeyPatch) -> None:
    try:
        with monkeypatch.context() as patch:
            patch.setenv("CORS_ORIGINS", f"{DASHBOARD_ORIGIN}, *")
            get_settings.cache_clear()
            with pytest.raises(ConfigError, match=r"\*"):
                get_settings()
    finally:
        get_settings.cache_clear()
    assert get_settings().cors_origins == (DASHBOARD_ORIGIN,)


def test_trusted_origins_are_the_cors_origins_and_better_auth() -> None:
    settings = replace(
        get_settings(),
        cors_origins=("https://app.example", "http://localhost:3000"),
        better_auth_url="https://auth.example",
    )
    assert settings.trusted_origins == (
        "https://app.example",
        "http://localhost:3000",
        "https://auth.example",
    )


# --- CSRF: the origin check --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "origin"),
    [
        ("http://localhost:3000", "http://localhost:3000"),
        ("HTTP://LocalHost:3000/tasks?x=1#y", "http://localhost:3000"),
        ("https://app.example:443/", "https://app.example"),
        ("http://app.example:80", "http://app.example"),
        ("http://[::1]:3000/", "http://[::1]:3000"),
        ("null", None),
        ("", None),
        ("localhost:3000", None),
        ("file:///etc/passwd", None),
        ("javascript:alert(1)", None),
        ("http://localhost:3000@evil.example", None),
        ("http://evil.example\\@localhost:3000", None),
        ("http://localhost:99999", None),
        ("http://localhost:3000.evil.example", None),
        ("http://", None),
    ],
)
def test_origin_of(url: str, origin: str | None) -> None:
    assert origin_of(url) == origin


@pytest.mark.parametrize("method", ["GET", "HEAD", "OPTIONS", "get"])
def test_safe_methods_need_no_origin(method: str) -> None:
    require_trusted_origin(method, Headers({}), [DASHBOARD_ORIGIN])


@pytest.mark.parametrize(
    ("headers", "trusted"),
    [
        ({"origin": DASHBOARD_ORIGIN}, True),
        ({"origin": "http://localhost:3000/"}, True),
        ({"referer": f"{DASHBOARD_ORIGIN}/tasks?page=2"}, True),
        ({"origin": "", "referer": f"{DASHBOARD_ORIGIN}/"}, True),
        ({"origin": "https://auth.example"}, True),
        ({}, False),
        ({"origin": "null"}, False),
        ({"origin": "null", "referer": f"{DASHBOARD_ORIGIN}/"}, False),
        ({"origin": FOREIGN_ORIGIN, "referer": f"{DASHBOARD_ORIGIN}/"}, False),
        ({"referer": f"{FOREIGN_ORIGIN}/page"}, False),
        ({"origin": "http://localhost:3001"}, False),
        ({"origin": "https://localhost:3000"}, False),
        ({"origin": "http://localhost"}, False),
        ({"origin": "http://localhost:3000.evil.example"}, False),
        ({"origin": "http://evil.example/http://localhost:3000"}, False),
        ({"referer": "http://localhost:3000@evil.example/"}, False),
    ],
)
def test_require_trusted_origin(headers: dict[str, str], trusted: bool) -> None:
    allowed = [DASHBOARD_ORIGIN, "https://auth.example"]
    if trusted:
        require_trusted_origin("POST", Headers(headers), allowed)
    else:
        with pytest.raises(ForbiddenError, match="origin is not trusted"):
            require_trusted_origin("POST", Headers(headers), allowed)


def test_two_origin_headers_are_refused() -> None:
    headers = Headers(raw=[(b"origin", DASHBOARD_ORIGIN.encode()), (b"origin", b"https://x.io")])
    with pytest.raises(ForbiddenError):
        require_trusted_origin("DELETE", headers, [DASHBOARD_ORIGIN, "https://x.io"])


# --- CSRF: through the API ---------------------------------------------------------------------


def _task_count(http: httpx.Client, guest: Guest) -> int:
    response = http.get(tasks_url(guest), headers={"Authorization": f"Bearer {guest.bearer}"})
    assert response.status_code == 200
    return len(response.json()["items"])


def test_cookie_writes_need_a_trusted_origin(http: httpx.Client, guest: Guest) -> None:
    before = _task_count(http, guest)
    for extra in (
        {},
        {"Origin": FOREIGN_ORIGIN},
        {"Origin": "null"},
        {"Referer": f"{FOREIGN_ORIGIN}/attack.html"},
        {"Origin": "http://localhost:3000.evil.example"},
    ):
        response = http.post(
            tasks_url(guest), json={"title": "forged"}, headers={"Cookie": guest.cookie, **extra}
        )
        assert_untrusted_origin(response)
    assert _task_count(http, guest) == before

    created = http.post(
        tasks_url(guest),
        json={"title": "from the dashboard"},
        headers={"Cookie": guest.cookie, "Origin": DASHBOARD_ORIGIN},
    )
    assert created.status_code == 201
    assert created.headers["access-control-allow-origin"] == DASHBOARD_ORIGIN
    by_referer = http.post(
        tasks_url(guest),
        json={"title": "from a dashboard page"},
        headers={"Cookie": guest.cookie, "Referer": f"{DASHBOARD_ORIGIN}/tasks"},
    )
    assert by_referer.status_code == 201
    assert _task_count(http, guest) == before + 2


def test_every_state_changing_method_is_checked(http: httpx.Client, guest: Guest) -> None:
    bearer = {"Authorization": f"Bearer {guest.bearer}"}
    created = http.post(tasks_url(guest), json={"title": "keep me"}, headers=bearer)
    assert created.status_code == 201
    item = f"{tasks_url(guest)}/{created.json()['id']}"
    attempts = [
        ("PUT", item, {"title": "replaced"}),
        ("PATCH", item, {"title": "patched"}),
        ("PATCH", f"{item}/complete", None),
        ("DELETE", item, None),
    ]
    for method, url, body in attempts:
        response = http.request(
            method, url, json=body, headers={"Cookie": guest.cookie, "Origin": FOREIGN_ORIGIN}
        )
        assert_untrusted_origin(response)
        response = http.request(method, url, json=body, headers={"Cookie": guest.cookie})
        assert_untrusted_origin(response)
    after = http.get(item, headers=bearer)
    assert after.status_code == 200
    assert (after.json()["title"], after.json()["completed"]) == ("keep me", False)
    deleted = http.delete(item, headers={"Cookie": guest.cookie, "Origin": DASHBOARD_ORIGIN})
    assert deleted.status_code == 204


def test_reads_with_a_cookie_need_no_origin(http: httpx.Client, guest: Guest) -> None:
    for extra in ({}, {"Origin": FOREIGN_ORIGIN}):
        response = http.get(tasks_url(guest), headers={"Cookie": guest.cookie, **extra})
        assert response.status_code == 200


def test_bearer_and_jwt_writes_are_exempt(http: httpx.Client, guest: Guest, ada: Any) -> None:
    response = http.post(
        tasks_url(guest),
        json={"title": "by bearer"},
        headers={"Authorization": f"Bearer {guest.bearer}", "Origin": FOREIGN_ORIGIN},
    )
    assert response.status_code == 201
    # A JWT write, undone at once so ada's data is left as it was.
    jwt_headers = {"Authorization": f"Bearer {ada.jwt}"}
    created = http.post(
        ada.url("/categories"), json={"name": uuid.uuid4().hex[:12]}, headers=jwt_headers
    )
    assert created.status_code == 201
    deleted = http.delete(ada.url(f"/categories/{created.json()['id']}"), headers=jwt_headers)
    assert deleted.status_code == 204


def test_a_bearer_with_a_cookie_is_judged_by_the_bearer(http: httpx.Client, guest: Guest) -> None:
    response = http.post(
        tasks_url(guest),
        json={"title": "bearer decides"},
        headers={"Authorization": f"Bearer {guest.bearer}", "Cookie": guest.cookie},
    )
    assert response.status_code == 201


def test_origin_check_through_the_lambda_handler(guest: Guest, lambda_context: Any) -> None:
    path = tasks_url(guest)
    refused = tasks.handler(
        lambda_event("POST", path, headers={"Cookie": guest.cookie}, body={"title": "x"}),
        lambda_context,
    )
    assert refused["statusCode"] == 403
    assert json.loads(refused["body"])["error"]["code"] == "forbidden"
    allowed = tasks.handler(
        lambda_event(
            "POST",
            path,
            headers={"Cookie": guest.cookie, "Origin": DASHBOARD_ORIGIN},
            body={"title": "x"},
        ),
        lambda_context,
    )
    assert allowed["statusCode"] == 201

"""Authenticated responses are private to their caller, and the first session cookie decides."""

from __future__ import annotations

import httpx
from conftest import DASHBOARD_ORIGIN, Person

COOKIE_NAME = "better-auth.session_token"


def _vary(response: httpx.Response) -> list[str]:
    return [v.strip() for v in response.headers.get("vary", "").split(",") if v.strip()]


def test_with_two_session_cookies_the_first_decides(
    http: httpx.Client, ada: Person, grace: Person
) -> None:
    # As Better Auth does: a cookie planted after the real one cannot switch the caller.
    both = http.get("/api/me", headers={"Cookie": f"{ada.cookie}; {grace.cookie}"})
    assert both.status_code == 200 and both.json()["id"] == ada.id
    reversed_ = http.get("/api/me", headers={"Cookie": f"{grace.cookie}; {ada.cookie}"})
    assert reversed_.status_code == 200 and reversed_.json()["id"] == grace.id
    with_other_cookies = http.get(
        "/api/me", headers={"Cookie": f"theme=dark; {grace.cookie}; lang=en; {ada.cookie}"}
    )
    assert with_other_cookies.json()["id"] == grace.id


def test_a_forged_first_session_cookie_is_not_rescued_by_a_second(
    http: httpx.Client, ada: Person
) -> None:
    forged = f"{COOKIE_NAME}={ada.session_token}.{'A' * 43}="
    response = http.get("/api/me", headers={"Cookie": f"{forged}; {ada.cookie}"})
    assert response.status_code == 401
    assert response.json() == {
        "error": {
            "code": "unauthorized",
            "message": "The session cookie is not valid.",
            "details": [],
        }
    }


def test_authenticated_responses_are_not_stored_and_vary_by_credentials(
    http: httpx.Client, ada: Person
) -> None:
    created = http.post("/api/me/tasks", json={"title": "Private"}, headers=ada.headers)
    responses = [
        http.get("/api/me", headers=ada.headers),
        http.get("/api/me", headers={"Cookie": ada.cookie}),
        created,
        http.get(created.headers["location"], headers=ada.headers),
        http.get("/api/me/tasks", headers=ada.headers),
        # Errors after the caller is known are theirs too.
        http.get("/api/me/tasks/2000000000", headers=ada.headers),
    ]
    assert [r.status_code for r in responses] == [200, 200, 201, 200, 200, 404]
    for response in responses:
        assert response.headers["cache-control"] == "no-store"
        # CORS always adds Origin here (the allowed origins are a list, not "*").
        assert sorted(_vary(response)) == ["Authorization", "Cookie", "Origin"]


def test_vary_keeps_what_cors_adds(http: httpx.Client, ada: Person) -> None:
    response = http.get("/api/me", headers={**ada.headers, "Origin": DASHBOARD_ORIGIN})
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == DASHBOARD_ORIGIN
    assert response.headers["cache-control"] == "no-store"
    assert sorted(_vary(response)) == ["Authorization", "Cookie", "Origin"]


def test_anonymous_responses_are_left_alone(http: httpx.Client) -> None:
    health = http.get("/health")
    assert health.headers["cache-control"] == "no-store"  # the health check's own choice
    assert "Authorization" not in _vary(health)
    document = http.get("/openapi.json")
    assert "cache-control" not in document.headers
    assert _vary(document) == ["Origin"]

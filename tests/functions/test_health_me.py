"""GET /health and GET /api/me, over HTTP and with the database down."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_health_checks_the_database(http) -> None:
    response = http.get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert response.headers["x-request-id"]


def test_me_with_each_way_of_sending_the_session(http, ada) -> None:
    expected = {
        "id": ada.id,
        "name": "Ada Lovelace",
        "email": "ada@example.com",
        "emailVerified": False,
        "image": None,
        "createdAt": "2026-11-22T02:53:11.567000Z",
        "updatedAt": "2026-11-22T02:53:11.567000Z",
    }
    signed = http.get("/api/me", headers={"Authorization": f"Bearer {ada.bearer}"})
    assert signed.status_code == 200 and signed.json() == expected
    encoded = ada.cookie.split("=", 1)[1]
    assert http.get("/api/me", headers={"Authorization": f"Bearer {encoded}"}).json() == expected
    raw = http.get("/api/me", headers={"Authorization": f"Bearer {ada.session_token}"})
    assert raw.json() == expected
    assert http.get("/api/me", headers={"Cookie": ada.cookie}).json() == expected
    secure = "__Secure-" + ada.cookie
    assert http.get("/api/me", headers={"Cookie": secure}).json() == expected


def test_me_without_credentials_is_401(http) -> None:
    response = http.get("/api/me")
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert response.json()["error"]["code"] == "unauthorized"


_DOWN_SCRIPT = """
import json, sys
sys.path.insert(0, sys.argv[1])
from functions import health
event = json.loads(sys.argv[2])
print(json.dumps(health.handler(event, None)))
"""


def test_health_is_503_when_the_database_is_down() -> None:
    event = json.loads((REPO / "tests" / "events" / "health_get.json").read_text())
    env = {
        **os.environ,
        # Nothing listens on port 1: the connection is refused at once.
        "DATABASE_URL": "postgresql://postgres@127.0.0.1:1/nothing",
        "BETTER_AUTH_SECRET": "x" * 32,
    }
    completed = subprocess.run(
        [sys.executable, "-c", _DOWN_SCRIPT, str(REPO), json.dumps(event)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    result = json.loads(completed.stdout.strip().splitlines()[-1])
    assert result["statusCode"] == 503
    body = json.loads(result["body"])
    assert body["error"]["code"] == "service_unavailable"
    assert "127.0.0.1" not in result["body"] and "Traceback" not in result["body"]

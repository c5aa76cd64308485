"""Start-up refuses a missing secret; a crash becomes the one JSON 500 without internals."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from shared.application import create_app

REPO = Path(__file__).resolve().parents[2]


def test_start_up_refuses_a_real_database_without_a_secret() -> None:
    env = {k: v for k, v in os.environ.items() if k != "BETTER_AUTH_SECRET"}
    completed = subprocess.run(
        [sys.executable, "-c", "from functions.app import create_container_app as c; c()"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert completed.returncode != 0
    assert "BETTER_AUTH_SECRET is not set" in completed.stderr


def test_importing_the_function_modules_reads_no_settings_and_writes_nothing(
    tmp_path: Path,
) -> None:
    # Without a secret, building settings would write the development secret beside the
    # SQLite file: nothing may be there after every module (and its handler) was imported.
    env = {k: v for k, v in os.environ.items() if k not in {"BETTER_AUTH_SECRET", "DATABASE_URL"}}
    env["SQLITE_PATH"] = str(tmp_path / "data" / "dev.sqlite3")
    modules = sorted(p.stem for p in (REPO / "functions").glob("*.py") if p.stem != "__init__")
    script = (
        "import importlib, sys\n"
        "from shared.config import get_settings\n"
        f"for name in {modules!r}: importlib.import_module('functions.' + name)\n"
        "sys.exit(get_settings.cache_info().misses)\n"
    )
    completed = subprocess.run(
        [sys.executable, "-c", script],
        cwd=tmp_path,
        env={**env, "PYTHONPATH": str(REPO)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert completed.returncode == 0, completed.stderr
    assert list(tmp_path.iterdir()) == []


def test_the_embedded_default_generates_a_development_secret_and_logs_where(
    tmp_path: Path,
) -> None:
    env = {k: v for k, v in os.environ.items() if k not in {"BETTER_AUTH_SECRET", "DATABASE_URL"}}
    env["SQLITE_PATH"] = str(tmp_path / "dev.sqlite3")
    script = "from shared.config import get_settings; print(get_settings().better_auth_secret)"
    first = subprocess.run(
        [sys.executable, "-c", script],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert first.returncode == 0, first.stderr
    secret = first.stdout.strip()
    assert len(secret) >= 32 and secret not in first.stderr
    assert str(tmp_path / "dev.sqlite3.secret") in first.stderr
    again = subprocess.run(
        [sys.executable, "-c", script],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert again.stdout.strip() == secret


async def _crash(request: Request) -> Response:
    raise RuntimeError("secret internals: password=hunter2 at /srv/app.py line 7")


# A Lambda-mode app checks the schema on its first request, before the route runs.
@pytest.mark.usefixtures("scratch_database")
async def test_an_unexpected_error_is_a_json_500_without_internals() -> None:
    app = create_app([Route("/crash", _crash)], lambda_mode=True)
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        response = await client.get("/crash", headers={"X-Request-ID": "trace-me"})
    assert response.status_code == 500
    assert response.json() == {
        "error": {
            "code": "internal_error",
            "message": "Something went wrong on our side.",
            "details": [],
        }
    }
    assert response.headers["x-request-id"] == "trace-me"
    assert "hunter2" not in response.text and "RuntimeError" not in response.text

"""`python -m functions`, the container's entry point, started as a real process.

Bad settings stop it with one line; a database that is late does not stop it (503 until the
database appears, then it serves); every line it logs is in its one format, one request per
line, with no credential in it; forwarded addresses are believed only from FORWARDED_ALLOW_IPS.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx
import pytest
from conftest import SCRATCH_URL, Person
from fault_proxy import FaultProxy
from service_process import ServiceProcess

REPO = Path(__file__).resolve().parents[2]
SECRET = os.environ["BETTER_AUTH_SECRET"]


def _database_url_on(port: int) -> str:
    parts = urlsplit(SCRATCH_URL)
    return urlunsplit(parts._replace(netloc=f"{parts.username}@127.0.0.1:{port}"))


def _run_to_the_end(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "functions"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def _start_up_error(**settings: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in {"BETTER_AUTH_URL", "CORS_ORIGINS"}}
    env.update(settings)
    return _run_to_the_end(env)


@pytest.mark.parametrize(
    ("settings", "says"),
    [
        ({}, "BETTER_AUTH_URL is not set"),
        ({"BETTER_AUTH_URL": "https://app.example", "BETTER_AUTH_SECRET": "s" * 31}, "at least 32"),
        (
            {"BETTER_AUTH_URL": "https://app.example", "CORS_ORIGINS": "https://app.example/x"},
            "'https://app.example/x' is not an origin",
        ),
        (
            {"BETTER_AUTH_URL": "https://app.example", "CORS_ORIGINS": "app.example"},
            "'app.example' is not an origin",
        ),
        ({"BETTER_AUTH_URL": "https://app.example", "WEB_CONCURRENCY": "0"}, "WEB_CONCURRENCY"),
        ({"BETTER_AUTH_URL": "https://app.example", "LOG_FORMAT": "xml"}, "LOG_FORMAT"),
    ],
)
def test_a_bad_setting_stops_start_up_with_one_line(settings: dict[str, str], says: str) -> None:
    completed = _start_up_error(**settings)
    assert completed.returncode == 1
    lines = completed.stderr.strip().splitlines()
    assert len(lines) == 1, completed.stderr
    assert lines[0].startswith("ironclad-todo: configuration error:") and says in lines[0]
    assert SECRET not in completed.stderr + completed.stdout


def test_a_missing_secret_with_a_database_stops_start_up_with_one_line() -> None:
    completed = _run_to_the_end({k: v for k, v in os.environ.items() if k != "BETTER_AUTH_SECRET"})
    assert completed.returncode == 1
    assert completed.stderr.count("\n") == 1 and "BETTER_AUTH_SECRET is not set" in completed.stderr


def _service(log: Path, **settings: str) -> ServiceProcess:
    """`python -m functions`, believing forwarded addresses only if `settings` say from where."""
    env = {k: v for k, v in os.environ.items() if k != "FORWARDED_ALLOW_IPS"}
    return ServiceProcess([sys.executable, "-m", "functions"], {**env, **settings}, log)


@pytest.fixture
def late_database(tmp_path: Path) -> Iterator[tuple[ServiceProcess, FaultProxy]]:
    target = urlsplit(SCRATCH_URL)
    database = FaultProxy(target.hostname or "127.0.0.1", target.port or 5432)
    database.start()
    database.refuse()  # nothing listens on its port until the test heals it
    service = _service(
        tmp_path / "service.log",
        DATABASE_URL=_database_url_on(database.port),
        WEB_CONCURRENCY="1",
    )
    try:
        yield service, database
    finally:
        service.stop()
        database.close()


def _records(service: ServiceProcess) -> list[dict[str, Any]]:
    return [json.loads(line) for line in service.lines()]


def test_a_late_database_is_503_until_it_appears_then_the_service_serves(
    late_database: tuple[ServiceProcess, FaultProxy], ada: Person
) -> None:
    service, database = late_database
    service.wait_listening()
    for _ in range(3):
        health = httpx.get(service.url + "/health", timeout=10)
        assert health.status_code == 503
        assert health.json()["error"]["code"] == "service_unavailable"
        me = httpx.get(service.url + "/api/me", headers=ada.headers, timeout=10)
        assert me.status_code == 503 and me.json()["error"]["code"] == "service_unavailable"
    assert service.process.poll() is None

    database.heal()
    assert httpx.get(service.url + "/health", timeout=10).status_code == 200
    me = httpx.get(service.url + "/api/me", headers=ada.headers, timeout=10)
    assert me.status_code == 200 and me.json()["id"] == ada.id

    service.stop()  # a request's line is written just after its response: let them all out
    records = _records(service)  # every line is one JSON object
    assert any("database unreachable at start-up" in r["message"] for r in records)
    requests = [r for r in records if r["logger"] == "ironclad.access"]
    assert [(r["method"], r["status"]) for r in requests][-2:] == [("GET", 200), ("GET", 200)]
    served = requests[-1]
    assert served["route"] == "/api/me" and served["user_id"] == ada.id
    assert served["level"] == "INFO" and served["request_id"] == me.headers["x-request-id"]
    assert isinstance(served["duration_ms"], float) and served["time"].startswith("20")
    assert all(r["level"] == "WARNING" for r in requests[:6])
    assert ada.bearer not in service.log.read_text()


def test_text_logs_escape_untrusted_strings_and_every_worker_logs_alike(
    tmp_path: Path, ada: Person
) -> None:
    service = _service(tmp_path / "service.log", LOG_FORMAT="text", WEB_CONCURRENCY="2")
    try:
        service.wait_listening()
        forged = "/nope%0A2026-01-01T00:00:00.000+00:00 INFO ironclad.access forged"
        assert httpx.get(service.url + forged, timeout=10).status_code == 404
        with httpx.Client(base_url=service.url, timeout=10) as client:
            assert client.get("/api/me", headers={"Cookie": ada.cookie}).status_code == 200
    finally:
        service.stop()
    lines = service.lines()
    assert not any(line.startswith("2026-01-01") for line in lines)
    assert any("/nope\\n2026-01-01" in line for line in lines)
    assert sum("Started server process" in line for line in lines) == 2
    # Each line is the service's format (time, level, logger); tracebacks would be indented.
    for line in lines:
        when, level, logger_name, *_ = line.split(" ")
        assert when.startswith("20") and level in {"INFO", "WARNING"}, line
        assert logger_name.startswith(("uvicorn", "ironclad")), line
    access = [line for line in lines if " ironclad.access " in line]
    me_line = next(line for line in access if "route=/api/me " in line)
    assert "status=200" in me_line and f"user_id={ada.id}" in me_line
    cookie_value = ada.cookie.split("=", 1)[1]
    assert cookie_value not in "\n".join(lines) and ada.session_token not in "\n".join(lines)


@pytest.mark.parametrize(("allowed", "logged"), [(None, "203.0.113.9"), ("192.0.2.1", "127.0.0.1")])
def test_forwarded_addresses_are_believed_only_from_forwarded_allow_ips(
    tmp_path: Path, scratch_database: str, allowed: str | None, logged: str
) -> None:
    settings = {"WEB_CONCURRENCY": "1"}
    if allowed is not None:
        settings["FORWARDED_ALLOW_IPS"] = allowed
    service = _service(tmp_path / "service.log", **settings)
    try:
        service.wait_listening()
        httpx.get(
            service.url + "/health", headers={"X-Forwarded-For": "203.0.113.9"}, timeout=10
        )
    finally:
        service.stop()
    clients = [r["client"] for r in _records(service) if r["logger"] == "ironclad.access"]
    assert clients[-1] == logged

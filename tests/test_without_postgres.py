"""The test command without PostgreSQL: one clear line at once, and the rest still runs alone."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def _closed_port_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"postgresql://postgres:hunter2@127.0.0.1:{port}/postgres"


def _pytest(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *args],
        cwd=REPO,
        env={**os.environ, "TEST_POSTGRES_URL": url},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_suite_stops_before_the_first_test_naming_the_url_and_the_fix() -> None:
    url = _closed_port_url()
    result = _pytest(url, "tests/shared/test_database.py", "tests/functions/test_health_me.py")
    assert result.returncode not in (0, 5), result.stdout
    lines = [line for line in result.stdout.splitlines() if "PostgreSQL" in line]
    assert len(lines) == 1, result.stdout
    shown = url.replace("hunter2", "***")
    assert shown in lines[0] and "hunter2" not in result.stdout
    assert "TEST_POSTGRES_URL" in lines[0] and "Start PostgreSQL" in lines[0]
    assert "no tests ran" in result.stdout
    assert "ConnectionRefusedError" not in result.stdout + result.stderr


def test_tests_that_need_no_database_run_without_it() -> None:
    result = _pytest(
        _closed_port_url(),
        "-m",
        "not postgres",
        "tests/shared/test_database.py",
        "tests/shared/test_passwords.py",
    )
    assert result.returncode == 0, result.stdout
    summary = result.stdout.strip().splitlines()[-1]
    assert " passed" in summary and " deselected" in summary, summary
    assert "failed" not in summary and "error" not in summary, summary

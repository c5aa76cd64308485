"""The service as a real process on a free loopback port, for tests that talk HTTP to it.

Tests run it apart when they need settings of their own (the service reads its settings once
per process), a database reached through a proxy, or the real entry points.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[1]

# `functions.app` under uvicorn on $PORT; given an instant, with the clock frozen there like a
# test process's, so the vectors' sessions stay valid.
_SERVE_APP = """
import os
import sys
from datetime import datetime
import uvicorn
from shared import clock
if len(sys.argv) > 1:
    clock.freeze(datetime.fromisoformat(sys.argv[1]))
port = int(os.environ["PORT"])
uvicorn.run("functions.app:app", host="127.0.0.1", port=port, log_level="warning")
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def serve_app(frozen_at: datetime | None = None) -> list[str]:
    """The command that serves `functions.app` on $PORT, its clock frozen at `frozen_at`."""
    return [sys.executable, "-c", _SERVE_APP] + ([frozen_at.isoformat()] if frozen_at else [])


class ServiceProcess:
    """`command` run in the repository with HOST and PORT set to a free loopback port.

    What it prints goes to `log`. It is not waited for: call wait_healthy or wait_listening.
    """

    def __init__(self, command: list[str], env: Mapping[str, str], log: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log
        self.process = subprocess.Popen(
            command,
            cwd=REPO,
            env={**env, "HOST": "127.0.0.1", "PORT": str(self.port)},
            stdout=log.open("ab"),
            stderr=subprocess.STDOUT,
        )

    def wait_healthy(self) -> None:
        """Wait until /health answers 200; stop it and raise if it has not within 30 s."""
        self._wait(healthy=True)

    def wait_listening(self) -> None:
        """Wait until /health answers at all (a 503 while the database is away is an answer)."""
        self._wait(healthy=False)

    def _wait(self, *, healthy: bool) -> None:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(self.url + "/health").status_code == 200 or not healthy:
                    return
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline or self.process.poll() is not None:
                self.stop()
                raise RuntimeError("the service did not start:\n" + self.log.read_text())
            time.sleep(0.1)

    def lines(self) -> list[str]:
        return self.log.read_text().splitlines()

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


# Unset, so the service falls back to its embedded database and development secret.
_SERVICE_SETTINGS = (
    "DATABASE_URL",
    "BETTER_AUTH_SECRET",
    "BETTER_AUTH_URL",
    "CORS_ORIGINS",
    "LLM_API_KEY",
)


def env_without_settings(sqlite_path: Path) -> dict[str, str]:
    """This process's environment without the service's settings, as a newcomer's is, and the
    embedded database at `sqlite_path`."""
    env = {k: v for k, v in os.environ.items() if k not in _SERVICE_SETTINGS}
    env["SQLITE_PATH"] = str(sqlite_path)
    return env


def create_user(env: Mapping[str, str], email: str, name: str) -> dict[str, str]:
    """A user made with the user CLI, as an operator makes one; its JSON answer (with a bearer)."""
    completed = subprocess.run(
        [sys.executable, "-m", "shared.users_cli", "create", "--email", email, "--name", name]
        + ["--password", "a long enough password", "--json"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(completed.stdout)


class SqliteService(ServiceProcess):
    """`functions.app` on a SQLite file in `directory`, with one user made by the user CLI, for
    tests that must hold on both backends (the races in test_tasks_concurrency.py)."""

    def __init__(self, directory: Path) -> None:
        env = env_without_settings(directory / "todo.sqlite3")
        racer = create_user(env, "racer@example.com", "Racer")
        self.headers = {"Authorization": f"Bearer {racer['bearer']}"}
        super().__init__(serve_app(), env, directory / "server.log")
        self.wait_healthy()

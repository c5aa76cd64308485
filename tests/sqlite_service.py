"""The service on its embedded SQLite default, in a subprocess over real HTTP, for tests that
must hold on both backends (the races in test_tasks_concurrency.py)."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[1]
# Unset, so the service falls back to its embedded database and development secret.
DATABASE_SETTINGS = ("DATABASE_URL", "BETTER_AUTH_SECRET", "BETTER_AUTH_URL", "CORS_ORIGINS")


class SqliteService:
    """`functions.app` on a SQLite file in `directory`, with one user made by the user CLI."""

    def __init__(self, directory: Path) -> None:
        self.env = {k: v for k, v in os.environ.items() if k not in DATABASE_SETTINGS}
        self.env["SQLITE_PATH"] = str(directory / "todo.sqlite3")
        created = subprocess.run(
            [sys.executable, "-m", "shared.users_cli", "create", "--email", "racer@example.com"]
            + ["--name", "Racer", "--password", "a long enough password", "--json"],
            cwd=REPO,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
        self.headers = {"Authorization": f"Bearer {json.loads(created.stdout)['bearer']}"}
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{port}"
        self.log = directory / "server.log"
        self.process = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "functions.app:app"]
            + ["--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"],
            cwd=REPO,
            env=self.env,
            stdout=self.log.open("ab"),
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(self.url + "/health").status_code == 200:
                    return
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline or self.process.poll() is not None:
                self.stop()
                raise RuntimeError("the SQLite service did not start:\n" + self.log.read_text())
            time.sleep(0.1)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)

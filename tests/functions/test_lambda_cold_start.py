"""A Lambda's cold start pays only for what its first request needs.

A fresh process imports the tasks function's module and serves one authenticated request
through its Lambda handler, then reports what it imported. A session token needs neither the
chat interpreter nor httpx nor the JWT and cryptography stack; a JWT brings in the JWT stack.
(How long a cold start takes is measured by tests/benchmarks/cold_start.py, not here.)
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from conftest import FROZEN_NOW, Person, lambda_event

REPO = Path(__file__).resolve().parents[2]

_COLD_START = """
import json, sys
from datetime import datetime
from shared import clock
clock.freeze(datetime.fromisoformat(sys.argv[1]))
from functions import tasks

class Context:
    function_name = "cold-start"
    aws_request_id = "cold-start"
    memory_limit_in_mb = 512
    def get_remaining_time_in_millis(self):
        return 30_000

result = tasks.handler(json.loads(sys.stdin.read()), Context())
print(json.dumps({"status": result["statusCode"], "modules": sorted(sys.modules)}))
"""

# Top-level packages (and our own modules) a session-token request must not import.
NOT_NEEDED = ("jwt", "cryptography", "httpx", "shared.chat", "shared.jwt_verify")


def _cold_start(event: dict[str, Any]) -> tuple[int, set[str]]:
    completed = subprocess.run(
        [sys.executable, "-c", _COLD_START, FROZEN_NOW.isoformat()],
        input=json.dumps(event),
        cwd=REPO,
        env={**os.environ, "DATABASE_NULLPOOL": "1"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert completed.returncode == 0, completed.stderr
    report = json.loads(completed.stdout.strip().splitlines()[-1])
    return report["status"], set(report["modules"])


def _loaded(modules: set[str], name: str) -> bool:
    return any(module == name or module.startswith(name + ".") for module in modules)


def test_a_session_token_request_imports_no_jwt_http_client_or_chat(
    ada: Person, scratch_database: str
) -> None:
    status, modules = _cold_start(lambda_event("GET", "/api/me/tasks", headers=ada.headers))
    assert status == 200
    assert [name for name in NOT_NEEDED if _loaded(modules, name)] == []


def test_a_jwt_request_loads_the_jwt_stack_when_it_arrives(
    ada: Person, scratch_database: str
) -> None:
    headers = {"Authorization": f"Bearer {ada.jwt}"}
    status, modules = _cold_start(lambda_event("GET", "/api/me/tasks", headers=headers))
    assert status == 200
    assert _loaded(modules, "jwt") and _loaded(modules, "shared.jwt_verify")
    assert not _loaded(modules, "shared.chat")

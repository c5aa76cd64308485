"""Lambda cold start: this service's tasks function against the FastAPI + SQLModel peer behind
Mangum, the same event, each in a fresh process.

Usage: python tests/benchmarks/cold_start.py [--runs 7]

A run starts a new Python process that imports the function's module, builds its Mangum
handler and answers one API Gateway (HTTP API v2) event, `GET /api/me/tasks?limit=20` with a
Better Auth bearer token; the time is from starting the process to its first response. The two
systems take turns (interleaved), and the medians are compared. Both read the same scratch
PostgreSQL database, seeded like tests/benchmarks/side_by_side.py; this service runs as on
Lambda (DATABASE_NULLPOOL=1).

Both run from bytecode compiled beforehand, as deployed: the Lambda artifact and the Docker
image ship compiled modules (.ci/lambda_artifact.py, the Dockerfile's compileall), and a
machine with PYTHONDONTWRITEBYTECODE set would otherwise compile every module of this
repository on every run (about 40 ms here), while the peer's packages came compiled by pip.

Needs the peer (copied into `anchors/`) and a Python with the peer's
requirements plus mangum (`--peer-python`, default /tmp/bench-venv/bin/python).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

import side_by_side as bench

EVENT_TEMPLATE = bench.REPO / "tests" / "events" / "http_api_v2_template.json"

_SERVICE = """
import json, sys
from functions import tasks
result = tasks.handler(json.loads(sys.stdin.readline()), None)
print(result["statusCode"], flush=True)
"""

_PEER = """
import json, sys
from mangum import Mangum
import peer_fastapi_sqlmodel as peer
handler = Mangum(peer.app, lifespan="off")
result = handler(json.loads(sys.stdin.readline()), None)
print(result["statusCode"], flush=True)
"""


def _event(token: str) -> dict[str, Any]:
    event: dict[str, Any] = json.loads(EVENT_TEMPLATE.read_text())
    event["rawPath"] = "/api/me/tasks"
    event["rawQueryString"] = "limit=20"
    event["routeKey"] = "GET /api/me/tasks"
    event["requestContext"]["http"]["method"] = "GET"
    event["requestContext"]["http"]["path"] = "/api/me/tasks"
    event["headers"]["authorization"] = f"Bearer {token}"
    return event


def _cold_start(command: list[str], cwd: Path, env: dict[str, str], event: str) -> float:
    """Seconds from starting the process to its first response (which must be a 200)."""
    started = time.perf_counter()
    process = subprocess.Popen(
        command,
        cwd=cwd,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdin is not None and process.stdout is not None
    process.stdin.write(event + "\n")
    process.stdin.flush()
    status = process.stdout.readline().strip()
    elapsed = time.perf_counter() - started
    _, errors = process.communicate(timeout=60)
    if status != "200":
        raise RuntimeError(f"{command[0]} answered {status!r}:\n{errors}")
    return elapsed


def _compile(python: str, cwd: Path, targets: list[str]) -> None:
    """Writes each target's bytecode beside it (__pycache__, ignored by git), as deployed."""
    subprocess.run([python, "-m", "compileall", "-q", *targets], cwd=cwd, check=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--peer-python", default="/tmp/bench-venv/bin/python")
    args = parser.parse_args()
    bench.check_prerequisites(args.peer_python, wrk=False)
    probe = subprocess.run([args.peer_python, "-c", "import mangum"], capture_output=True)
    if probe.returncode != 0:
        sys.exit(
            f"cold_start: no mangum in {args.peer_python}: {args.peer_python} -m pip install mangum"
        )

    database = f"ironclad_cold_{uuid.uuid4().hex[:8]}"
    url = bench.database_url(*bench.UPSTREAM, database)
    asyncio.run(bench.admin(f'CREATE DATABASE "{database}"'))
    try:
        token = bench.seed(url, args.peer_python)[0]
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "BETTER_AUTH_SECRET": bench.SECRET,
            "BETTER_AUTH_URL": "http://localhost:3000",
            "LOG_LEVEL": "WARNING",
        }
        _compile(sys.executable, bench.REPO, ["functions", "shared"])
        _compile(args.peer_python, bench.BENCH, ["peer_fastapi_sqlmodel.py"])
        event = json.dumps(_event(token))
        service = ([sys.executable, "-c", _SERVICE], bench.REPO, {**env, "DATABASE_NULLPOOL": "1"})
        peer = ([args.peer_python, "-c", _PEER], bench.BENCH, env)
        times: dict[str, list[float]] = {"service": [], "peer": []}
        for _ in range(args.runs):
            times["service"].append(_cold_start(*service, event))
            times["peer"].append(_cold_start(*peer, event))
    finally:
        asyncio.run(bench.admin(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))

    medians = {name: statistics.median(found) for name, found in times.items()}
    print(f"cold start, process start to first response, {args.runs} runs each, interleaved")
    for name, found in times.items():
        runs = " ".join(f"{t * 1000:.0f}" for t in found)
        print(f"  {name:8} median {medians[name] * 1000:7.0f} ms   (runs: {runs})")
    print(f"  service / peer: {medians['service'] / medians['peer']:.2f}x")


if __name__ == "__main__":
    main()

"""Worst-case inputs: how long the service takes to refuse them, and how big the refusal is.

A 1 MiB body of 100,000 unknown keys, ~8,000 distinct unknown query parameters, and 3,000
query parameters each given twice, against the real server on a scratch PostgreSQL database
(the same set-up as api_bench.py). Run: .venv/bin/python tests/benchmarks/input_worst_cases.py
"""

from __future__ import annotations

import asyncio
import json
import statistics
import sys
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

from api_bench import seed_user, served_on_a_scratch_database  # noqa: E402

ROUNDS = 7


def _cases() -> list[tuple[str, str, str, bytes | None]]:
    keys = {f"{i:x}": 0 for i in range(100_000)}
    body = json.dumps({"title": "x", **keys}, separators=(",", ":")).encode()
    unknown = "&".join(f"p{i}=1" for i in range(8_000))
    repeated = "&".join(f"p{i}=1&p{i}=2" for i in range(3_000))
    return [
        (f"POST body of 100,000 unknown keys ({len(body):,} bytes)", "POST", "/tasks", body),
        ("GET with 8,000 unknown query parameters", "GET", f"/tasks?{unknown}", None),
        ("GET with 3,000 repeated query parameters", "GET", f"/tasks?{repeated}", None),
    ]


def _measure(base: str, user_id: str, bearer: str) -> None:
    headers = {"Authorization": f"Bearer {bearer}", "Content-Type": "application/json"}
    with httpx.Client(base_url=base, headers=headers, timeout=60) as client:
        for label, method, path, body in _cases():
            timings, size, status = [], 0, 0
            for _ in range(ROUNDS):
                started = time.perf_counter()
                response = client.request(method, f"/api/{user_id}{path}", content=body)
                timings.append((time.perf_counter() - started) * 1000)
                size, status = len(response.content), response.status_code
            print(
                f"{label}: {status}, {size:,} bytes, median {statistics.median(timings):.1f} ms, "
                f"max {max(timings):.1f} ms ({ROUNDS} rounds)"
            )


def main() -> None:
    with served_on_a_scratch_database() as (base, database_url):
        user_id, bearer = asyncio.run(seed_user(database_url))
        _measure(base, user_id, bearer)


if __name__ == "__main__":
    main()

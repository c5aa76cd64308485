"""Load benchmark of the composed app over real HTTP on loopback, against a scratch PostgreSQL.

Usage: python tests/benchmarks/api_bench.py [--requests 2000] [--concurrency 20]

Starts uvicorn (one worker) in a subprocess on 127.0.0.1, seeds one user with a session and
500 tasks, then drives a fixed number of requests per scenario and prints latency percentiles
and throughput. Every request stays on this machine; the database is dropped at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import asyncpg
import httpx

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from shared.auth import sign_session_token  # noqa: E402

ADMIN_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
SECRET = "benchmark-secret-0123456789abcdef"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def _admin(sql: str) -> None:
    connection = await asyncpg.connect(ADMIN_URL)
    try:
        await connection.execute(sql)
    finally:
        await connection.close()


@contextmanager
def served_on_a_scratch_database() -> Iterator[tuple[str, str]]:
    """The service (one worker) on a new database, both gone afterwards: its URL and the
    database's."""
    database = f"ironclad_bench_{uuid.uuid4().hex[:8]}"
    database_url = ADMIN_URL.rsplit("/", 1)[0] + "/" + database
    asyncio.run(_admin(f'CREATE DATABASE "{database}"'))
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "BETTER_AUTH_SECRET": SECRET,
        "BETTER_AUTH_URL": "http://localhost:3000",
        "LOG_LEVEL": "WARNING",
        "PORT": str(port),
        "HOST": "127.0.0.1",
    }
    server = subprocess.Popen([sys.executable, "-m", "functions.app"], cwd=REPO, env=env)
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                if httpx.get(base + "/health").status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        yield base, database_url
    finally:
        server.terminate()
        server.wait(timeout=30)
        asyncio.run(_admin(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))


async def seed_user(database_url: str, secret: str = SECRET) -> tuple[str, str]:
    """One user and a session, as Better Auth writes them: (user id, signed bearer token)."""
    connection = await asyncpg.connect(database_url)
    user_id, token = uuid.uuid4().hex, uuid.uuid4().hex
    now = datetime.now(UTC)
    try:
        await connection.execute(
            'INSERT INTO "user" (id, name, email, "emailVerified") VALUES ($1, $2, $3, false)',
            user_id,
            "Bench",
            f"{user_id}@example.com",
        )
        await connection.execute(
            'INSERT INTO session (id, "expiresAt", token, "updatedAt", "userId") '
            "VALUES ($1, $2, $3, $4, $5)",
            uuid.uuid4().hex,
            now + timedelta(days=1),
            token,
            now,
            user_id,
        )
    finally:
        await connection.close()
    return user_id, sign_session_token(token, secret)


async def _drive(
    client: httpx.AsyncClient,
    make_request: Callable[[httpx.AsyncClient, int], Awaitable[httpx.Response]],
    total: int,
    concurrency: int,
    report: bool = True,
) -> list[float]:
    latencies: list[float] = []
    counter = iter(range(total))

    async def worker() -> None:
        for index in counter:
            started = time.perf_counter()
            response = await make_request(client, index)
            latencies.append((time.perf_counter() - started) * 1000)
            if response.status_code >= 400:
                raise RuntimeError(f"{response.status_code}: {response.text}")

    wall = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    wall = time.perf_counter() - wall
    latencies.sort()
    if not report:
        return latencies
    p = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))]  # noqa: E731
    print(
        f"  p50 {p(0.50):7.2f} ms  p95 {p(0.95):7.2f} ms  p99 {p(0.99):7.2f} ms  "
        f"mean {statistics.mean(latencies):7.2f} ms  {total / wall:8.1f} req/s"
    )
    return latencies


async def _run(base: str, bearer: str, total: int, concurrency: int) -> None:
    headers = {"Authorization": f"Bearer {bearer}"}
    async with httpx.AsyncClient(base_url=base, headers=headers, timeout=60) as client:
        for index in range(500):
            response = await client.post(
                "/api/me/tasks",
                json={"title": f"seed {index}", "priority": ["low", "medium", "high"][index % 3]},
            )
            response.raise_for_status()
        ids = [t["id"] for t in (await client.get("/api/me/tasks?limit=100")).json()["items"]]
        scenarios = {
            "GET /health": lambda c, i: c.get("/health"),
            "GET /api/me": lambda c, i: c.get("/api/me"),
            "GET /api/me/tasks?limit=50": lambda c, i: c.get("/api/me/tasks?limit=50"),
            "GET /api/me/tasks?q=seed 1&sort=title": lambda c, i: c.get(
                "/api/me/tasks?q=seed%201&sort=title"
            ),
            "GET /api/me/tasks/{id}": lambda c, i: c.get(f"/api/me/tasks/{ids[i % len(ids)]}"),
            "POST /api/me/tasks": lambda c, i: c.post(
                "/api/me/tasks", json={"title": f"bench {i}"}
            ),
            "PATCH /api/me/tasks/{id}": lambda c, i: c.patch(
                f"/api/me/tasks/{ids[i % len(ids)]}", json={"priority": "high"}
            ),
        }
        for name, make_request in scenarios.items():
            print(name)
            await _drive(client, make_request, min(200, total), concurrency, report=False)
            await _drive(client, make_request, total, concurrency)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=20)
    args = parser.parse_args()

    with served_on_a_scratch_database() as (base, database_url):
        _, bearer = asyncio.run(seed_user(database_url))
        print(f"{args.requests} requests a scenario, concurrency {args.concurrency}, one worker")
        asyncio.run(_run(base, bearer, args.requests, args.concurrency))


if __name__ == "__main__":
    main()

"""This service next to the FastAPI + SQLModel peer and the bare-asyncpg ceiling, in one run.

Usage: python tests/benchmarks/side_by_side.py [--delay] [--duration 8] [--rounds 3]

Starts each system with one uvicorn worker on the same scratch PostgreSQL database and the same
data (one user, a Better Auth session, 200 tasks; the rows a create run adds are removed after
it), drives the same load at each with `wrk` (interleaved rounds; medians reported), and
prints requests/s, p50, p99 and the server's CPU time per request, with the ratios to the peer.
Then it counts the statements and round trips each request sends, through
tests/wire_counter.py's proxy, which reads the PostgreSQL protocol.
`--delay` puts `anchors/delay_proxy.py` (2 ms per round trip) between every system and
the database and uses 8 connections, as a managed database in the same region would cost.

Needs: `wrk` (apt-get install wrk), the peer, the ceiling and the delay proxy (copied into
`anchors/`, see its README) and a Python with the peer's requirements
(`--peer-python`, default /tmp/bench-venv/bin/python; anchors/README.md says how to make
it). Everything stays on loopback; the scratch database is dropped at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import asyncpg
import httpx

REPO = Path(__file__).resolve().parents[2]
BENCH = REPO / "tests" / "benchmarks" / "anchors"
ADMIN_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
UPSTREAM = ("127.0.0.1", 5432)
SECRET = "side-by-side-secret-0123456789abcdef"
SEED_TASKS = 200
SYSTEMS = ("service", "peer", "ceiling")
LIST_PATH = "/api/me/tasks?limit=20"
TASKS_PATH = "/api/me/tasks"

sys.path[:0] = [str(REPO), str(REPO / "tests")]
from api_bench import seed_user  # noqa: E402
from wire_counter import CountingProxy, WireCounter, round_trips, statements  # noqa: E402


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def database_url(host: str, port: int, database: str) -> str:
    return f"postgresql://postgres@{host}:{port}/{database}"


# --- the load ---


@dataclass
class Load:
    """What wrk sends: a method, a path (or several, taken in turn), and a body per request."""

    method: str
    paths: list[str]
    body: str | None = None
    # Bodies that differ per request, so a PATCH changes something every time.
    numbered_body: str | None = None

    def lua(self, token: str) -> str:
        paths = ", ".join(f'"{p}"' for p in self.paths)
        # Lua single-quoted strings: the JSON bodies here contain no single quote.
        body = "nil" if self.body is None else f"'{self.body}'"
        if self.numbered_body is not None:
            left, _, right = self.numbered_body.partition("{n}")
            body = f"'{left}' .. n .. '{right}'"
        return f"""
local paths = {{{paths}}}
local n = 0
wrk.headers["Authorization"] = "Bearer {token}"
wrk.headers["Content-Type"] = "application/json"
request = function()
  n = n + 1
  return wrk.format("{self.method}", paths[(n % #paths) + 1], nil, {body})
end
"""


@dataclass
class Result:
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    # CPU the server process spent per request (user + system): unlike req/s, it hardly moves
    # when other work shares the machine.
    cpu_ms: float
    errors: int


_UNIT_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}
_TICK_MS = 1000 / os.sysconf("SC_CLK_TCK")


def _latency(output: str, percentile: str) -> float:
    match = re.search(rf"^\s*{percentile}%\s+([\d.]+)(us|ms|s|m)\s*$", output, re.MULTILINE)
    if match is None:
        raise RuntimeError(f"wrk printed no {percentile}% latency:\n{output}")
    return float(match.group(1)) * _UNIT_MS[match.group(2)]


def _cpu_ms(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) * _TICK_MS  # utime, stime


def run_wrk(
    server: Server, load: Load, token: str, connections: int, seconds: float, warmup: float
) -> Result:
    """Warm up, then one measured wrk run; non-2xx answers are counted as errors."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(load.lua(token))

    def wrk(duration: float) -> str:
        command = ["wrk", "-t1", f"-c{connections}", f"-d{round(duration)}s", "--latency"]
        command += ["-s", script.name, server.base]
        # wrk has been seen to hang past its duration on a loaded machine: give up after a while.
        return subprocess.run(
            command, capture_output=True, text=True, check=True, timeout=duration + 60
        ).stdout

    try:
        if warmup:
            wrk(warmup)
        cpu_before = _cpu_ms(server.process.pid)
        output = wrk(seconds)
        cpu = _cpu_ms(server.process.pid) - cpu_before
    finally:
        os.unlink(script.name)
    rate = re.search(r"Requests/sec:\s+([\d.]+)", output)
    total = re.search(r"(\d+) requests in", output)
    if rate is None or total is None:
        raise RuntimeError(f"wrk printed no rate:\n{output}")
    errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    socket_errors = re.search(r"Socket errors:.*", output)
    count = int(errors.group(1)) if errors else 0
    if socket_errors:
        count += sum(int(n) for n in re.findall(r"\d+", socket_errors.group(0)))
    return Result(
        float(rate.group(1)),
        _latency(output, "50"),
        _latency(output, "99"),
        cpu / max(1, int(total.group(1))),
        count,
    )


def _median(results: list[Result]) -> Result:
    def middle(values: list[float]) -> float:
        return statistics.median(values)

    return Result(
        middle([r.requests_per_second for r in results]),
        middle([r.p50_ms for r in results]),
        middle([r.p99_ms for r in results]),
        middle([r.cpu_ms for r in results]),
        sum(r.errors for r in results),
    )


# --- counting statements on the wire ---


def count_statements(
    base: str, token: str, counter: WireCounter, loads: dict[str, Load]
) -> dict[str, tuple[float, float]]:
    """Statements and round trips per request, over 20 sequential requests of each load."""
    per_request: dict[str, tuple[float, float]] = {}
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=base, headers=headers, timeout=30) as client:
        for name, load in loads.items():

            def send(index: int, load: Load = load, name: str = name) -> None:
                body = load.body
                if load.numbered_body is not None:
                    body = load.numbered_body.replace("{n}", str(index))
                response = client.request(
                    load.method,
                    load.paths[index % len(load.paths)],
                    content=body,
                    headers={"Content-Type": "application/json"} if body else None,
                )
                if response.status_code >= 400:
                    raise RuntimeError(f"{name}: {response.status_code} {response.text}")

            for index in range(5):
                send(index)
            time.sleep(0.2)
            before = counter.snapshot()
            for index in range(5, 25):
                send(index)
            time.sleep(0.2)
            after = counter.snapshot()
            spent = after - before
            per_request[name] = (statements(spent) / 20, round_trips(spent) / 20)
    return per_request


# --- the systems ---


class Server:
    """One system under uvicorn, one worker, in a subprocess."""

    def __init__(self, system: str, database_url: str, peer_python: str) -> None:
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "BETTER_AUTH_SECRET": SECRET,
            "BETTER_AUTH_URL": "http://localhost:3000",
            "LOG_LEVEL": "WARNING",
        }
        flags = ["--host", "127.0.0.1", "--port", str(self.port), "--log-level", "warning"]
        if system == "service":
            command = [sys.executable, "-m", "uvicorn", "functions.app:app", *flags]
            cwd = REPO
        else:
            module = "peer_fastapi_sqlmodel" if system == "peer" else "ceiling"
            command = [peer_python, "-m", "uvicorn", f"{module}:app", *flags]
            cwd = BENCH
        # A client cut off at the end of a wrk run makes the ceiling log a traceback: keep
        # the servers' output out of the report, in a file to read when one fails to start.
        self.log = Path(tempfile.gettempdir()) / f"side_by_side_{system}_{self.port}.log"
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                command, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT
            )
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(self.base + "/health").status_code == 200:
                    return
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline or self.process.poll() is not None:
                self.stop()
                raise RuntimeError(f"{system} did not start; see {self.log}")
            time.sleep(0.1)

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()


async def admin(sql: str) -> None:
    connection = await asyncpg.connect(ADMIN_URL)
    try:
        await connection.execute(sql)
    finally:
        await connection.close()


async def _seed_peer_tasks(database_url: str, token: str) -> None:
    connection = await asyncpg.connect(database_url)
    try:
        user_id = await connection.fetchval(
            'SELECT "userId" FROM session WHERE token = $1', token.rpartition(".")[0]
        )
        if await connection.fetchval('SELECT count(*) FROM peer_task WHERE "userId" = $1', user_id):
            return
        await connection.executemany(
            'INSERT INTO peer_task ("userId", title, description, completed, priority, '
            '"createdAt", "updatedAt") VALUES ($1, $2, NULL, false, $3, now(), now())',
            [(user_id, f"seed {i}", ("low", "medium", "high")[i % 3]) for i in range(SEED_TASKS)],
        )
    finally:
        await connection.close()


def _seed_service_tasks(base: str, token: str) -> list[int]:
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=base, headers=headers, timeout=30) as client:
        for index in range(SEED_TASKS):
            client.post(
                TASKS_PATH,
                json={"title": f"seed {index}", "priority": ("low", "medium", "high")[index % 3]},
            ).raise_for_status()
        listed = client.get(TASKS_PATH, params={"limit": 100}).json()["items"]
    return [task["id"] for task in listed]


async def restore_seeded_data(database_url: str) -> None:
    """Remove what a create run added (every system's "bench task" rows) and refresh the
    planner's statistics, so that every run reads the same 200 tasks.

    Otherwise each list and stats run after a create reads the rows its system created before:
    the faster a system creates, the longer its lists get.
    """
    connection = await asyncpg.connect(database_url)
    try:
        for table in ("task", "peer_task"):
            await connection.execute(f"DELETE FROM {table} WHERE title = 'bench task'")
            await connection.execute(f"VACUUM ANALYZE {table}")
    finally:
        await connection.close()


def seed(url: str, peer_python: str) -> tuple[str, list[int]]:
    """The same data for every system: one user, a session, 200 tasks in each system's table.

    Returns the bearer token and the ids of the service's newest 100 tasks.
    """
    # The service creates its tables and the Better Auth ones; the peer creates peer_task.
    server = Server("service", url, peer_python)
    try:
        _, token = asyncio.run(seed_user(url, SECRET))
        task_ids = _seed_service_tasks(server.base, token)
    finally:
        server.stop()
    Server("peer", url, peer_python).stop()
    asyncio.run(_seed_peer_tasks(url, token))
    return token, task_ids


def loads_for(system: str, task_ids: list[int]) -> dict[str, Load]:
    shared = {
        "list": Load("GET", [LIST_PATH]),
        "create": Load("POST", [TASKS_PATH], body='{"title":"bench task"}'),
    }
    if system != "service":
        return shared
    items = [f"{TASKS_PATH}/{task_id}" for task_id in task_ids]
    return {
        **shared,
        "get": Load("GET", items),
        "patch": Load("PATCH", items, numbered_body='{"title":"bench {n}"}'),
        "me": Load("GET", ["/api/me"]),
        "tags": Load("GET", ["/api/me/tags"]),
        "stats": Load("GET", ["/api/me/tasks/stats"]),
    }


# --- the run ---


def check_prerequisites(peer_python: str, *, wrk: bool = True) -> None:
    """Exit with a message naming whatever the benchmark needs and cannot find."""
    problems = []
    if not BENCH.is_dir():
        problems.append(
            f"{BENCH} is missing: the peer, the ceiling and the delay proxy live there; "
            "this benchmark cannot run without them"
        )
    if wrk and shutil.which("wrk") is None:
        problems.append("wrk is not installed (apt-get install wrk)")
    probe = (
        subprocess.run(
            [peer_python, "-c", "import fastapi, sqlmodel, asyncpg, uvicorn"], capture_output=True
        )
        if Path(peer_python).exists()
        else None
    )
    if probe is None or probe.returncode != 0:
        problems.append(
            f"{peer_python} cannot import the peer's requirements: python3 -m venv "
            f"/tmp/bench-venv && /tmp/bench-venv/bin/pip install -r {BENCH}/requirements.txt"
        )
    if problems:
        sys.exit("side_by_side: " + "; ".join(problems))


def _ratio(value: float, peer: float | None) -> str:
    return f"{value / peer:5.2f}x" if peer else "     -"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--delay", action="store_true", help="2 ms per database round trip")
    parser.add_argument("--duration", type=float, default=8.0, help="seconds per measured run")
    parser.add_argument("--connections", type=int, help="default 32, or 8 with --delay")
    parser.add_argument("--peer-python", default="/tmp/bench-venv/bin/python")
    parser.add_argument("--systems", default=",".join(SYSTEMS), help="comma-separated subset")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds (median)")
    parser.add_argument("--no-count", action="store_true", help="skip counting statements")
    args = parser.parse_args()
    check_prerequisites(args.peer_python)
    systems = [s for s in args.systems.split(",") if s in SYSTEMS]
    connections = args.connections or (8 if args.delay else 32)

    database = f"ironclad_side_{uuid.uuid4().hex[:8]}"
    direct_url = database_url(*UPSTREAM, database)
    asyncio.run(admin(f'CREATE DATABASE "{database}"'))
    delay = None
    try:
        if args.delay:
            delay_port = _free_port()
            delay = subprocess.Popen(
                [sys.executable, str(BENCH / "delay_proxy.py"), "--listen", str(delay_port)],
                stdout=subprocess.DEVNULL,
            )
            time.sleep(0.5)
            load_url = database_url("127.0.0.1", delay_port, database)
        else:
            load_url = direct_url

        token, task_ids = seed(direct_url, args.peer_python)
        asyncio.run(restore_seeded_data(direct_url))

        # Every system runs at once (idle while another is measured), and each round measures
        # each endpoint on each system in turn, so that a burst of other work on the machine
        # falls on all of them alike; the report takes each figure's median over the rounds.
        servers = {system: Server(system, load_url, args.peer_python) for system in systems}
        runs: dict[str, dict[str, list[Result]]] = {s: {} for s in systems}
        try:
            for round_number in range(args.rounds):
                for endpoint in loads_for("service", task_ids):
                    for system in systems:
                        load = loads_for(system, task_ids).get(endpoint)
                        if load is None:
                            continue
                        result = run_wrk(
                            servers[system],
                            load,
                            token,
                            connections,
                            args.duration,
                            warmup=2.0 if round_number == 0 else 1.0,
                        )
                        runs[system].setdefault(endpoint, []).append(result)
                        if load.method == "POST":
                            asyncio.run(restore_seeded_data(direct_url))
        finally:
            for server in servers.values():
                server.stop()
        results = {
            system: {endpoint: _median(found) for endpoint, found in by_endpoint.items()}
            for system, by_endpoint in runs.items()
        }

        counts: dict[str, dict[str, tuple[float, float]]] = {}
        if not args.no_count:
            proxy = CountingProxy(UPSTREAM)
            counted_url = proxy.url(database)
            for system in systems:
                server = Server(system, counted_url, args.peer_python)
                try:
                    counts[system] = count_statements(
                        server.base, token, proxy.counter, loads_for(system, task_ids)
                    )
                finally:
                    server.stop()
    finally:
        if delay is not None:
            delay.terminate()
            delay.wait(timeout=10)
        asyncio.run(admin(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))

    where = "through the 2 ms delay proxy" if args.delay else "direct"
    print(
        f"\n{connections} connections, {args.duration:g} s per run, one uvicorn worker each, "
        f"{where}; medians of {args.rounds} interleaved rounds; ratios are to the peer"
    )
    print(
        f"{'endpoint':8} {'system':8} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} "
        f"{'req/s÷peer':>10} {'p50÷peer':>9} {'cpu ms/req':>10} {'errors':>6} "
        f"{'stmts':>5} {'trips':>5}"
    )
    endpoints = list(dict.fromkeys(e for by_system in results.values() for e in by_system))
    for endpoint in endpoints:
        peer = results.get("peer", {}).get(endpoint)
        for system in systems:
            result = results[system].get(endpoint)
            if result is None:
                continue
            statements, trips = counts.get(system, {}).get(endpoint, (float("nan"),) * 2)
            print(
                f"{endpoint:8} {system:8} {result.requests_per_second:8.0f} "
                f"{result.p50_ms:8.2f} {result.p99_ms:8.2f} "
                f"{_ratio(result.requests_per_second, peer and peer.requests_per_second):>10} "
                f"{_ratio(result.p50_ms, peer and peer.p50_ms):>9} {result.cpu_ms:10.2f} "
                f"{result.errors:6d} {statements:5.1f} {trips:5.1f}"
            )


if __name__ == "__main__":
    main()

"""Database faults through a fault-injecting proxy: each is a 503, and the next request works."""

from __future__ import annotations

import asyncio
import os
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor

import asyncpg
import httpx
import pytest
from conftest import ADMIN_URL, FROZEN_NOW, SCRATCH_DB, SCRATCH_URL, Person
from fault_proxy import SHUTTING_DOWN, STARTING_UP, TOO_MANY_CONNECTIONS, FaultProxy
from service_process import ServiceProcess, serve_app
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from shared.application import create_app


@pytest.fixture(scope="module")
def proxy(scratch_database: str) -> Iterator[FaultProxy]:
    host_port = ADMIN_URL.split("@", 1)[1].split("/", 1)[0]
    host, _, port = host_port.partition(":")
    running = FaultProxy(host, int(port or 5432))
    running.start()
    yield running
    running.close()


@pytest.fixture(scope="module")
def service(proxy: FaultProxy, tmp_path_factory) -> Iterator[ServiceProcess]:
    url = (
        f"postgresql://postgres@127.0.0.1:{proxy.port}/{SCRATCH_DB}"
        "?connect_timeout=1&command_timeout=2"
    )
    running = ServiceProcess(
        serve_app(FROZEN_NOW),
        {**os.environ, "DATABASE_URL": url},
        tmp_path_factory.mktemp("faults") / "service.log",
    )
    running.wait_healthy()
    yield running
    running.stop()


@pytest.fixture
def client(service: ServiceProcess, proxy: FaultProxy) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=service.url, timeout=30) as http:
        yield http
    proxy.heal()


UNAVAILABLE = {
    "error": {
        "code": "service_unavailable",
        "message": "The database cannot be reached right now; try again shortly.",
        "details": [],
    }
}


def assert_unavailable(response: httpx.Response) -> None:
    assert response.status_code == 503, response.text
    assert response.json() == UNAVAILABLE
    assert response.headers["retry-after"] == "2"
    assert response.headers["content-type"] == "application/json"


def assert_recovered(client: httpx.Client, person: Person) -> None:
    """The very first requests after the database is back succeed, a write first of all."""
    title = f"recovered {uuid.uuid4().hex}"
    created = client.post("/api/me/tasks", json={"title": title}, headers=person.headers)
    assert created.status_code == 201, created.text
    health = client.get("/health")
    assert health.status_code == 200 and health.json() == {"status": "ok", "database": "ok"}
    assert client.get("/api/me", headers=person.headers).json()["id"] == person.id


def test_the_openapi_document_promises_retry_after_on_every_503(http: httpx.Client) -> None:
    document = http.get("/openapi.json").json()
    operations = [op for path in document["paths"].values() for op in path.values()]
    assert operations
    for operation in operations:
        header = operation["responses"]["503"]["headers"]["Retry-After"]
        assert header["required"] is True and header["schema"]["type"] == "integer"


def _reject_startup(sqlstate_message: tuple[str, str]) -> Callable[[FaultProxy], None]:
    # PostgreSQL shutting down ends the open sessions (57P01) and refuses newcomers; starting
    # up or full, it refuses newcomers. Ending the pooled connections makes the service connect.
    def inject(proxy: FaultProxy) -> None:
        proxy.reject_startup(*sqlstate_message)
        proxy.terminate()

    return inject


FAULTS: dict[str, tuple[Callable[[FaultProxy], None], str]] = {
    "refused": (FaultProxy.refuse, "Connection refused"),
    "reset": (FaultProxy.reset, "Connection reset"),
    "timed out": (FaultProxy.stall, "TimeoutError"),
    "shutting down (57P03)": (_reject_startup(SHUTTING_DOWN), SHUTTING_DOWN[1]),
    "starting up (57P03)": (_reject_startup(STARTING_UP), STARTING_UP[1]),
    "too many connections (53300)": (
        _reject_startup(TOO_MANY_CONNECTIONS),
        TOO_MANY_CONNECTIONS[1],
    ),
}


@pytest.mark.parametrize("fault", list(FAULTS))
def test_each_way_the_database_is_unavailable_is_a_503_then_recovery(
    fault: str, client: httpx.Client, proxy: FaultProxy, service: ServiceProcess, ada: Person
) -> None:
    inject, logged = FAULTS[fault]
    assert_recovered(client, ada)
    inject(proxy)
    assert_unavailable(client.get("/health"))
    assert_unavailable(client.get("/api/me", headers=ada.headers))
    title = f"during {fault} {uuid.uuid4().hex}"
    assert_unavailable(client.post("/api/me/tasks", json={"title": title}, headers=ada.headers))
    # The service saw the fault itself, not some other failure.
    assert logged in service.log.read_text()
    proxy.heal()
    assert_recovered(client, ada)
    assert _count_titles([title]) == {}


@pytest.mark.parametrize("end", [FaultProxy.terminate, FaultProxy.reset])
def test_after_a_restart_between_requests_the_first_request_succeeds(
    end: Callable[[FaultProxy], object], client: httpx.Client, proxy: FaultProxy, ada: Person
) -> None:
    # Fill the pool, then end every pooled connection while nothing uses it, as a database
    # restart (or a failover) between two requests does.
    with ThreadPoolExecutor(max_workers=5) as pool:
        warm = list(pool.map(lambda _: client.get("/health").status_code, range(10)))
    assert warm == [200] * 10 and proxy.open_connections >= 1
    end(proxy)
    proxy.heal()
    assert_recovered(client, ada)


def test_an_open_connection_ended_by_the_administrator_is_a_503(
    client: httpx.Client, proxy: FaultProxy, ada: Person
) -> None:
    title = f"terminated {uuid.uuid4().hex}"
    proxy.terminate_on_query("INSERT INTO task")
    response = client.post("/api/me/tasks", json={"title": title}, headers=ada.headers)
    assert proxy.trap_sprung, response.text
    assert_unavailable(response)
    assert _count_titles([title]) == {}
    again = client.post("/api/me/tasks", json={"title": title}, headers=ada.headers)
    assert again.status_code == 201
    assert _count_titles([title]) == {title: 1}


def test_a_database_that_stops_answering_mid_transaction_is_a_503(
    client: httpx.Client, proxy: FaultProxy, ada: Person
) -> None:
    # A create with tags is a transaction (two INSERTs): held mid-way, it is never committed.
    title = f"stalled {uuid.uuid4().hex}"
    proxy.stall_on_query("INSERT INTO task")
    # The command timeout (2 s in this service's URL) ends the wait; the client's own 30 s
    # timeout would fail the test if the service hung instead.
    response = client.post(
        "/api/me/tasks", json={"title": title, "tags": ["held"]}, headers=ada.headers
    )
    assert proxy.trap_sprung, response.text
    assert_unavailable(response)
    proxy.heal()
    assert_recovered(client, ada)
    assert _count_titles([title]) == {}


def test_a_one_row_create_held_by_the_network_is_a_503_and_applied_at_most_once(
    client: httpx.Client, proxy: FaultProxy, ada: Person
) -> None:
    # A create of one row is its INSERT alone, in autocommit: held past the command timeout, it
    # may still reach the database once the network heals (a 503 on a write does not say it
    # was not applied; an Idempotency-Key makes the retry safe), but never twice.
    title = f"held {uuid.uuid4().hex}"
    proxy.stall_on_query("INSERT INTO task")
    response = client.post("/api/me/tasks", json={"title": title}, headers=ada.headers)
    assert proxy.trap_sprung, response.text
    assert_unavailable(response)
    proxy.heal()
    assert_recovered(client, ada)
    assert sum(_count_titles([title]).values()) <= 1


@pytest.mark.parametrize(
    ("statement", "extra"),
    [("COMMIT", {"tags": ["lost"]}), ("INSERT INTO task", {})],
    ids=["transaction", "one-statement"],
)
def test_a_write_whose_answer_is_lost_is_a_503_and_applied_once(
    statement: str, extra: dict[str, object], client: httpx.Client, proxy: FaultProxy, ada: Person
) -> None:
    # PostgreSQL commits (a transaction's COMMIT, or a one-row create's INSERT in autocommit),
    # then the connection dies before the client hears so: the service cannot know whether the
    # write happened and must not try it again on its own.
    title = f"ambiguous {uuid.uuid4().hex}"
    proxy.terminate_on_query(statement, forward=True)
    response = client.post("/api/me/tasks", json={"title": title, **extra}, headers=ada.headers)
    assert proxy.trap_sprung, response.text
    assert_unavailable(response)
    assert _count_titles([title]) == {title: 1}
    assert_recovered(client, ada)


def test_writes_while_the_database_keeps_failing_are_acknowledged_exactly_once(
    client: httpx.Client, proxy: FaultProxy, service: ServiceProcess, ada: Person
) -> None:
    run = uuid.uuid4().hex[:8]
    stop = time.monotonic() + 4

    def writer(number: int) -> list[tuple[str, httpx.Response]]:
        sent: list[tuple[str, httpx.Response]] = []
        with httpx.Client(base_url=service.url, timeout=30) as own:
            while time.monotonic() < stop:
                title = f"load {run} {number} {len(sent)}"
                # Every other create has a tag: a transaction, the others one INSERT alone.
                body = {"title": title, "tags": ["load"]} if len(sent) % 2 else {"title": title}
                sent.append((title, own.post("/api/me/tasks", json=body, headers=ada.headers)))
        return sent

    faults = [
        FaultProxy.reset,
        FaultProxy.terminate,
        lambda p: p.terminate_on_query("COMMIT", forward=True),
        lambda p: p.terminate_on_query("INSERT INTO task", forward=True),
        _reject_startup(SHUTTING_DOWN),
        FaultProxy.refuse,
        lambda p: p.terminate_on_query("INSERT INTO task"),
    ]
    with ThreadPoolExecutor(max_workers=6) as pool:
        futures = [pool.submit(writer, n) for n in range(6)]
        cycle = 0
        while time.monotonic() < stop - 0.5:
            time.sleep(0.15)
            faults[cycle % len(faults)](proxy)
            time.sleep(0.1)
            proxy.heal()
            cycle += 1
        results = [item for future in futures for item in future.result()]

    acknowledged = [title for title, response in results if response.status_code == 201]
    refused = [response for _, response in results if response.status_code != 201]
    assert acknowledged and refused, "the load ran through faults and healthy periods"
    for response in refused:
        assert_unavailable(response)
    counts = _count_titles([title for title, _ in results])
    # Every acknowledged write is stored exactly once; nothing is stored twice.
    assert all(counts.get(title) == 1 for title in acknowledged)
    assert max(counts.values()) == 1
    assert_recovered(client, ada)


def _count_titles(titles: list[str]) -> dict[str, int]:
    """How many tasks carry each title, read straight from PostgreSQL (not through the proxy)."""

    async def count() -> dict[str, int]:
        connection = await asyncpg.connect(SCRATCH_URL)
        try:
            rows = await connection.fetch(
                "SELECT title, count(*) AS n FROM task WHERE title = ANY($1::text[]) "
                "GROUP BY title",
                titles,
            )
        finally:
            await connection.close()
        return {row["title"]: row["n"] for row in rows}

    return asyncio.run(count())


async def test_no_pooled_connection_in_time_is_a_503(scratch_database: str) -> None:
    engine = create_async_engine(
        SCRATCH_URL.replace("postgresql://", "postgresql+asyncpg://"),
        pool_size=1,
        max_overflow=0,
        pool_timeout=0.2,
    )

    async def busy(request: Request) -> Response:
        async with engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
        return JSONResponse({})

    app = create_app([Route("/busy", busy)], lambda_mode=True)
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    try:
        async with (
            engine.connect(),  # the pool's only connection, held throughout
            httpx.AsyncClient(transport=transport, base_url="http://test") as http,
        ):
            assert_unavailable(await http.get("/busy"))
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
            assert (await http.get("/busy")).status_code == 200
    finally:
        await engine.dispose()

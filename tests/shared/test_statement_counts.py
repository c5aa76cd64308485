"""How many statements each request sends to PostgreSQL, counted on the wire.

Every statement is a round trip, and against a managed database each costs milliseconds: a
change that adds one to a common request fails here. The service runs in its own process
(its settings are read once per process) connected through a proxy that counts the messages it
sends; the clock there is frozen like this process's, so the vectors' sessions stay valid.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from conftest import FROZEN_NOW, SCRATCH_DB, Person
from service_process import ServiceProcess, serve_app
from wire_counter import CountingProxy, connections, statements


class CountedService:
    """The service in a subprocess, its database connections through a counting proxy."""

    def __init__(self, log: Path) -> None:
        self.proxy = CountingProxy()
        self.server = ServiceProcess(
            serve_app(FROZEN_NOW), {**os.environ, "DATABASE_URL": self.proxy.url(SCRATCH_DB)}, log
        )
        self.server.wait_healthy()
        self.client = httpx.Client(base_url=self.server.url, timeout=30)

    def statements_of(self, method: str, path: str, headers: dict[str, str], body: Any) -> int:
        """Statements one request sends, once the connection and its statements are warm;
        all of them on one connection.

        A `{n}` in the body's title is numbered, so that every change changes something.
        """

        def send(n: int) -> httpx.Response:
            sent = body if body is None else {**body, "title": body["title"].format(n=n)}
            return self.client.request(method, path, headers=headers, json=sent)

        for n in range(2):
            send(n).raise_for_status()
        before = self.proxy.counter.snapshot()
        response = send(2)
        assert response.status_code < 400, response.text
        # The server has answered, so everything the request sent has been counted.
        spent = self.proxy.counter.snapshot() - before
        assert connections(spent) == 1, f"{method} {path} used {connections(spent)} connections"
        return statements(spent)

    def stop(self) -> None:
        self.client.close()
        self.server.stop()


@pytest.fixture(scope="module")
def service(
    scratch_database: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[CountedService]:
    running = CountedService(tmp_path_factory.mktemp("counted") / "service.log")
    yield running
    running.stop()


@pytest.fixture(scope="module")
def task_url(service: CountedService, ada: Person) -> str:
    created = service.client.post("/api/me/tasks", headers=ada.headers, json={"title": "count"})
    assert created.status_code == 201, created.text
    return f"/api/me/tasks/{created.json()['id']}"


# The credential lookup, then the work: a read is one statement, and so is a create of one row
# (its INSERT, atomic alone, in autocommit); other writes put BEGIN ... COMMIT around their
# statements (a change also locks the row first, tags are a second INSERT).
@pytest.mark.parametrize(
    ("method", "path", "body", "expected"),
    [
        ("GET", "/api/me", None, 1),
        ("GET", "/api/me/tasks?limit=20", None, 2),
        ("GET", "{task}", None, 2),
        ("GET", "/api/me/tags", None, 2),
        ("GET", "/api/me/tasks/stats", None, 2),
        ("POST", "/api/me/tasks", {"title": "counted {n}"}, 2),
        ("POST", "/api/me/tasks", {"title": "counted {n}", "tags": ["counted"]}, 5),
        ("PATCH", "{task}", {"title": "changed {n}"}, 5),
    ],
)
def test_statements_per_request(
    service: CountedService,
    ada: Person,
    task_url: str,
    method: str,
    path: str,
    body: Any,
    expected: int,
) -> None:
    sent = service.statements_of(method, path.format(task=task_url), ada.headers, body)
    assert sent == expected, f"{method} {path} sent {sent} statements, expected {expected}"


def test_a_list_with_tags_is_still_two_statements(service: CountedService, ada: Person) -> None:
    # The tags of every task on the page come back in the task query itself.
    for index in range(3):
        service.client.post(
            "/api/me/tasks", headers=ada.headers, json={"title": f"tagged {index}", "tags": ["a"]}
        ).raise_for_status()
    assert service.statements_of("GET", "/api/me/tasks?tag=a", ada.headers, None) == 2
    page = service.client.get("/api/me/tasks?tag=a", headers=ada.headers).json()
    assert page["items"] and all(task["tags"] == ["a"] for task in page["items"])


def test_a_dead_pooled_connection_is_replaced_without_an_error(
    service: CountedService, ada: Person, task_url: str
) -> None:
    # No ping before each use: the cut connection is found by the request's first statement,
    # and a read (here the credential lookup) is run again on a fresh connection.
    service.client.get("/api/me", headers=ada.headers).raise_for_status()
    service.proxy.drop_connections()
    listed = service.client.get("/api/me/tasks?limit=5", headers=ada.headers)
    assert listed.status_code == 200, listed.text
    service.proxy.drop_connections()
    created = service.client.post("/api/me/tasks", headers=ada.headers, json={"title": "after"})
    assert created.status_code == 201, created.text
    service.proxy.drop_connections()
    changed = service.client.patch(task_url, headers=ada.headers, json={"title": "after a cut"})
    assert changed.status_code == 200, changed.text
    assert service.client.get("/health").status_code == 200

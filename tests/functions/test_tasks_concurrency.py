"""ETags: If-None-Match on reads, If-Match on writes, and racing writers where exactly one wins."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from conftest import lambda_event
from service_process import SqliteService
from tasks_support import make_task, marker


def _etag(task: dict[str, Any]) -> str:
    return f'"{task["id"]}-{task["version"]}"'


def test_get_has_an_etag_and_honours_if_none_match(http: httpx.Client, ada) -> None:
    task = make_task(http, ada)
    url = ada.url(f"/tasks/{task['id']}")
    response = http.get(url, headers=ada.headers)
    etag = response.headers["ETag"]
    assert etag == _etag(task)
    for header in (etag, f"W/{etag}", f'"nope", {etag}', "*"):
        cached = http.get(url, headers={**ada.headers, "If-None-Match": header})
        assert cached.status_code == 304, header
        assert cached.content == b""
        assert cached.headers["ETag"] == etag
    http.patch(url, headers=ada.headers, json={"priority": "high"})
    changed = http.get(url, headers={**ada.headers, "If-None-Match": etag})
    assert changed.status_code == 200
    assert changed.headers["ETag"] == f'"{task["id"]}-{task["version"] + 1}"'


def test_every_change_bumps_the_version_and_a_no_op_does_not(http: httpx.Client, ada) -> None:
    task = make_task(http, ada)
    url = ada.url(f"/tasks/{task['id']}")
    same = http.patch(url, headers=ada.headers, json={"title": task["title"]})
    assert same.json()["version"] == task["version"]
    changed = http.patch(url, headers=ada.headers, json={"title": "new"})
    assert changed.json()["version"] == task["version"] + 1
    assert changed.json()["updatedAt"] == "2026-11-22T02:55:00Z"


@pytest.mark.parametrize(
    ("method", "suffix", "body"),
    [
        ("PATCH", "", {"title": "changed"}),
        ("PUT", "", {"title": "replaced"}),
        ("PATCH", "/complete", None),
        ("DELETE", "", None),
    ],
)
def test_writes_honour_if_match(http: httpx.Client, ada, method: str, suffix: str, body) -> None:
    task = make_task(http, ada)
    url = ada.url(f"/tasks/{task['id']}{suffix}")
    stale = f'"{task["id"]}-{task["version"] + 7}"'
    refused = http.request(method, url, headers={**ada.headers, "If-Match": stale}, json=body)
    assert refused.status_code == 412, refused.text
    error = refused.json()["error"]
    assert error["code"] == "precondition_failed"
    assert error["details"][0]["field"] == "If-Match"
    assert error["details"][0]["currentETag"] == _etag(task)
    assert refused.headers["ETag"] == _etag(task)
    # Nothing changed.
    assert http.get(ada.url(f"/tasks/{task['id']}"), headers=ada.headers).json() == task
    accepted = http.request(
        method, url, headers={**ada.headers, "If-Match": f'"x", {_etag(task)}'}, json=body
    )
    assert accepted.status_code in (200, 204), accepted.text
    if accepted.status_code == 200:
        assert accepted.headers["ETag"] == f'"{task["id"]}-{task["version"] + 1}"'


def test_if_match_star_matches_any_existing_task(http: httpx.Client, ada, grace) -> None:
    task = make_task(http, ada)
    url = ada.url(f"/tasks/{task['id']}")
    star = {**ada.headers, "If-Match": "*"}
    assert http.patch(url, headers=star, json={"title": "x"}).status_code == 200
    theirs = make_task(http, grace)
    missing = http.patch(ada.url(f"/tasks/{theirs['id']}"), headers=star, json={"title": "x"})
    assert missing.status_code == 404


def _race(url: str, method: str, headers: dict[str, str], bodies: list[Any]) -> list[int]:
    barrier = threading.Barrier(len(bodies))
    statuses: list[int] = [0] * len(bodies)

    def attempt(index: int) -> None:
        with httpx.Client(timeout=60) as client:
            barrier.wait()
            response = client.request(method, url, headers=headers, json=bodies[index])
            statuses[index] = response.status_code

    threads = [threading.Thread(target=attempt, args=(i,)) for i in range(len(bodies))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return statuses


@dataclass
class Backend:
    """Where the races run: a base URL, and a user's credentials there."""

    url: str
    headers: dict[str, str]

    def make_task(self, **fields: Any) -> dict[str, Any]:
        response = httpx.post(
            self.url + "/api/me/tasks", headers=self.headers, json={"title": marker(), **fields}
        )
        assert response.status_code == 201, response.text
        return response.json()

    def get(self, path: str, **params: str) -> dict[str, Any]:
        response = httpx.get(self.url + path, headers=self.headers, params=params)
        assert response.status_code == 200, response.text
        return response.json()


@pytest.fixture(scope="module")
def sqlite_service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SqliteService]:
    service = SqliteService(tmp_path_factory.mktemp("sqlite-races"))
    yield service
    service.stop()


# SQLite has no row locks (FOR UPDATE compiles to nothing there): the same races must still
# have one winner, because every write transaction takes the database's write lock up front.
@pytest.fixture(params=["postgresql", "sqlite"])
def backend(request: pytest.FixtureRequest) -> Backend:
    if request.param == "sqlite":
        service: SqliteService = request.getfixturevalue("sqlite_service")
        return Backend(service.url, service.headers)
    live_server = request.getfixturevalue("live_server")
    return Backend(live_server.url, request.getfixturevalue("ada").headers)


RACERS = 20


def test_racing_writers_with_the_same_if_match_exactly_one_wins(backend: Backend) -> None:
    task = backend.make_task()
    path = f"/api/me/tasks/{task['id']}"
    headers = {**backend.headers, "If-Match": _etag(task)}
    bodies = [{"title": f"writer {i}"} for i in range(RACERS)]
    statuses = _race(backend.url + path, "PATCH", headers, bodies)
    assert sorted(statuses) == [200] + [412] * (RACERS - 1)
    winner = statuses.index(200)
    final = backend.get(path)
    assert final["title"] == f"writer {winner}"
    assert final["version"] == task["version"] + 1


def test_racing_completions_create_one_next_occurrence(backend: Backend) -> None:
    task = backend.make_task(dueDate="2026-03-05", recurrence={"frequency": "daily"})
    path = f"/api/me/tasks/{task['id']}"
    statuses = _race(
        backend.url + path + "/complete", "PATCH", backend.headers, [{"completed": True}] * RACERS
    )
    assert statuses == [200] * RACERS
    done = backend.get(path)
    assert done["version"] == task["version"] + 1
    listed = backend.get("/api/me/tasks", q=task["title"])
    assert len(listed["items"]) == 2
    assert {t["id"] for t in listed["items"]} == {task["id"], done["nextTaskId"]}


def test_if_match_through_the_lambda_handler(http: httpx.Client, ada, lambda_context) -> None:
    from functions import tasks

    task = make_task(http, ada)
    path = f"/api/me/tasks/{task['id']}"
    stale = lambda_event(
        "PATCH", path, headers={**ada.headers, "If-Match": '"1-99"'}, body={"title": "x"}
    )
    result = tasks.handler(stale, lambda_context)
    assert result["statusCode"] == 412
    assert json.loads(result["body"])["error"]["details"][0]["currentETag"] == _etag(task)
    fresh = lambda_event(
        "PATCH", path, headers={**ada.headers, "If-Match": _etag(task)}, body={"title": "x"}
    )
    result = tasks.handler(fresh, lambda_context)
    assert result["statusCode"] == 200
    assert result["headers"]["etag"] == f'"{task["id"]}-{task["version"] + 1}"'

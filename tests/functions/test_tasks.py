"""Tasks over HTTP: create, read, replace, change, complete, delete, list; and isolation."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest


def _error(response: httpx.Response, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"}
    assert body["error"]["code"] == code
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    assert isinstance(body["error"]["details"], list)
    return body["error"]


def _fields(error: dict[str, Any]) -> set[str]:
    return {d["field"] for d in error["details"]}


def _create(http: httpx.Client, person: Any, **fields: Any) -> dict[str, Any]:
    response = http.post(person.url("/tasks"), json=fields, headers=person.headers)
    assert response.status_code == 201, response.text
    return response.json()


def test_create_returns_the_task_with_defaults_and_location(http, ada) -> None:
    response = http.post(
        ada.url("/tasks"),
        json={"title": "  Buy milk  ", "dueDate": "2026-11-23T10:00:00+01:00"},
        headers=ada.headers,
    )
    assert response.status_code == 201
    task = response.json()
    assert response.headers["location"] == f"/api/{ada.id}/tasks/{task['id']}"
    assert isinstance(task["id"], int)
    assert task["userId"] == ada.id
    assert task["title"] == "Buy milk"
    assert task["description"] is None
    assert task["completed"] is False and task["completedAt"] is None
    assert task["priority"] == "medium"
    assert task["dueDate"] == "2026-11-23T10:00:00+01:00"
    assert task["categoryId"] is None
    assert task["createdAt"] == task["updatedAt"] == "2026-11-22T02:55:00Z"
    fetched = http.get(response.headers["location"], headers=ada.headers)
    assert fetched.status_code == 200
    assert fetched.json()["title"] == "Buy milk"


def test_me_alias_and_server_owned_fields_are_ignored(http, ada, grace) -> None:
    response = http.post(
        "/api/me/tasks",
        json={
            "title": "Sneaky",
            "id": 999999,
            "userId": grace.id,
            "createdAt": "2000-01-01T00:00:00Z",
        },
        headers=ada.headers,
    )
    assert response.status_code == 201
    task = response.json()
    assert task["userId"] == ada.id
    assert task["id"] != 999999
    assert task["createdAt"] == "2026-11-22T02:55:00Z"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "body.title"),
        ({"title": "   "}, "body.title"),
        ({"title": "x" * 201}, "body.title"),
        ({"title": "ok", "description": "d" * 2001}, "body.description"),
        ({"title": "ok", "priority": "urgent"}, "body.priority"),
        ({"title": "ok", "dueDate": "2026-11-23T10:00:00"}, "body.dueDate"),
        ({"title": "ok", "dueDate": "next tuesday"}, "body.dueDate"),
        ({"title": "ok", "completed": "maybe"}, "body.completed"),
        ({"title": "ok", "categoryId": "abc"}, "body.categoryId"),
        ({"title": "ok", "colour": "red"}, "body.colour"),
        ({"title": 42}, "body.title"),
    ],
)
def test_invalid_fields_are_422_with_the_field_named(http, ada, body, field) -> None:
    error = _error(
        http.post(ada.url("/tasks"), json=body, headers=ada.headers), 422, "validation_error"
    )
    assert field in _fields(error)


def test_body_errors(http, ada) -> None:
    url = ada.url("/tasks")
    json_headers = {**ada.headers, "Content-Type": "application/json"}
    _error(http.post(url, content=b"{not json", headers=json_headers), 400, "bad_request")
    _error(
        http.post(url, content=b"title=x", headers={**ada.headers, "Content-Type": "text/plain"}),
        415,
        "unsupported_media_type",
    )
    _error(http.post(url, content=b"[1, 2]", headers=json_headers), 422, "validation_error")
    big = b'{"title": "' + b"x" * (1024 * 1024 + 10) + b'"}'
    _error(http.post(url, content=big, headers=json_headers), 413, "payload_too_large")


def test_put_replaces_and_patch_changes_only_given_fields(http, ada) -> None:
    task = _create(http, ada, title="Original", description="words", priority="high")
    url = ada.url(f"/tasks/{task['id']}")

    patched = http.patch(url, json={"priority": "low"}, headers=ada.headers)
    assert patched.status_code == 200
    assert patched.json()["priority"] == "low"
    assert patched.json()["description"] == "words"

    replaced = http.put(url, json={"title": "Replaced"}, headers=ada.headers)
    assert replaced.status_code == 200
    body = replaced.json()
    assert body["title"] == "Replaced"
    assert body["description"] is None
    assert body["priority"] == "medium"
    assert body["createdAt"] == task["createdAt"]

    error = _error(
        http.patch(url, json={"title": None}, headers=ada.headers), 422, "validation_error"
    )
    assert error["details"]
    _error(
        http.put(url, json={"description": "no title"}, headers=ada.headers),
        422,
        "validation_error",
    )
    assert http.get(url, headers=ada.headers).json()["title"] == "Replaced"


def test_complete_toggles_or_sets(http, ada) -> None:
    task = _create(http, ada, title="Toggle me")
    url = ada.url(f"/tasks/{task['id']}/complete")

    done = http.patch(url, headers=ada.headers)
    assert done.status_code == 200
    assert done.json()["completed"] is True
    assert done.json()["completedAt"] == "2026-11-22T02:55:00Z"

    undone = http.patch(url, headers=ada.headers)
    assert undone.json()["completed"] is False
    assert undone.json()["completedAt"] is None

    set_true = http.patch(url, json={"completed": True}, headers=ada.headers)
    assert set_true.json()["completed"] is True
    still_true = http.patch(url, json={"completed": True}, headers=ada.headers)
    assert still_true.json()["completed"] is True


def test_delete_answers_204_and_the_task_is_gone(http, ada) -> None:
    task = _create(http, ada, title="Short-lived")
    url = ada.url(f"/tasks/{task['id']}")
    deleted = http.delete(url, headers=ada.headers)
    assert deleted.status_code == 204
    assert deleted.content == b""
    _error(http.get(url, headers=ada.headers), 404, "not_found")
    _error(http.delete(url, headers=ada.headers), 404, "not_found")


@pytest.mark.parametrize(
    "task_id", ["abc", "0", "-1", "99999999999999999999", "1.5", "%F0%9F%98%80"]
)
def test_task_ids_that_name_nothing_are_404(http, ada, task_id) -> None:
    _error(http.get(ada.url(f"/tasks/{task_id}"), headers=ada.headers), 404, "not_found")


def test_nobody_sees_or_changes_another_persons_tasks(http, ada, grace) -> None:
    marker = uuid.uuid4().hex
    adas = _create(http, ada, title=f"Ada private {marker}")
    graces = _create(http, grace, title=f"Grace private {marker}")

    # Another person's {userId} in the URL is 403, whatever the method.
    _error(http.get(grace.url("/tasks"), headers=ada.headers), 403, "forbidden")
    _error(
        http.post(grace.url("/tasks"), json={"title": "x"}, headers=ada.headers), 403, "forbidden"
    )
    _error(http.get(grace.url(f"/tasks/{graces['id']}"), headers=ada.headers), 403, "forbidden")

    # Another person's task id under one's own URL is 404, exactly like a missing one.
    own_url = ada.url(f"/tasks/{graces['id']}")
    missing = _error(http.get(ada.url("/tasks/2147483000"), headers=ada.headers), 404, "not_found")
    foreign = _error(http.get(own_url, headers=ada.headers), 404, "not_found")
    assert missing == foreign
    _error(http.put(own_url, json={"title": "mine now"}, headers=ada.headers), 404, "not_found")
    _error(http.patch(own_url, json={"title": "mine now"}, headers=ada.headers), 404, "not_found")
    _error(http.patch(own_url + "/complete", headers=ada.headers), 404, "not_found")
    _error(http.delete(own_url, headers=ada.headers), 404, "not_found")

    ada_titles = [
        t["title"]
        for t in http.get(ada.url(f"/tasks?q={marker}"), headers=ada.headers).json()["items"]
    ]
    grace_list = http.get(grace.url(f"/tasks?q={marker}"), headers=grace.headers).json()["items"]
    assert ada_titles == [adas["title"]]
    assert [(t["id"], t["title"]) for t in grace_list] == [(graces["id"], graces["title"])]


def test_list_filters(http, ada) -> None:
    marker = uuid.uuid4().hex[:10]
    low = _create(http, ada, title=f"{marker} alpha", priority="low")
    high = _create(
        http, ada, title=f"{marker} beta", priority="high", description="Contains NEEDLE"
    )
    done = _create(http, ada, title=f"{marker} gamma", completed=True)

    def ids(query: str) -> set[int]:
        response = http.get(ada.url(f"/tasks?q={marker}&{query}"), headers=ada.headers)
        assert response.status_code == 200, response.text
        return {t["id"] for t in response.json()["items"]}

    assert ids("status=all") == {low["id"], high["id"], done["id"]}
    assert ids("status=pending") == {low["id"], high["id"]}
    assert ids("status=completed") == {done["id"]}
    assert ids("priority=high") == {high["id"]}
    response = http.get(ada.url("/tasks?q=needle"), headers=ada.headers)
    assert high["id"] in {t["id"] for t in response.json()["items"]}
    # LIKE wildcards in q are literal characters, not patterns.
    assert http.get(ada.url(f"/tasks?q={marker}%25"), headers=ada.headers).json()["items"] == []


def test_list_sorts_and_pages_through_everything(http, ada) -> None:
    marker = uuid.uuid4().hex[:10]
    titles = ["delta", "Alpha", "charlie", "bravo", "echo"]
    created = []
    for index, title in enumerate(titles):
        due = None if index == 2 else f"2026-12-0{index + 1}T12:00:00Z"
        created.append(
            _create(
                http,
                ada,
                title=f"{marker} {title}",
                dueDate=due,
                priority=["low", "high", "medium", "low", "high"][index],
            )
        )

    def walk(sort: str, limit: int) -> list[str]:
        seen: list[str] = []
        cursor = None
        for _ in range(20):
            url = ada.url(f"/tasks?q={marker}&sort={sort}&limit={limit}")
            if cursor:
                url += f"&cursor={cursor}"
            page = http.get(url, headers=ada.headers).json()
            assert len(page["items"]) <= limit
            seen += [t["title"].split(" ", 1)[1] for t in page["items"]]
            cursor = page["nextCursor"]
            if cursor is None:
                return seen
        raise AssertionError("pagination did not end")

    assert walk("title", 2) == ["Alpha", "bravo", "charlie", "delta", "echo"]
    assert walk("-title", 3) == ["echo", "delta", "charlie", "bravo", "Alpha"]
    assert walk("dueDate", 2) == ["delta", "Alpha", "bravo", "echo", "charlie"]
    assert walk("-dueDate", 2) == ["echo", "bravo", "Alpha", "delta", "charlie"]
    # Ties keep the sort's direction on the id: the newest of equal priority comes first.
    assert walk("-priority", 1) == ["echo", "Alpha", "charlie", "bravo", "delta"]
    assert walk("priority", 2) == ["delta", "bravo", "charlie", "Alpha", "echo"]
    assert sorted(walk("createdAt", 2)) == sorted(titles)


@pytest.mark.parametrize(
    "query",
    [
        "status=done",
        "priority=urgent",
        "sort=size",
        "limit=0",
        "limit=101",
        "limit=ten",
        "categoryId=abc",
        "colour=red",
        "status=all&status=pending",
    ],
)
def test_bad_list_parameters_are_422(http, ada, query) -> None:
    _error(http.get(ada.url(f"/tasks?{query}"), headers=ada.headers), 422, "validation_error")


def test_a_bad_cursor_is_422_invalid_cursor(http, ada) -> None:
    response = http.get(ada.url("/tasks?cursor=not-a-cursor"), headers=ada.headers)
    _error(response, 422, "invalid_cursor")


def test_a_cursor_is_bound_to_its_sort(http, ada) -> None:
    for index in range(3):
        _create(http, ada, title=f"cursor-bound {index}")
    page = http.get(ada.url("/tasks?limit=1&sort=title"), headers=ada.headers).json()
    assert page["nextCursor"]
    response = http.get(
        ada.url(f"/tasks?limit=1&sort=-title&cursor={page['nextCursor']}"), headers=ada.headers
    )
    _error(response, 422, "invalid_cursor")


def test_a_task_may_only_use_its_owners_category(http, ada, grace) -> None:
    graces = http.post(
        grace.url("/categories"), json={"name": f"G {uuid.uuid4().hex}"}, headers=grace.headers
    )
    assert graces.status_code == 201
    error = _error(
        http.post(
            ada.url("/tasks"),
            json={"title": "x", "categoryId": graces.json()["id"]},
            headers=ada.headers,
        ),
        422,
        "validation_error",
    )
    assert "body.categoryId" in _fields(error)
    own = http.post(
        ada.url("/categories"), json={"name": f"A {uuid.uuid4().hex}"}, headers=ada.headers
    ).json()
    task = _create(http, ada, title="categorised", categoryId=own["id"])
    assert task["categoryId"] == own["id"]
    patch = http.patch(
        ada.url(f"/tasks/{task['id']}"),
        json={"categoryId": graces.json()["id"]},
        headers=ada.headers,
    )
    _error(patch, 422, "validation_error")
    assert (
        http.get(ada.url(f"/tasks/{task['id']}"), headers=ada.headers).json()["categoryId"]
        == own["id"]
    )

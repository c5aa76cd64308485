"""Bulk actions (all or nothing) and the stats summary."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from conftest import lambda_event
from tasks_support import make_task, marker


def _bulk(http: httpx.Client, person, **body: Any) -> httpx.Response:
    return http.post(person.url("/tasks/bulk"), headers=person.headers, json=body)


def _get(http: httpx.Client, person, task_id: int) -> httpx.Response:
    return http.get(person.url(f"/tasks/{task_id}"), headers=person.headers)


def _category(http: httpx.Client, person) -> int:
    response = http.post(person.url("/categories"), headers=person.headers, json={"name": marker()})
    assert response.status_code == 201
    return response.json()["id"]


def test_complete_and_uncomplete_many(http: httpx.Client, ada) -> None:
    plain = make_task(http, ada)
    recurring = make_task(http, ada, dueDate="2026-03-05", recurrence={"frequency": "daily"})
    ids = [recurring["id"], plain["id"]]
    done = _bulk(http, ada, action="complete", ids=ids)
    assert done.status_code == 200, done.text
    body = done.json()
    assert [item["id"] for item in body["items"]] == ids
    assert all(item["completed"] for item in body["items"])
    [successor] = body["created"]
    assert successor["dueDate"] == "2026-03-06"
    assert body["items"][0]["nextTaskId"] == successor["id"]
    undone = _bulk(http, ada, action="uncomplete", ids=ids).json()
    assert not any(item["completed"] for item in undone["items"])
    assert undone["created"] == []


def test_delete_move_and_tag(http: httpx.Client, ada) -> None:
    first = make_task(http, ada, tags=["keep"])
    second = make_task(http, ada)
    ids = [first["id"], second["id"], first["id"]]
    category = _category(http, ada)
    moved = _bulk(http, ada, action="move", ids=ids, categoryId=category).json()
    assert [item["categoryId"] for item in moved["items"]] == [category, category]
    cleared = _bulk(http, ada, action="move", ids=ids, categoryId=None).json()
    assert [item["categoryId"] for item in cleared["items"]] == [None, None]
    tagged = _bulk(http, ada, action="tag", ids=ids, tags=["New", "KEEP"]).json()
    assert [item["tags"] for item in tagged["items"]] == [["keep", "New"], ["KEEP", "New"]]
    deleted = _bulk(http, ada, action="delete", ids=ids).json()
    assert all(item["deletedAt"] == "2026-11-22T02:55:00Z" for item in deleted["items"])
    assert _get(http, ada, first["id"]).status_code == 404


def test_all_or_nothing(http: httpx.Client, ada, grace) -> None:
    mine = make_task(http, ada)
    theirs = make_task(http, grace)
    response = _bulk(http, ada, action="complete", ids=[mine["id"], theirs["id"], 2_000_000_000])
    assert response.status_code == 422
    fields = [d["field"] for d in response.json()["error"]["details"]]
    assert fields == ["body.ids.1", "body.ids.2"]
    assert _get(http, ada, mine["id"]).json() == mine

    their_category = _category(http, grace)
    refused = _bulk(http, ada, action="move", ids=[mine["id"]], categoryId=their_category)
    assert refused.status_code == 422
    full = make_task(http, ada, tags=[f"t{i}" for i in range(19)])
    over = _bulk(http, ada, action="tag", ids=[mine["id"], full["id"]], tags=["x", "y"])
    assert over.status_code == 422
    assert _get(http, ada, mine["id"]).json()["tags"] == []


@pytest.mark.parametrize(
    "body",
    [
        {"action": "complete", "ids": []},
        {"action": "complete", "ids": list(range(1, 202))},
        {"action": "complete", "ids": [0]},
        {"action": "archive", "ids": [1]},
        {"action": "move", "ids": [1]},
        {"action": "tag", "ids": [1]},
        {"action": "tag", "ids": [1], "tags": []},
        {"action": "complete", "ids": [1], "categoryId": 1},
        {"action": "delete", "ids": [1], "tags": ["a"]},
        {"action": "complete", "ids": [1], "extra": True},
    ],
)
def test_bad_bulk_bodies_are_422(http: httpx.Client, ada, body: dict[str, Any]) -> None:
    assert _bulk(http, ada, **body).status_code == 422


def test_bulk_through_the_lambda_handler(http: httpx.Client, ada, lambda_context) -> None:
    from functions import tasks

    task = make_task(http, ada)
    event = lambda_event(
        "POST",
        "/api/me/tasks/bulk",
        headers=ada.headers,
        body={"action": "complete", "ids": [task["id"]]},
    )
    result = tasks.handler(event, lambda_context)
    assert result["statusCode"] == 200, result["body"]
    assert json.loads(result["body"])["items"][0]["completed"] is True


def _stats(http: httpx.Client, person, **headers: str) -> dict[str, Any]:
    response = http.get(person.url("/tasks/stats"), headers={**person.headers, **headers})
    assert response.status_code == 200, response.text
    return response.json()


def test_stats_count_what_was_added(http: httpx.Client, ada) -> None:
    before = _stats(http, ada)
    category = _category(http, ada)
    make_task(http, ada, priority="high", dueDate="2026-11-22T10:00:00Z")
    make_task(http, ada, priority="low", completed=True, dueDate="2026-11-01T10:00:00Z")
    make_task(http, ada, priority="medium", dueDate="2026-11-20", categoryId=category)
    gone = make_task(http, ada, priority="high", dueDate="2026-11-20")
    http.delete(ada.url(f"/tasks/{gone['id']}"), headers=ada.headers)
    after = _stats(http, ada)
    delta = {
        key: after[key] - before[key]
        for key in ("total", "pending", "completed", "overdue", "dueToday")
    }
    assert delta == {"total": 3, "pending": 2, "completed": 1, "overdue": 1, "dueToday": 1}
    for priority, (total, pending) in {"high": (1, 1), "low": (1, 0), "medium": (1, 1)}.items():
        assert (
            after["byPriority"][priority]["total"] - before["byPriority"][priority]["total"]
            == total
        )
        assert (
            after["byPriority"][priority]["pending"] - before["byPriority"][priority]["pending"]
            == pending
        )
    assert {"categoryId": category, "total": 1, "pending": 1} in after["byCategory"]
    assert after["byCategory"][-1]["categoryId"] is None


def test_stats_use_the_callers_zone(http: httpx.Client, ada) -> None:
    la = {"X-Timezone": "America/Los_Angeles"}
    utc_before, la_before = _stats(http, ada), _stats(http, ada, **la)
    make_task(http, ada, dueDate="2026-11-21")  # overdue in UTC, today in Los Angeles
    utc_after, la_after = _stats(http, ada), _stats(http, ada, **la)
    assert (
        utc_after["overdue"] - utc_before["overdue"],
        utc_after["dueToday"] - utc_before["dueToday"],
    ) == (1, 0)
    assert (
        la_after["overdue"] - la_before["overdue"],
        la_after["dueToday"] - la_before["dueToday"],
    ) == (0, 1)
    bad = http.get(ada.url("/tasks/stats"), headers=ada.headers, params={"timezone": "Nowhere"})
    assert bad.status_code == 422


def test_stats_need_the_owner(http: httpx.Client, ada, grace) -> None:
    assert http.get(ada.url("/tasks/stats")).status_code == 401
    assert http.get(ada.url("/tasks/stats"), headers=grace.headers).status_code == 403
    other = http.post(
        ada.url("/tasks/bulk"), headers=grace.headers, json={"action": "complete", "ids": [1]}
    )
    assert other.status_code == 403

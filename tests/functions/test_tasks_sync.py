"""Sync: everything changed since an instant, deleted tasks as tombstones, sorted by updatedAt."""

from __future__ import annotations

import json
from datetime import timedelta

import httpx
from conftest import FROZEN_NOW, lambda_event
from tasks_support import make_task, marker, task_ids

from shared import clock

LATER = FROZEN_NOW + timedelta(minutes=10)


def test_changes_since_include_tombstones_on_request(http: httpx.Client, ada) -> None:
    word = marker()
    untouched = make_task(http, ada, word)
    edited = make_task(http, ada, word)
    deleted = make_task(http, ada, word)
    clock.freeze(LATER)
    http.patch(ada.url(f"/tasks/{edited['id']}"), headers=ada.headers, json={"priority": "high"})
    assert http.delete(ada.url(f"/tasks/{deleted['id']}"), headers=ada.headers).status_code == 204

    since = {"q": word, "updatedSince": LATER.isoformat(), "sort": "updatedAt"}
    changed = http.get(ada.url("/tasks"), headers=ada.headers, params=since)
    assert task_ids(changed) == [edited["id"]]
    synced = http.get(
        ada.url("/tasks"), headers=ada.headers, params={**since, "includeDeleted": "true"}
    )
    items = {item["id"]: item for item in synced.json()["items"]}
    assert set(items) == {edited["id"], deleted["id"]}
    tombstone = items[deleted["id"]]
    assert tombstone["deletedAt"] == "2026-11-22T03:05:00Z"
    assert tombstone["updatedAt"] == "2026-11-22T03:05:00Z"
    assert tombstone["version"] == deleted["version"] + 1
    assert items[edited["id"]]["deletedAt"] is None
    everything = http.get(ada.url("/tasks"), headers=ada.headers, params={"q": word})
    assert sorted(task_ids(everything)) == sorted([untouched["id"], edited["id"]])


def test_deleted_tasks_are_invisible_elsewhere(http: httpx.Client, ada) -> None:
    task = make_task(http, ada, remindAt="2026-11-22T01:00:00Z")
    url = ada.url(f"/tasks/{task['id']}")
    assert http.delete(url, headers=ada.headers).status_code == 204
    assert http.get(url, headers=ada.headers).status_code == 404
    assert http.patch(url, headers=ada.headers, json={"title": "x"}).status_code == 404
    assert http.put(url, headers=ada.headers, json={"title": "x"}).status_code == 404
    assert http.patch(url + "/complete", headers=ada.headers).status_code == 404
    assert http.delete(url, headers=ada.headers).status_code == 404
    assert http.post(url + "/reminder/ack", headers=ada.headers).status_code == 404
    bulk = http.post(
        ada.url("/tasks/bulk"),
        headers=ada.headers,
        json={"action": "complete", "ids": [task["id"]]},
    )
    assert bulk.status_code == 422


def test_sort_by_updated_at_pages_with_a_cursor(http: httpx.Client, ada) -> None:
    word = marker()
    made = []
    for minute in range(5):
        clock.freeze(FROZEN_NOW + timedelta(minutes=minute))
        made.append(make_task(http, ada, word)["id"])
    # Touch the first one last: it moves to the end.
    clock.freeze(FROZEN_NOW + timedelta(minutes=9))
    http.patch(ada.url(f"/tasks/{made[0]}"), headers=ada.headers, json={"priority": "low"})
    seen: list[int] = []
    params = {"q": word, "sort": "updatedAt", "limit": "2"}
    while True:
        page = http.get(ada.url("/tasks"), headers=ada.headers, params=params).json()
        seen += [item["id"] for item in page["items"]]
        if page["nextCursor"] is None:
            break
        params["cursor"] = page["nextCursor"]
    assert seen == [*made[1:], made[0]]
    newest = http.get(
        ada.url("/tasks"), headers=ada.headers, params={"q": word, "sort": "-updatedAt"}
    )
    assert task_ids(newest)[0] == made[0]


def test_bad_sync_parameters_are_422(http: httpx.Client, ada) -> None:
    for params in (
        {"updatedSince": "yesterday"},
        {"updatedSince": "2026-11-22T00:00:00"},
        {"includeDeleted": "maybe"},
    ):
        assert http.get(ada.url("/tasks"), headers=ada.headers, params=params).status_code == 422


def test_sync_through_the_lambda_handler(http: httpx.Client, ada, lambda_context) -> None:
    from functions import tasks

    word = marker()
    task = make_task(http, ada, word)
    http.delete(ada.url(f"/tasks/{task['id']}"), headers=ada.headers)
    event = lambda_event(
        "GET",
        "/api/me/tasks",
        headers=ada.headers,
        query=f"q={word}&includeDeleted=true&updatedSince=2026-11-22T02:00:00Z",
    )
    result = tasks.handler(event, lambda_context)
    assert result["statusCode"] == 200, result["body"]
    [item] = json.loads(result["body"])["items"]
    assert (item["id"], item["deletedAt"]) == (task["id"], "2026-11-22T02:55:00Z")

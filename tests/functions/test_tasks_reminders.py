"""Reminders: due ones are listed until acknowledged; a new remindAt makes one due again."""

from __future__ import annotations

import json

import httpx
from conftest import lambda_event
from tasks_support import make_task


def _due_ids(http: httpx.Client, person, **params: str) -> list[int]:
    response = http.get(person.url("/reminders"), headers=person.headers, params=params)
    assert response.status_code == 200, response.text
    return [item["id"] for item in response.json()["items"]]


def test_lists_open_unacknowledged_reminders_before_an_instant(
    http: httpx.Client, ada, grace
) -> None:
    early = make_task(http, ada, remindAt="2026-11-22T02:00:00Z")
    earlier = make_task(http, ada, remindAt="2026-11-22T01:00:00+00:00")
    later = make_task(http, ada, remindAt="2026-11-22T04:00:00Z")
    done = make_task(http, ada, remindAt="2026-11-22T01:00:00Z", completed=True)
    gone = make_task(http, ada, remindAt="2026-11-22T01:00:00Z")
    http.delete(ada.url(f"/tasks/{gone['id']}"), headers=ada.headers)
    theirs = make_task(http, grace, remindAt="2026-11-22T01:00:00Z")

    listed = _due_ids(http, ada, before="2026-11-22T03:00:00Z")
    assert [i for i in listed if i in {early["id"], earlier["id"]}] == [earlier["id"], early["id"]]
    assert not {later["id"], done["id"], gone["id"], theirs["id"]} & set(listed)
    # Without `before`, it is now (02:55).
    assert {early["id"], earlier["id"]} <= set(_due_ids(http, ada))
    assert later["id"] in _due_ids(http, ada, before="2026-11-22T05:00:01+01:00")


def test_acknowledging_hides_it_until_remind_at_changes(http: httpx.Client, ada) -> None:
    task = make_task(http, ada, remindAt="2026-11-22T02:00:00Z")
    url = ada.url(f"/tasks/{task['id']}")
    acked = http.post(url + "/reminder/ack", headers=ada.headers)
    assert acked.status_code == 200, acked.text
    body = acked.json()
    assert body["reminderAcknowledgedAt"] == "2026-11-22T02:55:00Z"
    assert body["version"] == task["version"] + 1
    assert acked.headers["ETag"] == f'"{task["id"]}-{body["version"]}"'
    assert task["id"] not in _due_ids(http, ada)
    # Acknowledging twice is harmless.
    again = http.post(url + "/reminder/ack", headers=ada.headers).json()
    assert again["version"] == body["version"]

    same = http.patch(url, headers=ada.headers, json={"remindAt": "2026-11-22T02:00:00Z"})
    assert same.json()["reminderAcknowledgedAt"] is not None
    moved = http.patch(url, headers=ada.headers, json={"remindAt": "2026-11-22T02:30:00Z"})
    assert moved.json()["reminderAcknowledgedAt"] is None
    assert task["id"] in _due_ids(http, ada)


def test_ack_errors(http: httpx.Client, ada, grace) -> None:
    plain = make_task(http, ada)
    response = http.post(ada.url(f"/tasks/{plain['id']}/reminder/ack"), headers=ada.headers)
    assert response.status_code == 409
    theirs = make_task(http, grace, remindAt="2026-11-22T02:00:00Z")
    response = http.post(ada.url(f"/tasks/{theirs['id']}/reminder/ack"), headers=ada.headers)
    assert response.status_code == 404
    reminded = make_task(http, ada, remindAt="2026-11-22T02:00:00Z")
    stale = http.post(
        ada.url(f"/tasks/{reminded['id']}/reminder/ack"),
        headers={**ada.headers, "If-Match": '"0-0"'},
    )
    assert stale.status_code == 412


def test_bad_reminder_queries_are_422(http: httpx.Client, ada) -> None:
    for params in (
        {"before": "soon"},
        {"before": "2026-11-22T03:00:00"},
        {"limit": "0"},
        {"x": "1"},
    ):
        response = http.get(ada.url("/reminders"), headers=ada.headers, params=params)
        assert response.status_code == 422, params
    response = http.post(
        ada.url("/tasks"), headers=ada.headers, json={"title": "t", "remindAt": "2026-11-22"}
    )
    assert response.status_code == 422


def test_reminders_through_the_lambda_handler(http: httpx.Client, ada, lambda_context) -> None:
    from functions import reminders

    task = make_task(http, ada, remindAt="2026-11-22T02:10:00Z")
    listed = reminders.handler(
        lambda_event(
            "GET", "/api/me/reminders", headers=ada.headers, query="before=2026-11-22T02:20:00Z"
        ),
        lambda_context,
    )
    assert listed["statusCode"] == 200, listed["body"]
    assert task["id"] in [item["id"] for item in json.loads(listed["body"])["items"]]
    acked = reminders.handler(
        lambda_event("POST", f"/api/me/tasks/{task['id']}/reminder/ack", headers=ada.headers),
        lambda_context,
    )
    assert acked["statusCode"] == 200, acked["body"]
    assert json.loads(acked["body"])["reminderAcknowledgedAt"] == "2026-11-22T02:55:00Z"

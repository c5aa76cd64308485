"""Recurring tasks: strict rules, and completing one occurrence creates exactly the next."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from conftest import lambda_event
from tasks_support import make_task, marker, task_ids

DAILY = {"frequency": "daily", "interval": 1}


def _complete(http: httpx.Client, person, task_id: int, **body: Any) -> dict:
    response = http.patch(
        person.url(f"/tasks/{task_id}/complete"), headers=person.headers, json=body or None
    )
    assert response.status_code == 200, response.text
    return response.json()


def _get(http: httpx.Client, person, task_id: int) -> dict:
    response = http.get(person.url(f"/tasks/{task_id}"), headers=person.headers)
    assert response.status_code == 200, response.text
    return response.json()


def _series(http: httpx.Client, person, word: str) -> list[int]:
    return task_ids(http.get(person.url("/tasks"), headers=person.headers, params={"q": word}))


@pytest.mark.parametrize(
    ("recurrence", "field"),
    [
        ({"frequency": "hourly"}, "body.recurrence.frequency"),
        ({"frequency": "daily", "interval": 0}, "body.recurrence.interval"),
        ({"frequency": "daily", "interval": "2"}, "body.recurrence.interval"),
        ({"frequency": "daily", "interval": 1.5}, "body.recurrence.interval"),
        ({"frequency": "daily", "weekdays": ["mon"]}, "body.recurrence"),
        ({"frequency": "weekly", "weekdays": ["mon", "mon"]}, "body.recurrence"),
        ({"frequency": "weekly", "weekdays": ["monday"]}, "body.recurrence.weekdays.0"),
        ({"frequency": "weekly", "weekdays": []}, "body.recurrence.weekdays"),
        ({"frequency": "daily", "until": "2026-13-01"}, "body.recurrence.until"),
        ({"frequency": "daily", "until": "2026-03-01T00:00:00Z"}, "body.recurrence.until"),
        ({"frequency": "daily", "count": 3}, "body.recurrence.count"),
        ({"frequency": "daily", "until": "2026-03-01"}, "body.recurrence.until"),
        ("daily", "body.recurrence"),
    ],
)
def test_nonsense_rules_are_422(http: httpx.Client, ada, recurrence: Any, field: str) -> None:
    response = http.post(
        ada.url("/tasks"),
        headers=ada.headers,
        json={"title": "t", "dueDate": "2026-03-05", "recurrence": recurrence},
    )
    assert response.status_code == 422, response.text
    assert response.json()["error"]["details"][0]["field"] == field


def test_a_recurring_task_needs_a_due_date(http: httpx.Client, ada) -> None:
    response = http.post(
        ada.url("/tasks"), headers=ada.headers, json={"title": "t", "recurrence": DAILY}
    )
    assert response.status_code == 422
    assert response.json()["error"]["details"][0]["field"] == "body.recurrence"
    task = make_task(http, ada, dueDate="2026-03-05", recurrence=DAILY)
    cleared = http.patch(
        ada.url(f"/tasks/{task['id']}"), headers=ada.headers, json={"dueDate": None}
    )
    assert cleared.status_code == 422


def test_completing_creates_the_next_occurrence_once(http: httpx.Client, ada) -> None:
    word = marker()
    category = http.post(ada.url("/categories"), headers=ada.headers, json={"name": word})
    first = make_task(
        http,
        ada,
        f"{word} water the plants",
        description="the ferns too",
        priority="high",
        categoryId=category.json()["id"],
        tags=["home", "Garden"],
        dueDate="2026-11-22T18:00:00+01:00",
        remindAt="2026-11-22T16:30:00Z",
        recurrence={"frequency": "daily", "interval": 2},
    )
    assert first["recurrence"] == {
        "frequency": "daily",
        "interval": 2,
        "weekdays": None,
        "until": None,
    }
    assert first["nextTaskId"] is None
    done = _complete(http, ada, first["id"])
    assert done["completed"] is True
    successor = _get(http, ada, done["nextTaskId"])
    assert successor["dueDate"] == "2026-11-24T18:00:00+01:00"
    assert successor["remindAt"] == "2026-11-24T16:30:00Z"
    for field in ("description", "priority", "categoryId", "tags", "recurrence", "allDay"):
        assert successor[field] == first[field], field
    assert successor["title"] == first["title"]
    assert (successor["completed"], successor["nextTaskId"]) == (False, None)

    # Completing again, uncompleting, and completing once more create nothing new.
    assert _complete(http, ada, first["id"], completed=True)["nextTaskId"] == successor["id"]
    assert _complete(http, ada, first["id"], completed=False)["nextTaskId"] == successor["id"]
    assert _complete(http, ada, first["id"], completed=True)["nextTaskId"] == successor["id"]
    assert sorted(_series(http, ada, word)) == sorted([first["id"], successor["id"]])


def test_monthly_keeps_the_anchor_day_through_short_months(http: httpx.Client, ada) -> None:
    task = make_task(
        http,
        ada,
        dueDate="2026-01-31T09:00:00+01:00",
        recurrence={"frequency": "monthly", "interval": 1},
    )
    seen = []
    for _ in range(3):
        task = _get(http, ada, _complete(http, ada, task["id"])["nextTaskId"])
        seen.append(task["dueDate"])
    assert seen == [
        "2026-02-28T09:00:00+01:00",
        "2026-03-31T09:00:00+01:00",
        "2026-04-30T09:00:00+01:00",
    ]


def test_yearly_leap_day_and_all_day(http: httpx.Client, ada) -> None:
    task = make_task(
        http, ada, dueDate="2028-02-29", recurrence={"frequency": "yearly", "interval": 1}
    )
    following = _get(http, ada, _complete(http, ada, task["id"])["nextTaskId"])
    assert (following["dueDate"], following["allDay"]) == ("2029-02-28", True)


def test_weekly_on_weekdays_every_other_week(http: httpx.Client, ada) -> None:
    rule = {"frequency": "weekly", "interval": 2, "weekdays": ["wed", "mon"]}
    task = make_task(http, ada, dueDate="2026-03-02", recurrence=rule)  # a Monday
    assert task["recurrence"]["weekdays"] == ["mon", "wed"]
    dates = []
    for _ in range(3):
        task = _get(http, ada, _complete(http, ada, task["id"])["nextTaskId"])
        dates.append(task["dueDate"])
    assert dates == ["2026-03-04", "2026-03-16", "2026-03-18"]


def test_no_occurrence_after_until(http: httpx.Client, ada) -> None:
    rule = {"frequency": "daily", "interval": 1, "until": "2026-03-06"}
    task = make_task(http, ada, dueDate="2026-03-05", recurrence=rule)
    last = _get(http, ada, _complete(http, ada, task["id"])["nextTaskId"])
    assert last["dueDate"] == "2026-03-06"
    assert _complete(http, ada, last["id"])["nextTaskId"] is None


def test_patch_and_put_completion_also_advance(http: httpx.Client, ada) -> None:
    task = make_task(http, ada, dueDate="2026-03-05", recurrence=DAILY)
    url = ada.url(f"/tasks/{task['id']}")
    patched = http.patch(url, headers=ada.headers, json={"completed": True}).json()
    assert _get(http, ada, patched["nextTaskId"])["dueDate"] == "2026-03-06"

    other = make_task(http, ada, dueDate="2026-03-05", recurrence=DAILY)
    replaced = http.put(
        ada.url(f"/tasks/{other['id']}"), headers=ada.headers, json={**other, "completed": True}
    ).json()
    assert _get(http, ada, replaced["nextTaskId"])["dueDate"] == "2026-03-06"


def test_changing_the_due_date_moves_the_anchor(http: httpx.Client, ada) -> None:
    task = make_task(
        http, ada, dueDate="2026-01-31", recurrence={"frequency": "monthly", "interval": 1}
    )
    moved = http.patch(
        ada.url(f"/tasks/{task['id']}"), headers=ada.headers, json={"dueDate": "2026-02-15"}
    )
    assert moved.status_code == 200
    following = _get(http, ada, _complete(http, ada, task["id"])["nextTaskId"])
    assert following["dueDate"] == "2026-03-15"


def test_complete_through_the_lambda_handler(http: httpx.Client, ada, lambda_context) -> None:
    from functions import tasks

    task = make_task(http, ada, dueDate="2026-03-05", recurrence=DAILY)
    event = lambda_event("PATCH", f"/api/me/tasks/{task['id']}/complete", headers=ada.headers)
    result = tasks.handler(event, lambda_context)
    assert result["statusCode"] == 200, result["body"]
    body = json.loads(result["body"])
    assert body["completed"] is True
    assert _get(http, ada, body["nextTaskId"])["dueDate"] == "2026-03-06"

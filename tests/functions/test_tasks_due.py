"""Due dates keep their offset, all-day tasks stay dates, and day filters use the caller's zone.

The clock is frozen at 2026-11-22T02:55Z: still Nov 21 (18:55) in Los Angeles.
"""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from conftest import lambda_event
from tasks_support import make_task, marker, task_ids


def test_timed_due_date_comes_back_with_its_offset(http: httpx.Client, ada) -> None:
    task = make_task(http, ada, dueDate="2026-03-05T09:00:00+01:00")
    assert task["dueDate"] == "2026-03-05T09:00:00+01:00"
    assert task["allDay"] is False
    utc = make_task(http, ada, dueDate="2026-03-05T09:00:00Z")
    assert utc["dueDate"] == "2026-03-05T09:00:00Z"


def test_all_day_due_date_round_trips_as_a_date(http: httpx.Client, ada) -> None:
    task = make_task(http, ada, dueDate="2026-03-05")
    assert (task["dueDate"], task["allDay"]) == ("2026-03-05", True)
    url = ada.url(f"/tasks/{task['id']}")
    assert http.get(url, headers=ada.headers).json()["dueDate"] == "2026-03-05"
    # Sending back what was read (allDay included) is accepted and changes nothing.
    echoed = http.put(url, headers=ada.headers, json=task)
    assert echoed.status_code == 200, echoed.text
    assert echoed.json()["version"] == task["version"]
    timed = http.patch(url, headers=ada.headers, json={"dueDate": "2026-03-05T18:30:00-05:00"})
    assert timed.json()["dueDate"] == "2026-03-05T18:30:00-05:00"
    assert timed.json()["allDay"] is False
    cleared = http.patch(url, headers=ada.headers, json={"dueDate": None})
    assert (cleared.json()["dueDate"], cleared.json()["allDay"]) == (None, False)


@pytest.mark.parametrize(
    "value", ["2026-03-05T09:00:00", "2026-02-30", "tomorrow", 20260305, "2026-3-5"]
)
def test_bad_due_dates_are_422(http: httpx.Client, ada, value: Any) -> None:
    response = http.post(
        ada.url("/tasks"), headers=ada.headers, json={"title": "t", "dueDate": value}
    )
    assert response.status_code == 422
    assert response.json()["error"]["details"][0]["field"] == "body.dueDate"


@pytest.fixture
def zoned(http: httpx.Client, ada) -> dict[str, Any]:
    word = marker()
    tasks = {
        "timed_utc_today_la_today": make_task(http, ada, word, dueDate="2026-11-22T01:00:00Z"),
        "allday_22": make_task(http, ada, word, dueDate="2026-11-22"),
        "allday_21": make_task(http, ada, word, dueDate="2026-11-21"),
        "timed_utc_today_la_tomorrow": make_task(http, ada, word, dueDate="2026-11-22T10:00:00Z"),
        "timed_23": make_task(http, ada, word, dueDate="2026-11-23T12:00:00Z"),
        "done_20": make_task(http, ada, word, dueDate="2026-11-20T12:00:00Z", completed=True),
        "no_due": make_task(http, ada, word),
    }
    return {"word": word, **{name: task["id"] for name, task in tasks.items()}}


def _listed(http: httpx.Client, ada, zoned: dict[str, Any], **params: str) -> set[str]:
    headers = dict(ada.headers)
    if "header_zone" in params:
        headers["X-Timezone"] = params.pop("header_zone")
    response = http.get(ada.url("/tasks"), headers=headers, params={"q": zoned["word"], **params})
    ids = set(task_ids(response))
    return {name for name, value in zoned.items() if value in ids}


def test_today_tomorrow_overdue_week_in_utc(http: httpx.Client, ada, zoned) -> None:
    assert _listed(http, ada, zoned, due="today") == {
        "timed_utc_today_la_today",
        "allday_22",
        "timed_utc_today_la_tomorrow",
    }
    assert _listed(http, ada, zoned, due="tomorrow") == {"timed_23"}
    assert _listed(http, ada, zoned, due="overdue") == {"timed_utc_today_la_today", "allday_21"}
    assert _listed(http, ada, zoned, due="week") == {
        "timed_utc_today_la_today",
        "allday_22",
        "timed_utc_today_la_tomorrow",
        "timed_23",
    }


def test_day_filters_follow_the_callers_zone(http: httpx.Client, ada, zoned) -> None:
    la = "America/Los_Angeles"
    assert _listed(http, ada, zoned, due="today", header_zone=la) == {
        "timed_utc_today_la_today",
        "allday_21",
    }
    assert _listed(http, ada, zoned, due="tomorrow", timezone=la) == {
        "allday_22",
        "timed_utc_today_la_tomorrow",
    }
    # An all-day task due today is never overdue, whatever the zone.
    assert _listed(http, ada, zoned, due="overdue", timezone=la) == {"timed_utc_today_la_today"}
    # The query parameter wins over the header.
    assert _listed(http, ada, zoned, due="today", timezone="UTC", header_zone=la) == {
        "timed_utc_today_la_today",
        "allday_22",
        "timed_utc_today_la_tomorrow",
    }


def test_due_before_and_after_take_dates_and_instants(http: httpx.Client, ada, zoned) -> None:
    assert _listed(http, ada, zoned, dueBefore="2026-11-22") == {"allday_21", "done_20"}
    assert _listed(http, ada, zoned, dueAfter="2026-11-23") == {"timed_23"}
    assert _listed(
        http, ada, zoned, dueAfter="2026-11-22T05:00:00Z", dueBefore="2026-11-23T00:00:00Z"
    ) == {"timed_utc_today_la_tomorrow"}
    # In Los Angeles, Nov 22 starts at 08:00Z: the all-day Nov 22 task is on or after it.
    assert _listed(
        http,
        ada,
        zoned,
        dueAfter="2026-11-22",
        dueBefore="2026-11-23",
        timezone="America/Los_Angeles",
    ) == {"allday_22", "timed_utc_today_la_tomorrow"}


@pytest.mark.parametrize(
    ("params", "headers", "field"),
    [
        ({"timezone": "Mars/Olympus"}, {}, "query.timezone"),
        ({"timezone": "../../etc/passwd"}, {}, "query.timezone"),
        ({}, {"X-Timezone": "Not/AZone"}, "header.X-Timezone"),
        ({"due": "yesterday"}, {}, "query.due"),
        ({"dueBefore": "soon"}, {}, "query.dueBefore"),
    ],
)
def test_bad_zone_or_window_is_422(http: httpx.Client, ada, params, headers, field) -> None:
    response = http.get(ada.url("/tasks"), headers={**ada.headers, **headers}, params=params)
    assert response.status_code == 422, response.text
    assert response.json()["error"]["details"][0]["field"] == field


def test_sort_by_due_date_mixes_all_day_and_timed(http: httpx.Client, ada, zoned) -> None:
    response = http.get(
        ada.url("/tasks"), headers=ada.headers, params={"q": zoned["word"], "sort": "dueDate"}
    )
    names = {value: name for name, value in zoned.items() if name != "word"}
    assert [names[i] for i in task_ids(response)] == [
        "done_20",
        "allday_21",
        "allday_22",
        "timed_utc_today_la_today",
        "timed_utc_today_la_tomorrow",
        "timed_23",
        "no_due",
    ]


def test_due_today_through_the_lambda_handler(ada, zoned, lambda_context) -> None:
    from functions import tasks

    event = lambda_event(
        "GET",
        "/api/me/tasks",
        headers={**ada.headers, "X-Timezone": "America/Los_Angeles"},
        query=f"q={zoned['word']}&due=today",
    )
    result = tasks.handler(event, lambda_context)
    assert result["statusCode"] == 200, result["body"]
    ids = {item["id"] for item in json.loads(result["body"])["items"]}
    assert ids == {zoned["timed_utc_today_la_today"], zoned["allday_21"]}

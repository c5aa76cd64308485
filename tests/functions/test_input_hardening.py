"""No input is a 500: unstorable text, instants near the ends of the calendar, numbers posing
as date-times and booleans are 422s naming the field; a recurring task whose next occurrence
would leave the supported years can still be completed (the series ends)."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from conftest import Person, run_db
from tasks_support import make_task, marker

NUL = "a\u0000b"
SURROGATE = "a\ud800b"


def _send(http: httpx.Client, person: Person, method: str, path: str, body: Any) -> httpx.Response:
    # json.dumps escapes a lone surrogate as \\ud800, as a hostile client would send it
    # (httpx's own encoder would refuse to encode it).
    return http.request(
        method,
        person.url(path),
        content=json.dumps(body).encode(),
        headers={**person.headers, "Content-Type": "application/json"},
    )


def _assert_422(response: httpx.Response, field: str, message: str | None = None) -> None:
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    assert error["message"] == "Some fields are not valid."
    fields = [detail["field"] for detail in error["details"]]
    assert fields == [field], error["details"]
    if message is not None:
        assert error["details"][0]["message"] == message


def _fill(value: Any, text: str) -> Any:
    if isinstance(value, list):
        return [_fill(item, text) for item in value]
    return value.replace("{}", text) if isinstance(value, str) else value


NUL_MESSAGE = "Must not contain NUL (\\u0000) characters."
SURROGATE_MESSAGE = "Must not contain lone surrogates (unpaired \\ud800-\\udfff)."
RANGE_MESSAGE = "Must be between the years 1900 and 9000."


@pytest.mark.parametrize(("text", "message"), [(NUL, NUL_MESSAGE), (SURROGATE, SURROGATE_MESSAGE)])
@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"title": "{}"}, "body.title"),
        ({"title": "ok", "description": "{}"}, "body.description"),
        ({"title": "ok", "tags": ["fine", "{}"]}, "body.tags.1"),
    ],
)
def test_unstorable_text_in_a_new_task_is_422(
    http: httpx.Client,
    ada: Person,
    text: str,
    message: str,
    body: dict[str, Any],
    field: str,
) -> None:
    filled = {k: _fill(v, text) for k, v in body.items()}
    _assert_422(_send(http, ada, "POST", "/tasks", filled), field, message)
    task = make_task(http, ada)
    _assert_422(_send(http, ada, "PATCH", f"/tasks/{task['id']}", filled), field, message)
    _assert_422(_send(http, ada, "PUT", f"/tasks/{task['id']}", filled), field, message)


@pytest.mark.parametrize("text", [NUL, SURROGATE, " \u0000 "])
def test_unstorable_category_names_are_422(http: httpx.Client, ada: Person, text: str) -> None:
    _assert_422(_send(http, ada, "POST", "/categories", {"name": text}), "body.name")
    category = http.post(ada.url("/categories"), headers=ada.headers, json={"name": marker()})
    assert category.status_code == 201
    path = f"/categories/{category.json()['id']}"
    _assert_422(_send(http, ada, "PATCH", path, {"name": text}), "body.name")
    _assert_422(_send(http, ada, "PUT", path, {"name": text}), "body.name")


@pytest.mark.parametrize("text", [NUL, SURROGATE])
def test_unstorable_bulk_tag_is_422(http: httpx.Client, ada: Person, text: str) -> None:
    task = make_task(http, ada)
    body = {"action": "tag", "ids": [task["id"]], "tags": [text]}
    _assert_422(_send(http, ada, "POST", "/tasks/bulk", body), "body.tags.0")


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("q=a%00b", "query.q"),
        ("tag=a%00b", "query.tag.0"),
        ("tag=ok&tag=%00", "query.tag.1"),
        ("timezone=Europe/Paris%00", "query.timezone"),
    ],
)
def test_nul_in_text_query_parameters_is_422(
    http: httpx.Client, ada: Person, query: str, field: str
) -> None:
    response = http.get(ada.url(f"/tasks?{query}"), headers=ada.headers)
    _assert_422(response, field)


def test_nul_in_stats_timezone_is_422(http: httpx.Client, ada: Person) -> None:
    response = http.get(ada.url("/tasks/stats?timezone=UTC%00"), headers=ada.headers)
    _assert_422(response, "query.timezone", NUL_MESSAGE)


OUT_OF_RANGE = [
    "9999-12-31T23:59:59-01:00",
    "0001-01-01T00:00:00+01:00",
    "1899-12-31T23:30:00-01:00",  # 1900 in UTC, but 1899 as written
    "9001-01-01T00:00:00+00:00",
]


@pytest.mark.parametrize("value", [*OUT_OF_RANGE, "9999-12-31", "1899-12-31", "0001-01-01"])
def test_a_due_date_outside_the_supported_years_is_422(
    http: httpx.Client, ada: Person, value: str
) -> None:
    response = _send(http, ada, "POST", "/tasks", {"title": "far", "dueDate": value})
    _assert_422(response, "body.dueDate", RANGE_MESSAGE)


@pytest.mark.parametrize("value", OUT_OF_RANGE)
def test_a_reminder_outside_the_supported_years_is_422(
    http: httpx.Client, ada: Person, value: str
) -> None:
    response = _send(http, ada, "POST", "/tasks", {"title": "far", "remindAt": value})
    _assert_422(response, "body.remindAt", RANGE_MESSAGE)
    task = make_task(http, ada)
    response = _send(http, ada, "PATCH", f"/tasks/{task['id']}", {"remindAt": value})
    _assert_422(response, "body.remindAt", RANGE_MESSAGE)


EDGES = [
    "9000-12-31T23:59:59Z",
    "1900-01-01T00:00:00Z",
    "9000-12-31",
    "1900-01-01",
    "9000-12-31T23:00:00-05:00",  # 9000 as written, 9001 in UTC
    "1900-01-01T00:30:00+01:00",  # 1900 as written, 1899 in UTC
]


def test_the_ends_of_the_supported_range_are_accepted_and_page(
    http: httpx.Client, ada: Person
) -> None:
    word = marker()
    for value in EDGES:
        body = {"title": f"{word} edge", "dueDate": value, "remindAt": value.replace("-05:00", "Z")}
        if len(value) == 10:
            body["remindAt"] = value + "T00:00:00Z"
        response = _send(http, ada, "POST", "/tasks", body)
        assert response.status_code == 201, response.text
        assert response.json()["dueDate"] == value
    for sort in ("dueDate", "-dueDate"):
        seen, params = 0, {"q": word, "sort": sort, "limit": 1}
        while True:
            page = http.get(ada.url("/tasks"), headers=ada.headers, params=params)
            assert page.status_code == 200, page.text
            seen += len(page.json()["items"])
            if page.json()["nextCursor"] is None:
                break
            params["cursor"] = page.json()["nextCursor"]
        assert seen == len(EDGES)


@pytest.mark.parametrize("name", ["updatedSince", "dueBefore", "dueAfter"])
@pytest.mark.parametrize("value", [*OUT_OF_RANGE, "9999-12-31"])
def test_list_instants_outside_the_supported_years_are_422(
    http: httpx.Client, ada: Person, name: str, value: str
) -> None:
    if name == "updatedSince" and len(value) == 10:
        value += "T00:00:00Z"
    response = http.get(ada.url("/tasks"), headers=ada.headers, params={name: value})
    _assert_422(response, f"query.{name}", RANGE_MESSAGE)


@pytest.mark.parametrize("timezone", ["Pacific/Kiritimati", "Etc/GMT+12"])
@pytest.mark.parametrize("value", ["9000-12-31", "1900-01-01", "9000-12-31T23:59:59Z"])
def test_range_ends_in_any_caller_zone_are_answered(
    http: httpx.Client, ada: Person, timezone: str, value: str
) -> None:
    for name in ("dueBefore", "dueAfter"):
        params = {name: value, "timezone": timezone}
        response = http.get(ada.url("/tasks"), headers=ada.headers, params=params)
        assert response.status_code == 200, response.text
    for due in ("today", "week", "overdue"):
        params = {"due": due, "timezone": timezone}
        assert http.get(ada.url("/tasks"), headers=ada.headers, params=params).status_code == 200


@pytest.mark.parametrize("value", OUT_OF_RANGE)
def test_reminders_before_outside_the_supported_years_is_422(
    http: httpx.Client, ada: Person, value: str
) -> None:
    response = http.get(ada.url("/reminders"), headers=ada.headers, params={"before": value})
    _assert_422(response, "query.before", RANGE_MESSAGE)


@pytest.mark.parametrize("value", [1700000000, 1700000000.5, "1700000000", True, [2026], {}])
def test_numbers_are_not_date_times(http: httpx.Client, ada: Person, value: Any) -> None:
    _assert_422(
        _send(http, ada, "POST", "/tasks", {"title": "x", "dueDate": value}), "body.dueDate"
    )
    _assert_422(
        _send(http, ada, "POST", "/tasks", {"title": "x", "remindAt": value}), "body.remindAt"
    )


@pytest.mark.parametrize("name", ["updatedSince", "dueBefore"])
def test_numbers_are_not_date_times_in_queries(http: httpx.Client, ada: Person, name: str) -> None:
    response = http.get(ada.url("/tasks"), headers=ada.headers, params={name: "1700000000"})
    _assert_422(response, f"query.{name}")
    response = http.get(ada.url("/reminders"), headers=ada.headers, params={"before": "1700000000"})
    _assert_422(response, "query.before")


@pytest.mark.parametrize("value", [0, 1, "yes", "true", None])
def test_only_json_booleans_are_booleans(http: httpx.Client, ada: Person, value: Any) -> None:
    response = _send(http, ada, "POST", "/tasks", {"title": "x", "completed": value})
    _assert_422(response, "body.completed")
    task = make_task(http, ada)
    response = _send(http, ada, "PATCH", f"/tasks/{task['id']}/complete", {"completed": value})
    if value is None:
        assert response.status_code == 200  # null asks for a toggle, as documented
    else:
        _assert_422(response, "body.completed")


@pytest.mark.parametrize("value", ["5", 5.0, True])
def test_only_json_integers_are_ids(http: httpx.Client, ada: Person, value: Any) -> None:
    response = _send(http, ada, "POST", "/tasks", {"title": "x", "categoryId": value})
    _assert_422(response, "body.categoryId")


@pytest.mark.parametrize("value", ["yes", "1", "0", "True", ""])
def test_include_deleted_takes_true_or_false(http: httpx.Client, ada: Person, value: str) -> None:
    response = http.get(ada.url("/tasks"), headers=ada.headers, params={"includeDeleted": value})
    _assert_422(response, "query.includeDeleted", "Expected true or false.")
    for good in ("true", "false"):
        params = {"includeDeleted": good}
        assert http.get(ada.url("/tasks"), headers=ada.headers, params=params).status_code == 200


@pytest.mark.parametrize(
    ("due", "recurrence"),
    [
        ("9000-12-31", {"frequency": "yearly"}),
        ("9000-12-31", {"frequency": "daily"}),
        ("9000-06-30", {"frequency": "monthly", "interval": 1000}),
        ("9000-12-31T12:00:00+00:00", {"frequency": "weekly"}),
        ("9000-12-31T23:30:00-12:00", {"frequency": "daily"}),
    ],
)
def test_a_series_that_would_leave_the_supported_years_ends(
    http: httpx.Client, ada: Person, due: str, recurrence: dict[str, Any]
) -> None:
    task = make_task(http, ada, dueDate=due, recurrence=recurrence, remindAt="1900-01-01T00:00:00Z")
    response = http.patch(ada.url(f"/tasks/{task['id']}/complete"), headers=ada.headers)
    assert response.status_code == 200, response.text
    assert response.json()["completed"] is True
    assert response.json()["nextTaskId"] is None


def test_bulk_actions_including_a_task_at_the_end_of_time_work(
    http: httpx.Client, ada: Person
) -> None:
    last = make_task(http, ada, dueDate="9000-12-31", recurrence={"frequency": "yearly"})
    ordinary = make_task(http, ada, dueDate="2026-12-01", recurrence={"frequency": "yearly"})
    ids = [last["id"], ordinary["id"]]
    for action in ("complete", "uncomplete", "complete"):
        response = http.post(
            ada.url("/tasks/bulk"), headers=ada.headers, json={"action": action, "ids": ids}
        )
        assert response.status_code == 200, response.text
    created = response.json()["created"]
    assert created == []  # the ordinary one already spawned its successor the first time
    first = http.post(
        ada.url("/tasks/bulk"),
        headers=ada.headers,
        json={"action": "complete", "ids": [make_task(http, ada)["id"], last["id"]]},
    )
    assert first.status_code == 200


def test_a_reminder_that_would_leave_the_range_is_dropped_from_the_next_occurrence(
    http: httpx.Client, ada: Person
) -> None:
    task = make_task(
        http,
        ada,
        dueDate="1900-01-01T00:00:00Z",
        remindAt="9000-12-31T00:00:00Z",
        recurrence={"frequency": "daily"},
    )
    done = http.patch(ada.url(f"/tasks/{task['id']}/complete"), headers=ada.headers)
    assert done.status_code == 200, done.text
    following = http.get(ada.url(f"/tasks/{done.json()['nextTaskId']}"), headers=ada.headers)
    assert following.json()["dueDate"] == "1900-01-02T00:00:00Z"
    assert following.json()["remindAt"] is None


def test_a_stored_task_beyond_the_range_can_still_be_completed(
    http: httpx.Client, ada: Person
) -> None:
    """A task stored before the range was enforced (due 9999-12-31, yearly) completes."""
    from datetime import UTC, datetime

    from sqlalchemy import update

    from shared.database import session_scope
    from shared.models import Task

    task = make_task(http, ada, dueDate="2026-12-31", recurrence={"frequency": "yearly"})

    async def push_to_the_end() -> None:
        async with session_scope() as db:
            await db.execute(
                update(Task)
                .where(Task.id == task["id"])
                .values(due_date=datetime(9999, 12, 31, tzinfo=UTC))
            )

    run_db(push_to_the_end)
    response = http.post(
        ada.url("/tasks/bulk"),
        headers=ada.headers,
        json={"action": "complete", "ids": [task["id"]]},
    )
    assert response.status_code == 200, response.text
    assert response.json()["created"] == []
    again = http.patch(ada.url(f"/tasks/{task['id']}/complete"), headers=ada.headers)
    assert again.status_code == 200 and again.json()["completed"] is False


def test_patch_documented_non_nullable_fields_refuse_null(http: httpx.Client, ada: Person) -> None:
    task = make_task(http, ada)
    for name in ("title", "completed", "priority", "tags"):
        response = _send(http, ada, "PATCH", f"/tasks/{task['id']}", {name: None})
        assert response.status_code == 422, response.text
        assert response.json()["error"]["details"][0]["message"] == f"{name} cannot be null"

"""Keyset pagination of tasks and conversations: every sort pages completely, and a crafted
cursor (wrong types, out of range, another list's or sort's, unstorable text) is a 422
`invalid_cursor`, never a 500."""

from __future__ import annotations

import base64
import json
from typing import Any

import httpx
import pytest
from conftest import Person
from tasks_support import make_task, marker

TASK_SORTS = ["createdAt", "dueDate", "priority", "title", "updatedAt"]


def _cursor(payload: Any) -> str:
    raw = payload if isinstance(payload, str) else json.dumps(payload)
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _assert_invalid_cursor(response: httpx.Response) -> None:
    assert response.status_code == 422, response.text
    assert response.json() == {
        "error": {
            "code": "invalid_cursor",
            "message": "The cursor is not one this list issued for this sort order.",
            "details": [
                {
                    "field": "query.cursor",
                    "path": ["query", "cursor"],
                    "message": "Not a cursor from this list and sort order.",
                }
            ],
        }
    }


@pytest.mark.parametrize("sort", [*TASK_SORTS, *(f"-{s}" for s in TASK_SORTS)])
def test_every_task_sort_pages_through_every_task_once(
    http: httpx.Client, ada: Person, sort: str
) -> None:
    word = marker()
    made = {
        make_task(http, ada, f"{word} {i}", priority=p, **({"dueDate": d} if d else {}))["id"]
        for i, (p, d) in enumerate(
            [("low", None), ("high", "2026-12-01"), ("high", None), ("medium", "2026-12-01")]
        )
    }
    seen: list[int] = []
    params: dict[str, Any] = {"q": word, "sort": sort, "limit": 1}
    while True:
        response = http.get(ada.url("/tasks"), headers=ada.headers, params=params)
        assert response.status_code == 200, response.text
        page = response.json()
        seen += [item["id"] for item in page["items"]]
        if page["nextCursor"] is None:
            break
        params["cursor"] = page["nextCursor"]
    assert sorted(seen) == sorted(made)


@pytest.mark.parametrize(
    "payload",
    [
        {"s": "tasks:-createdAt", "v": ["2026-11-22T02:55:00+00:00", 10**30]},
        {"s": "tasks:-createdAt", "v": ["2026-11-22T02:55:00+00:00", True]},
        {"s": "tasks:-createdAt", "v": ["2026-11-22T02:55:00+00:00", 0]},
        {"s": "tasks:-createdAt", "v": ["2026-11-22T02:55:00+00:00", 1.5]},
        {"s": "tasks:-createdAt", "v": ["2026-11-22T02:55:00", 1]},
        {"s": "tasks:-createdAt", "v": ["9999-12-31T23:59:59-01:00", 1]},
        {"s": "tasks:-createdAt", "v": ["0001-01-01T00:00:00+01:00", 1]},
        {"s": "tasks:-createdAt", "v": ["yesterday", 1]},
        {"s": "tasks:-createdAt", "v": [None, 1]},
        {"s": "tasks:-createdAt", "v": [1700000000, 1]},
        {"s": "tasks:-createdAt", "v": ["2026-11-22T02:55:00+00:00"]},
        {"s": "tasks:-createdAt", "v": ["2026-11-22T02:55:00+00:00", 1, 2]},
        {"s": "tasks:-createdAt", "v": {"a": 1}},
        {"s": "tasks:-createdAt", "v": ["2026-11-22T02:55:00+00:00", 1], "x": 1},
        {"s": "tasks:title", "v": ["a", 1]},
        {"s": "conversations:-updatedAt", "v": ["2026-11-22T02:55:00+00:00", 1]},
        ["tasks:-createdAt"],
        "null",
        '{"s": "tasks:-createdAt", "v": ["2026-11-22T02:55:00+00:00", Infinity]}',
        '{"s": "tasks:-createdAt", "v": ["2026-11-22T02:55:00+00:00", NaN]}',
        "not json",
    ],
)
def test_crafted_task_cursors_are_invalid_cursor(
    http: httpx.Client, ada: Person, payload: Any
) -> None:
    response = http.get(ada.url("/tasks"), headers=ada.headers, params={"cursor": _cursor(payload)})
    _assert_invalid_cursor(response)


@pytest.mark.parametrize(
    ("sort", "values"),
    [
        ("title", ["a\u0000b", 1]),
        ("title", ["\ud800", 1]),
        ("title", [1, 1]),
        ("priority", [10**30, 1]),
        ("priority", [4, 1]),
        ("priority", [-1, 1]),
        ("dueDate", [2, None, 1]),
        ("dueDate", [True, None, 1]),
        ("dueDate", [0, "+275760-09-13T00:00:00+00:00", 1]),
        ("-dueDate", [0, "2026-12-01T00:00:00", 1]),
    ],
)
def test_cursor_values_are_checked_against_their_sort(
    http: httpx.Client, ada: Person, sort: str, values: list[Any]
) -> None:
    cursor = _cursor({"s": f"tasks:{sort}", "v": values})
    response = http.get(
        ada.url("/tasks"), headers=ada.headers, params={"sort": sort, "cursor": cursor}
    )
    _assert_invalid_cursor(response)


def test_non_ascii_and_overlong_cursors_are_invalid_cursor(http: httpx.Client, ada: Person) -> None:
    for cursor in ["caf\u00e9", "\u0000", "A" * 500]:
        response = http.get(ada.url("/tasks"), headers=ada.headers, params={"cursor": cursor})
        _assert_invalid_cursor(response)


def test_a_hand_made_cursor_of_the_right_shape_is_accepted(http: httpx.Client, ada: Person) -> None:
    # The validation refuses what the list could not have issued, not well-formed positions.
    cursor = _cursor({"s": "tasks:title", "v": ["\u00e9t\u00e9", 2_147_483_647]})
    response = http.get(
        ada.url("/tasks"), headers=ada.headers, params={"sort": "title", "cursor": cursor}
    )
    assert response.status_code == 200, response.text


@pytest.mark.parametrize(
    "values",
    [
        ["2026-11-22T02:55:00+00:00", "Infinity"],
        ["2026-11-22T02:55:00+00:00", 10**30],
        ["2026-11-22T02:55:00+00:00", True],
        ["2026-11-22T02:55:00", 1],
        ["9999-12-31T23:59:59-01:00", 1],
    ],
)
def test_crafted_conversation_cursors_are_invalid_cursor(
    http: httpx.Client, ada: Person, values: list[Any]
) -> None:
    cursor = _cursor({"s": "conversations:-updatedAt", "v": values})
    response = http.get(ada.url("/conversations"), headers=ada.headers, params={"cursor": cursor})
    _assert_invalid_cursor(response)
    infinity = _cursor('{"s": "conversations:-updatedAt", "v": ["2026-11-22T02:55:00Z", Infinity]}')
    response = http.get(ada.url("/conversations"), headers=ada.headers, params={"cursor": infinity})
    _assert_invalid_cursor(response)


def test_a_task_cursor_is_not_a_conversation_cursor(http: httpx.Client, ada: Person) -> None:
    for i in range(2):
        make_task(http, ada, f"{marker()} {i}")
    page = http.get(
        ada.url("/tasks"), headers=ada.headers, params={"limit": 1, "sort": "-updatedAt"}
    ).json()
    response = http.get(
        ada.url("/conversations"), headers=ada.headers, params={"cursor": page["nextCursor"]}
    )
    _assert_invalid_cursor(response)

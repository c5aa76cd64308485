"""Helpers shared by the test_tasks_* files: make tasks over HTTP, unique markers."""

from __future__ import annotations

import uuid
from typing import Any

import httpx


def marker() -> str:
    """A word no other test uses, for titles and `q=` filters."""
    return "m" + uuid.uuid4().hex[:12]


def make_task(http: httpx.Client, person: Any, title: str | None = None, **fields: Any) -> dict:
    """Create a task for `person` (fields in wire camelCase) and return its JSON."""
    response = http.post(
        person.url("/tasks"), headers=person.headers, json={"title": title or marker(), **fields}
    )
    assert response.status_code == 201, response.text
    return response.json()


def task_ids(response: httpx.Response) -> list[int]:
    """The ids of a task page's items, in order."""
    assert response.status_code == 200, response.text
    return [item["id"] for item in response.json()["items"]]

"""A request with thousands of problems gets a small 422: the first 20 and a count."""

from __future__ import annotations

import json

import httpx
from conftest import Person


def test_a_body_of_100000_unknown_keys_is_a_small_422(http: httpx.Client, ada: Person) -> None:
    body = json.dumps(
        {"title": "x", **{f"{i:x}": 0 for i in range(100_000)}}, separators=(",", ":")
    ).encode()
    assert len(body) < 1_048_576
    response = http.post(
        ada.url("/tasks"),
        content=body,
        headers={**ada.headers, "Content-Type": "application/json"},
    )
    assert response.status_code == 422
    assert len(response.content) < 4_000
    details = response.json()["error"]["details"]
    assert len(details) == 21
    assert details[0] == {"field": "body.0", "path": ["body", "0"], "message": "Unknown field."}
    assert details[-1] == {"message": "And 99980 more problems like these."}


def test_thousands_of_unknown_query_parameters_are_a_small_422(
    http: httpx.Client, ada: Person
) -> None:
    query = "&".join(f"p{i}=1" for i in range(8_000))
    response = http.get(ada.url(f"/tasks?{query}"), headers=ada.headers)
    assert response.status_code == 422
    details = response.json()["error"]["details"]
    assert len(details) == 21 and details[-1] == {"message": "And 7980 more problems like these."}


def test_thousands_of_repeated_query_parameters_are_a_small_422(
    http: httpx.Client, ada: Person
) -> None:
    query = "&".join(f"p{i}=1&p{i}=2" for i in range(3_000))
    response = http.get(ada.url(f"/tasks?{query}"), headers=ada.headers)
    assert response.status_code == 422
    details = response.json()["error"]["details"]
    assert details[0]["message"] == "Give this parameter once."
    assert len(details) == 21 and details[-1] == {"message": "And 2980 more problems like these."}
    listed = http.get(ada.url("/tasks?tag=a&tag=b&limit=1"), headers=ada.headers)
    assert listed.status_code == 200

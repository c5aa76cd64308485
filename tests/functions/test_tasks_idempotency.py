"""Idempotency-Key: a retried POST returns the first response and creates nothing new."""

from __future__ import annotations

import json
import threading
import uuid
from datetime import timedelta

import httpx
from conftest import FROZEN_NOW, lambda_event
from tasks_support import marker

from shared import clock


def _key() -> str:
    return f"key-{uuid.uuid4()}"


def _count(http: httpx.Client, person, word: str) -> int:
    response = http.get(person.url("/tasks"), headers=person.headers, params={"q": word})
    return len(response.json()["items"])


def test_a_retry_returns_the_first_response_and_creates_nothing(http: httpx.Client, ada) -> None:
    word = marker()
    headers = {**ada.headers, "Idempotency-Key": _key()}
    body = {"title": word, "tags": ["a"]}
    first = http.post(ada.url("/tasks"), headers=headers, json=body)
    assert first.status_code == 201
    assert "Idempotent-Replayed" not in first.headers
    retry = http.post(ada.url("/tasks"), headers=headers, json=body)
    assert retry.status_code == 201
    assert retry.json() == first.json()
    assert retry.headers["Location"] == first.headers["Location"]
    assert retry.headers["ETag"] == first.headers["ETag"]
    assert retry.headers["Idempotent-Replayed"] == "true"
    assert _count(http, ada, word) == 1


def test_the_same_key_with_another_body_is_422(http: httpx.Client, ada) -> None:
    headers = {**ada.headers, "Idempotency-Key": _key()}
    assert http.post(ada.url("/tasks"), headers=headers, json={"title": "a"}).status_code == 201
    reused = http.post(ada.url("/tasks"), headers=headers, json={"title": "b"})
    assert reused.status_code == 422
    assert reused.json()["error"]["code"] == "idempotency_key_reused"
    elsewhere = http.post(ada.url("/categories"), headers=headers, json={"name": "a"})
    assert elsewhere.status_code == 422


def test_keys_are_per_person(http: httpx.Client, ada, grace) -> None:
    key, word = _key(), marker()
    mine = http.post(
        ada.url("/tasks"), headers={**ada.headers, "Idempotency-Key": key}, json={"title": word}
    )
    theirs = http.post(
        grace.url("/tasks"), headers={**grace.headers, "Idempotency-Key": key}, json={"title": word}
    )
    assert (mine.status_code, theirs.status_code) == (201, 201)
    assert mine.json()["id"] != theirs.json()["id"]
    assert theirs.json()["userId"] == grace.id


def test_concurrent_requests_with_one_key_create_one_task(
    http: httpx.Client, ada, live_server
) -> None:
    word = marker()
    headers = {**ada.headers, "Idempotency-Key": _key()}
    barrier = threading.Barrier(8)
    results: list[httpx.Response | None] = [None] * 8

    def send(index: int) -> None:
        with httpx.Client(base_url=live_server.url, timeout=30) as client:
            barrier.wait()
            results[index] = client.post(ada.url("/tasks"), headers=headers, json={"title": word})

    threads = [threading.Thread(target=send, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert all(r is not None and r.status_code == 201 for r in results), results
    assert len({r.json()["id"] for r in results if r is not None}) == 1
    assert _count(http, ada, word) == 1


def test_keys_expire_after_a_day(http: httpx.Client, ada) -> None:
    word = marker()
    headers = {**ada.headers, "Idempotency-Key": _key()}
    first = http.post(ada.url("/tasks"), headers=headers, json={"title": word})
    clock.freeze(FROZEN_NOW + timedelta(hours=23))
    assert (
        http.post(ada.url("/tasks"), headers=headers, json={"title": word}).json() == first.json()
    )
    clock.freeze(FROZEN_NOW + timedelta(hours=25))
    later = http.post(ada.url("/tasks"), headers=headers, json={"title": word})
    assert later.status_code == 201
    assert later.json()["id"] != first.json()["id"]
    assert "Idempotent-Replayed" not in later.headers
    assert _count(http, ada, word) == 2


def test_a_failed_request_does_not_use_up_its_key(http: httpx.Client, ada) -> None:
    headers = {**ada.headers, "Idempotency-Key": _key()}
    failed = http.post(
        ada.url("/tasks"), headers=headers, json={"title": "t", "categoryId": 2_000_000_000}
    )
    assert failed.status_code == 422
    assert http.post(ada.url("/tasks"), headers=headers, json={"title": "t"}).status_code == 201


def test_bad_keys_are_422(http: httpx.Client, ada) -> None:
    for key in ("", "k" * 256, "tab\there"):
        response = http.post(
            ada.url("/tasks"), headers={**ada.headers, "Idempotency-Key": key}, json={"title": "t"}
        )
        assert response.status_code == 422, key
        assert response.json()["error"]["details"][0]["field"] == "header.Idempotency-Key"


def test_categories_and_bulk_honour_keys(http: httpx.Client, ada) -> None:
    word = marker()
    headers = {**ada.headers, "Idempotency-Key": _key()}
    first = http.post(ada.url("/categories"), headers=headers, json={"name": word})
    retry = http.post(ada.url("/categories"), headers=headers, json={"name": word})
    assert (first.status_code, retry.status_code) == (201, 201)
    assert retry.json() == first.json()
    assert retry.headers["Location"] == first.headers["Location"]

    task = http.post(
        ada.url("/tasks"),
        headers=ada.headers,
        json={"title": word, "dueDate": "2026-03-05", "recurrence": {"frequency": "daily"}},
    ).json()
    bulk_headers = {**ada.headers, "Idempotency-Key": _key()}
    bulk = {"action": "complete", "ids": [task["id"]]}
    once = http.post(ada.url("/tasks/bulk"), headers=bulk_headers, json=bulk)
    twice = http.post(ada.url("/tasks/bulk"), headers=bulk_headers, json=bulk)
    assert once.status_code == twice.status_code == 200
    assert twice.json() == once.json()
    assert _count(http, ada, word) == 2


def test_keys_survive_a_restart(http: httpx.Client, ada, lambda_context) -> None:
    """A fresh app (here the task function's own Lambda) replays a key the server stored."""
    from functions import tasks

    word = marker()
    key = _key()
    first = http.post(
        ada.url("/tasks"), headers={**ada.headers, "Idempotency-Key": key}, json={"title": word}
    )
    event = lambda_event(
        "POST",
        "/api/me/tasks",
        headers={**ada.headers, "Idempotency-Key": key},
        body={"title": word},
    )
    result = tasks.handler(event, lambda_context)
    assert result["statusCode"] == 201
    assert json.loads(result["body"]) == first.json()
    assert result["headers"]["location"] == first.headers["Location"]
    assert _count(http, ada, word) == 1

"""Every function's Lambda handler, driven by recorded API Gateway HTTP API v2 events."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from conftest import lambda_event

from functions import categories, chat, health, me, tasks

EVENTS = Path(__file__).resolve().parents[1] / "events"


def _recorded(name: str) -> dict[str, Any]:
    return json.loads((EVENTS / name).read_text())


def _invoke(handler: Any, event: dict[str, Any], context: Any) -> tuple[int, dict[str, str], Any]:
    result = handler(event, context)
    body = json.loads(result["body"]) if result.get("body") else None
    return result["statusCode"], result["headers"], body


def test_health(lambda_context) -> None:
    status, headers, body = _invoke(health.handler, _recorded("health_get.json"), lambda_context)
    assert status == 200
    assert body == {"status": "ok", "database": "ok"}
    assert headers["x-request-id"]


def test_me_by_bearer_cookie_and_anonymous(ada, lambda_context) -> None:
    for name in ("me_get_bearer.json", "me_get_cookie.json"):
        status, _, body = _invoke(me.handler, _recorded(name), lambda_context)
        assert status == 200, name
        assert body["id"] == ada.id
    status, headers, body = _invoke(me.handler, _recorded("me_get_anonymous.json"), lambda_context)
    assert status == 401
    assert headers["www-authenticate"] == "Bearer"
    assert body["error"]["code"] == "unauthorized"


def test_task_lifecycle_through_the_handler(ada, grace, lambda_context) -> None:
    status, headers, created = _invoke(
        tasks.handler, _recorded("tasks_create.json"), lambda_context
    )
    assert status == 201
    assert created["title"] == "Pay rent" and created["priority"] == "high"
    assert headers["location"] == f"/api/{ada.id}/tasks/{created['id']}"

    status, _, encoded = _invoke(
        tasks.handler, _recorded("tasks_create_base64.json"), lambda_context
    )
    assert status == 201 and encoded["title"] == "Encoded body"

    status, _, page = _invoke(tasks.handler, _recorded("tasks_list_pending.json"), lambda_context)
    assert status == 200
    assert created["id"] in {t["id"] for t in page["items"]}
    assert all(t["userId"] == ada.id and not t["completed"] for t in page["items"])

    item = f"/api/{ada.id}/tasks/{created['id']}"
    status, _, done = _invoke(
        tasks.handler,
        lambda_event("PATCH", item + "/complete", headers=ada.headers),
        lambda_context,
    )
    assert status == 200 and done["completed"] is True
    status, _, patched = _invoke(
        tasks.handler,
        lambda_event("PATCH", item, headers=ada.headers, body={"title": "Pay the rent"}),
        lambda_context,
    )
    assert status == 200 and patched["title"] == "Pay the rent"
    status, _, replaced = _invoke(
        tasks.handler,
        lambda_event("PUT", item, headers=ada.headers, body={"title": "Rent"}),
        lambda_context,
    )
    assert status == 200 and replaced["priority"] == "medium"

    # Grace reaches neither Ada's URL (403) nor, under her own URL, Ada's task (404).
    status, _, body = _invoke(
        tasks.handler, lambda_event("GET", item, headers=grace.headers), lambda_context
    )
    assert status == 403 and body["error"]["code"] == "forbidden"
    foreign = f"/api/{grace.id}/tasks/{created['id']}"
    status, _, body = _invoke(
        tasks.handler, lambda_event("GET", foreign, headers=grace.headers), lambda_context
    )
    assert status == 404 and body["error"]["code"] == "not_found"

    result = tasks.handler(lambda_event("DELETE", item, headers=ada.headers), lambda_context)
    assert result["statusCode"] == 204
    status, _, _ = _invoke(
        tasks.handler, lambda_event("GET", item, headers=ada.headers), lambda_context
    )
    assert status == 404


def test_bad_requests_through_the_handler(ada, lambda_context) -> None:
    url = f"/api/{ada.id}/tasks"
    status, _, body = _invoke(
        tasks.handler,
        lambda_event("POST", url, headers=ada.headers, body="{broken"),
        lambda_context,
    )
    assert status == 400 and body["error"]["code"] == "bad_request"
    status, _, body = _invoke(
        tasks.handler,
        lambda_event("POST", url, headers=ada.headers, body={"title": ""}),
        lambda_context,
    )
    assert status == 422 and body["error"]["details"][0]["field"] == "body.title"
    status, headers, body = _invoke(
        tasks.handler, lambda_event("PUT", url, headers=ada.headers, body={}), lambda_context
    )
    assert status == 405 and body["error"]["code"] == "method_not_allowed"
    # A function's handler serves only its own routes.
    status, _, body = _invoke(tasks.handler, lambda_event("GET", "/api/me"), lambda_context)
    assert status == 404 and body["error"]["code"] == "not_found"


def test_categories(ada, lambda_context) -> None:
    status, _, created = _invoke(
        categories.handler, _recorded("categories_create.json"), lambda_context
    )
    assert status == 201 and created["color"] == "#336699"
    status, _, listed = _invoke(
        categories.handler, _recorded("categories_list.json"), lambda_context
    )
    assert status == 200
    assert "Lambda errands" in {c["name"] for c in listed["items"]}
    status, _, again = _invoke(
        categories.handler, _recorded("categories_create.json"), lambda_context
    )
    assert status == 409 and again["error"]["code"] == "conflict"


def test_category_items_through_the_handler(ada, grace, lambda_context) -> None:
    status, _, created = _invoke(
        categories.handler,
        lambda_event(
            "POST", "/api/me/categories", headers=ada.headers, body={"name": "Lambda item"}
        ),
        lambda_context,
    )
    assert status == 201
    item = f"/api/me/categories/{created['id']}"
    status, _, got = _invoke(
        categories.handler, lambda_event("GET", item, headers=ada.headers), lambda_context
    )
    assert status == 200 and got == created
    status, _, patched = _invoke(
        categories.handler,
        lambda_event("PATCH", item, headers=ada.headers, body={"color": "#112233"}),
        lambda_context,
    )
    assert status == 200 and patched["color"] == "#112233" and patched["name"] == "Lambda item"
    status, _, replaced = _invoke(
        categories.handler,
        lambda_event("PUT", item, headers=ada.headers, body={"name": "Lambda renamed"}),
        lambda_context,
    )
    assert status == 200 and replaced["name"] == "Lambda renamed" and replaced["color"] is None
    status, _, body = _invoke(
        categories.handler, lambda_event("GET", item, headers=grace.headers), lambda_context
    )
    assert status == 404 and body["error"]["code"] == "not_found"
    assert (
        categories.handler(lambda_event("DELETE", item, headers=ada.headers), lambda_context)[
            "statusCode"
        ]
        == 204
    )
    status, _, _ = _invoke(
        categories.handler, lambda_event("GET", item, headers=ada.headers), lambda_context
    )
    assert status == 404


def test_conversations_through_the_handler(ada, grace, lambda_context) -> None:
    status, _, reply = _invoke(
        chat.handler,
        lambda_event(
            "POST", "/api/me/chat", headers=ada.headers, body={"message": "add water the ferns"}
        ),
        lambda_context,
    )
    assert status == 200 and reply["toolCalls"][0]["tool"] == "add_task"
    item = f"/api/me/conversations/{reply['conversationId']}"
    status, _, conversation = _invoke(
        chat.handler, lambda_event("GET", item, headers=ada.headers), lambda_context
    )
    assert status == 200
    assert [m["role"] for m in conversation["messages"]] == ["user", "assistant"]
    status, _, _ = _invoke(
        chat.handler, lambda_event("GET", item, headers=grace.headers), lambda_context
    )
    assert status == 404
    assert (
        chat.handler(lambda_event("DELETE", item, headers=ada.headers), lambda_context)[
            "statusCode"
        ]
        == 204
    )
    status, _, _ = _invoke(
        chat.handler, lambda_event("GET", item, headers=ada.headers), lambda_context
    )
    assert status == 404

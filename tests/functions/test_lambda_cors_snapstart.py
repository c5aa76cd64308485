"""Lambda specifics: CORS preflights answered by the app, and the SnapStart hooks.

API Gateway sends every OPTIONS request to the health function (serverless.yml), so its handler
must answer a browser's preflight for any route exactly as the container does.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import snapshot_restore_py
from conftest import DASHBOARD_ORIGIN

from functions import health, me
from shared import database

EVENTS = Path(__file__).resolve().parents[1] / "events"


def _preflight(origin: str) -> dict[str, Any]:
    event: dict[str, Any] = json.loads((EVENTS / "preflight_tasks_create.json").read_text())
    event["headers"]["origin"] = origin
    return event


def test_the_health_function_answers_a_preflight_for_any_route(lambda_context) -> None:
    result = health.handler(_preflight(DASHBOARD_ORIGIN), lambda_context)
    assert result["statusCode"] == 200
    headers = result["headers"]
    assert headers["access-control-allow-origin"] == DASHBOARD_ORIGIN
    assert headers["access-control-allow-credentials"] == "true"
    assert "POST" in headers["access-control-allow-methods"]
    allowed = {h.strip().lower() for h in headers["access-control-allow-headers"].split(",")}
    assert {"authorization", "content-type", "idempotency-key"} <= allowed
    assert headers["x-request-id"]


def test_a_preflight_from_another_origin_is_refused(lambda_context) -> None:
    result = health.handler(_preflight("https://evil.example"), lambda_context)
    assert result["statusCode"] == 400
    assert "access-control-allow-origin" not in result["headers"]
    assert json.loads(result["body"])["error"]["code"] == "bad_request"


def test_snapstart_hooks_close_connections_and_the_next_request_reconnects(
    lambda_context, ada
) -> None:
    event = json.loads((EVENTS / "me_get_bearer.json").read_text())
    assert me.handler(event, lambda_context)["statusCode"] == 200
    loop = asyncio.get_event_loop_policy().get_event_loop()
    assert loop in database._engines

    # What the runtime does before taking the snapshot, then after restoring it.
    runtime_hooks = (
        snapshot_restore_py.get_before_snapshot(),
        snapshot_restore_py.get_after_restore(),
    )
    for hooks in runtime_hooks:
        for hook, args, kwargs in hooks:
            hook(*args, **kwargs)
        assert loop not in database._engines

    assert me.handler(event, lambda_context)["statusCode"] == 200
    assert loop in database._engines

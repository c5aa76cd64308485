"""The OpenAPI document describes the task features: routes, headers and models."""

from __future__ import annotations

import httpx


def test_task_features_are_documented(http: httpx.Client) -> None:
    document = http.get("/openapi.json").json()
    paths = document["paths"]
    for path, method in [
        ("/api/{userId}/tasks/bulk", "post"),
        ("/api/{userId}/tasks/stats", "get"),
        ("/api/{userId}/tags", "get"),
        ("/api/{userId}/reminders", "get"),
        ("/api/{userId}/tasks/{taskId}/reminder/ack", "post"),
    ]:
        assert method in paths[path], path

    def headers(path: str, method: str) -> set[str]:
        parameters = paths[path][method]["parameters"]
        return {p["name"] for p in parameters if p["in"] == "header"}

    item = "/api/{userId}/tasks/{taskId}"
    assert headers(item, "get") == {"If-None-Match"}
    for method in ("put", "patch", "delete"):
        assert headers(item, method) == {"If-Match"}
        assert "412" in paths[item][method]["responses"]
    assert headers(item + "/complete", "patch") == {"If-Match"}
    assert "ETag" in paths[item]["get"]["responses"]["200"]["headers"]
    collection = "/api/{userId}/tasks"
    assert headers(collection, "post") == {"Idempotency-Key"}
    assert headers(collection + "/bulk", "post") == {"Idempotency-Key"}
    assert headers("/api/{userId}/categories", "post") == {"Idempotency-Key"}
    assert headers(collection, "get") == {"X-Timezone"}
    assert headers(collection + "/stats", "get") == {"X-Timezone"}

    query = {p["name"]: p for p in paths[collection]["get"]["parameters"] if p["in"] == "query"}
    assert {"tag", "due", "dueBefore", "dueAfter", "updatedSince", "includeDeleted"} <= set(query)
    assert query["tag"]["schema"]["anyOf"][0]["type"] == "array"
    task = document["components"]["schemas"]["TaskRead"]["properties"]
    for field in ("tags", "allDay", "recurrence", "remindAt", "nextTaskId", "version", "deletedAt"):
        assert field in task, field

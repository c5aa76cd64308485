"""The OpenAPI document says what the API does (the drift schemathesis found, pinned)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from conftest import Person
from tasks_support import make_task


@pytest.fixture(scope="module")
def document(http: httpx.Client) -> dict[str, Any]:
    response = http.get("/openapi.json")
    assert response.status_code == 200
    return response.json()


def _parameter(document: dict[str, Any], path: str, method: str, name: str) -> dict[str, Any]:
    parameters = document["paths"][path][method]["parameters"]
    return next(p for p in parameters if p["name"] == name)


def test_304_is_documented_and_answered(
    http: httpx.Client, ada: Person, document: dict[str, Any]
) -> None:
    responses = document["paths"]["/api/{userId}/tasks/{taskId}"]["get"]["responses"]
    assert "ETag" in responses["304"]["headers"]
    task = make_task(http, ada)
    first = http.get(ada.url(f"/tasks/{task['id']}"), headers=ada.headers)
    again = http.get(
        ada.url(f"/tasks/{task['id']}"),
        headers={**ada.headers, "If-None-Match": first.headers["etag"]},
    )
    assert again.status_code == 304 and again.content == b""


@pytest.mark.parametrize(
    ("schema", "field"),
    [("TaskPatch", "title"), ("TaskPatch", "completed"), ("TaskPatch", "priority"),
     ("TaskPatch", "tags"), ("CategoryPatch", "name")],
)  # fmt: skip
def test_fields_that_refuse_null_are_not_documented_nullable(
    document: dict[str, Any], schema: str, field: str
) -> None:
    prop = document["components"]["schemas"][schema]["properties"][field]
    assert "anyOf" not in prop and prop.get("type") != "null" and "default" not in prop


def test_idempotency_key_limits_are_in_the_schema(
    http: httpx.Client, ada: Person, document: dict[str, Any]
) -> None:
    schema = _parameter(document, "/api/{userId}/tasks", "post", "Idempotency-Key")["schema"]
    assert (schema["minLength"], schema["maxLength"]) == (1, 255)
    for key in ["", "a\tb", "x" * 256, "caf\u00e9"]:
        response = http.post(
            ada.url("/tasks"),
            headers=[*ada.headers.items(), ("Idempotency-Key", key.encode())],
            json={"title": "keyed"},
        )
        assert response.status_code == 422, (key, response.text)
        assert response.json()["error"]["details"][0]["field"] == "header.Idempotency-Key"
    ok = http.post(
        ada.url("/tasks"),
        headers={**ada.headers, "Idempotency-Key": "a b~" * 63},
        json={"title": "k"},
    )
    assert ok.status_code == 201, ok.text


def test_put_on_bulk_is_405_not_404(http: httpx.Client, ada: Person) -> None:
    for path in ("/api/me/tasks/bulk", "/api/me/tasks/stats"):
        response = http.put(path, headers=ada.headers, json={})
        assert response.status_code == 405, response.text
        assert response.json()["error"]["code"] == "method_not_allowed"
    assert http.get("/api/me/tasks/abc", headers=ada.headers).status_code == 404


def test_time_zones_are_an_enum_and_the_header_is_checked(
    http: httpx.Client, ada: Person, document: dict[str, Any]
) -> None:
    zones = document["components"]["schemas"]["TimeZone"]["enum"]
    assert "Europe/Paris" in zones and "UTC" in zones
    header = _parameter(document, "/api/{userId}/tasks", "get", "X-Timezone")
    assert header["schema"] == {"$ref": "#/components/schemas/TimeZone"}
    query = _parameter(document, "/api/{userId}/tasks", "get", "timezone")
    assert query["schema"]["anyOf"][0]["enum"] == zones
    response = http.get(
        ada.url("/tasks?timezone=UTC"), headers={**ada.headers, "X-Timezone": "Mars/Olympus"}
    )
    assert response.status_code == 422
    assert response.json()["error"]["details"][0]["field"] == "header.X-Timezone"


def test_bulk_fields_per_action_are_in_the_schema(document: dict[str, Any]) -> None:
    variants = document["components"]["schemas"]["TaskBulk"]["oneOf"]
    assert [v.get("required", []) for v in variants] == [[], ["categoryId"], ["tags"]]


def test_dates_and_instants_document_their_years(document: dict[str, Any]) -> None:
    remind = document["components"]["schemas"]["TaskCreate"]["properties"]["remindAt"]
    instant = remind["anyOf"][0]
    assert instant["format"] == "date-time" and instant["pattern"].startswith("^(19[0-9]{2}|")

"""The one error shape, request ids, and the generated OpenAPI document."""

from __future__ import annotations

import httpx
import pytest


def _shape(response: httpx.Response, status: int, code: str) -> None:
    assert response.status_code == status
    assert response.headers["content-type"].startswith("application/json")
    error = response.json()["error"]
    assert error["code"] == code and error["message"] and error["details"] == []


def test_unknown_path_is_a_json_404(http) -> None:
    _shape(http.get("/nothing/here"), 404, "not_found")


def test_wrong_method_is_a_json_405_with_allow(http, ada) -> None:
    response = http.put(ada.url("/tasks"), json={}, headers=ada.headers)
    _shape(response, 405, "method_not_allowed")
    assert "POST" in response.headers["allow"] and "GET" in response.headers["allow"]


def test_request_ids_are_echoed_or_generated(http) -> None:
    assert (
        http.get("/health", headers={"X-Request-ID": "client-abc.123"}).headers["x-request-id"]
        == "client-abc.123"
    )
    generated = http.get("/health").headers["x-request-id"]
    assert len(generated) == 32
    # Ids that could smuggle content into headers or logs are replaced, not echoed.
    assert (
        http.get("/health", headers={"X-Request-ID": "a b<script>"}).headers["x-request-id"]
        != "a b<script>"
    )
    assert http.get("/api/me").headers["x-request-id"]


@pytest.fixture(scope="module")
def openapi(http) -> dict:
    response = http.get("/openapi.json")
    assert response.status_code == 200
    return response.json()


def test_openapi_documents_every_route(openapi) -> None:
    paths = openapi["paths"]
    expected = {
        "/health": {"get"},
        "/api/me": {"get"},
        "/api/{userId}/tasks": {"get", "post"},
        "/api/{userId}/tasks/{taskId}": {"get", "put", "patch", "delete"},
        "/api/{userId}/tasks/{taskId}/complete": {"patch"},
        "/api/{userId}/categories": {"get", "post"},
        "/api/{userId}/categories/{categoryId}": {"get", "put", "patch", "delete"},
    }
    for path, methods in expected.items():
        assert methods <= set(paths[path]), path


def test_openapi_parameters_bodies_and_errors(openapi) -> None:
    listing = openapi["paths"]["/api/{userId}/tasks"]["get"]
    names = {p["name"] for p in listing["parameters"]}
    assert {"userId", "status", "priority", "categoryId", "q", "sort", "limit", "cursor"} <= names
    assert {"401", "403", "422", "500", "503"} <= set(listing["responses"])

    create = openapi["paths"]["/api/{userId}/tasks"]["post"]
    body_ref = create["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    body_schema = openapi["components"]["schemas"][body_ref.rsplit("/", 1)[1]]
    assert body_schema["required"] == ["title"]
    assert body_schema["properties"]["title"]["maxLength"] == 200
    assert {"201", "400", "413", "415", "422"} <= set(create["responses"])
    error_ref = create["responses"]["422"]["content"]["application/json"]["schema"]["$ref"]
    assert error_ref.endswith("/ErrorResponse")

    item = openapi["paths"]["/api/{userId}/tasks/{taskId}"]
    assert "404" in item["get"]["responses"]
    read_ref = item["get"]["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    read_schema = openapi["components"]["schemas"][read_ref.rsplit("/", 1)[1]]
    assert {"id", "userId", "dueDate", "createdAt", "updatedAt"} <= set(read_schema["properties"])
    assert "409" in openapi["paths"]["/api/{userId}/categories"]["post"]["responses"]
    for schema in openapi["components"]["schemas"].values():
        for name in schema.get("properties", {}):
            assert "_" not in name, name

"""OpenAPI 3.1 generated from the operations and the pydantic models they validate with."""

from __future__ import annotations

from collections.abc import Iterable
from http import HTTPStatus
from typing import Any, Literal

from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from shared import idempotency
from shared.errors import ERROR_TYPES
from shared.etags import ETAG_DESCRIPTION, IF_NONE_MATCH_HEADER
from shared.routing import Operation, public_path
from shared.schemas import ErrorResponse
from shared.timezones import (
    TIMEZONE_HEADER,
    TIMEZONE_SCHEMA_NAME,
    TIMEZONE_SCHEMA_REF,
    timezone_schema,
)

_COMMON_ERRORS = (500, 503)
_AUTH_ERRORS = (401, 403)
_ERROR_DESCRIPTIONS = {e.status_code: e.default_message for e in ERROR_TYPES}
# Request headers whose values are checked, with what they accept; any other is a string.
_HEADER_SCHEMAS: dict[str, dict[str, Any]] = {
    idempotency.HEADER: idempotency.KEY_SCHEMA,
    TIMEZONE_HEADER: TIMEZONE_SCHEMA_REF,
}


Mode = Literal["validation", "serialization"]


def _models(operations: Iterable[Operation]) -> list[tuple[type[BaseModel], Mode]]:
    """Request bodies in validation mode, responses in serialization mode, each once."""
    wanted: dict[tuple[type[BaseModel], Mode], None] = {(ErrorResponse, "serialization"): None}
    for op in operations:
        if op.body is not None:
            wanted[(op.body, "validation")] = None
        if op.response is not None:
            wanted[(op.response, "serialization")] = None
    return list(wanted)


def _query_parameters(model: type[BaseModel], schema: dict[str, Any]) -> list[dict[str, Any]]:
    properties = schema.get("properties", {})
    required = set(schema.get("required", []))
    return [
        {
            "name": name,
            "in": "query",
            "required": name in required,
            "schema": {k: v for k, v in prop.items() if k != "title"},
        }
        for name, prop in properties.items()
    ]


def _header_parameter(name: str, description: str) -> dict[str, Any]:
    return {
        "name": name,
        "in": "header",
        "required": False,
        "schema": _HEADER_SCHEMAS.get(name, {"type": "string"}),
        "description": description,
    }


def _parameters(op: Operation) -> list[dict[str, Any]]:
    """The path parameters (from the route itself), the query's, then the request headers."""
    parameters = []
    for parameter in op.path_parameters:
        documented: dict[str, Any] = {"name": parameter.public_name, "in": "path", "required": True}
        if parameter.is_owner:
            documented["schema"] = {"type": "string"}
            documented["description"] = "The signed-in person's id, or `me`."
        else:
            # Every other path parameter is an entity id (shared.binding answers 404 otherwise).
            documented["schema"] = {"type": "integer", "minimum": 1}
        parameters.append(documented)
    if op.query is not None:
        parameters += _query_parameters(op.query, op.query.model_json_schema(by_alias=True))
    headers = dict(op.request_headers)
    if op.idempotency is not None:
        headers[idempotency.HEADER] = idempotency.HEADER_DESCRIPTION
    parameters += [_header_parameter(name, text) for name, text in headers.items()]
    return parameters


def _error_codes(op: Operation) -> list[int]:
    codes = set(op.errors) | set(_COMMON_ERRORS)
    if op.authenticated:
        codes |= set(_AUTH_ERRORS)
    if op.body is not None:
        codes |= {400, 413, 415, 422}
    if op.query is not None:
        codes.add(422)
    return sorted(codes)


def _responses(op: Operation, refs: dict[Any, Any], error_ref: Any) -> dict[str, Any]:
    success: dict[str, Any] = {"description": HTTPStatus(op.status_code).phrase}
    if op.response is not None:
        success["content"] = {"application/json": {"schema": refs[(op.response, "serialization")]}}
    headers = dict(op.response_headers)
    if op.idempotency is not None:
        headers[idempotency.REPLAYED_HEADER] = idempotency.REPLAYED_DESCRIPTION
    if headers:
        success["headers"] = {
            name: {"description": text, "schema": {"type": "string"}}
            for name, text in headers.items()
        }
    responses: dict[str, Any] = {str(op.status_code): success}
    if IF_NONE_MATCH_HEADER in op.request_headers:
        responses["304"] = {
            "description": "Not Modified: If-None-Match names the current ETag (no body).",
            "headers": {"ETag": {"description": ETAG_DESCRIPTION, "schema": {"type": "string"}}},
        }
    for code in _error_codes(op):
        responses[str(code)] = {
            "description": _ERROR_DESCRIPTIONS.get(code, HTTPStatus(code).phrase),
            "content": {"application/json": {"schema": error_ref}},
        }
    responses["503"]["headers"] = {
        "Retry-After": {
            "description": "Seconds to wait before trying again.",
            "required": True,
            "schema": {"type": "integer", "minimum": 1},
        }
    }
    return responses


def build_openapi(operations: list[Operation], *, title: str, version: str) -> dict[str, Any]:
    """The OpenAPI document describing every operation, its parameters and its errors."""
    refs, defs = models_json_schema(
        _models(operations), ref_template="#/components/schemas/{model}", by_alias=True
    )
    schemas: dict[str, Any] = defs.get("$defs", {})
    schemas[TIMEZONE_SCHEMA_NAME] = timezone_schema()
    error_ref = refs[(ErrorResponse, "serialization")]
    paths: dict[str, dict[str, Any]] = {}
    for op in operations:
        operation: dict[str, Any] = {
            "operationId": op.name,
            "summary": op.summary,
            "tags": [op.tag],
            "parameters": _parameters(op),
            "responses": _responses(op, refs, error_ref),
        }
        if op.authenticated:
            operation["security"] = [{"bearer": []}, {"sessionCookie": []}]
        if op.body is not None:
            operation["requestBody"] = {
                "required": op.body_required,
                "content": {"application/json": {"schema": refs[(op.body, "validation")]}},
            }
        paths.setdefault(public_path(op.path), {})[op.method.lower()] = operation
    return {
        "openapi": "3.1.0",
        "info": {"title": title, "version": version},
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {
                "bearer": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "A Better Auth session token (signed or raw) or JWT.",
                },
                "sessionCookie": {
                    "type": "apiKey",
                    "in": "cookie",
                    "name": "better-auth.session_token",
                },
            },
        },
    }

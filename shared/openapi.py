"""OpenAPI 3.1 generated from the operations and the pydantic models they validate with."""

from __future__ import annotations

import re
from collections.abc import Iterable
from http import HTTPStatus
from typing import Any, Literal

from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from shared.errors import ERROR_TYPES
from shared.routing import Operation
from shared.schemas import ErrorResponse

_PATH_PARAM = re.compile(r"{([a-zA-Z_]+)(?::[a-z]+)?}")
# Path parameters are snake_case in the routes and camelCase in the documented API.
_PATH_PARAM_NAMES = {
    "user_id": "userId",
    "task_id": "taskId",
    "category_id": "categoryId",
    "conversation_id": "conversationId",
}
_COMMON_ERRORS = (500, 503)
_AUTH_ERRORS = (401, 403)
_ERROR_DESCRIPTIONS = {e.status_code: e.default_message for e in ERROR_TYPES}


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


def _path_of(path: str) -> tuple[str, list[dict[str, Any]]]:
    names = _PATH_PARAM.findall(path)
    documented = _PATH_PARAM.sub(lambda m: "{" + _PATH_PARAM_NAMES.get(m[1], m[1]) + "}", path)
    parameters = []
    for name in names:
        public = _PATH_PARAM_NAMES.get(name, name)
        schema: dict[str, Any] = {"type": "string"}
        description = None
        if name == "user_id":
            description = "The signed-in person's id, or `me`."
        else:
            schema = {"type": "integer", "minimum": 1}
        parameter = {"name": public, "in": "path", "required": True, "schema": schema}
        if description:
            parameter["description"] = description
        parameters.append(parameter)
    return documented, parameters


def build_openapi(operations: list[Operation], *, title: str, version: str) -> dict[str, Any]:
    """The OpenAPI document describing every operation, its parameters and its errors."""
    refs, defs = models_json_schema(
        _models(operations), ref_template="#/components/schemas/{model}", by_alias=True
    )
    schemas: dict[str, Any] = defs.get("$defs", {})
    error_ref = refs[(ErrorResponse, "serialization")]
    paths: dict[str, dict[str, Any]] = {}
    for op in operations:
        path, parameters = _path_of(op.path)
        if op.query is not None:
            query_schema = op.query.model_json_schema(by_alias=True)
            parameters += _query_parameters(op.query, query_schema)
        for header, description in op.request_headers.items():
            parameters.append(
                {
                    "name": header,
                    "in": "header",
                    "required": False,
                    "schema": {"type": "string"},
                    "description": description,
                }
            )
        success: dict[str, Any] = {"description": HTTPStatus(op.status_code).phrase}
        if op.response is not None:
            success["content"] = {
                "application/json": {"schema": refs[(op.response, "serialization")]}
            }
        if op.response_headers:
            success["headers"] = {
                name: {"description": text, "schema": {"type": "string"}}
                for name, text in op.response_headers.items()
            }
        responses: dict[str, Any] = {str(op.status_code): success}
        codes = set(op.errors) | set(_COMMON_ERRORS)
        if op.authenticated:
            codes |= set(_AUTH_ERRORS)
        if op.body is not None:
            codes |= {400, 413, 415, 422}
        if op.query is not None:
            codes.add(422)
        for code in sorted(codes):
            responses[str(code)] = {
                "description": _ERROR_DESCRIPTIONS.get(code, HTTPStatus(code).phrase),
                "content": {"application/json": {"schema": error_ref}},
            }
        operation: dict[str, Any] = {
            "operationId": op.endpoint.__name__,
            "summary": op.summary,
            "tags": [op.tag],
            "parameters": parameters,
            "responses": responses,
        }
        if op.authenticated:
            operation["security"] = [{"bearer": []}, {"sessionCookie": []}]
        if op.body is not None:
            operation["requestBody"] = {
                "required": op.body_required,
                "content": {"application/json": {"schema": refs[(op.body, "validation")]}},
            }
        paths.setdefault(path, {})[op.method.lower()] = operation
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

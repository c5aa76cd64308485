"""Request parsing and response shaping shared by every handler."""

from __future__ import annotations

import json
from functools import cache
from typing import Any, TypeVar, get_args, get_origin

import pydantic
from pydantic import BaseModel
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from shared.auth import Principal, resolve_principal
from shared.config import get_settings
from shared.csrf import require_trusted_origin
from shared.errors import (
    MAX_DETAILS,
    BadRequestError,
    ForbiddenError,
    NotFoundError,
    PayloadTooLargeError,
    UnsupportedMediaTypeError,
    ValidationError,
    capped,
    field_error,
    validation_details,
)

ModelT = TypeVar("ModelT", bound=BaseModel)
MAX_DB_INT = 2_147_483_647


async def read_body(request: Request) -> bytes:
    """The raw body, refusing more than the configured maximum (413) without reading it all."""
    limit = get_settings().max_body_bytes
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise PayloadTooLargeError(f"The request body is larger than {limit} bytes.")
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise PayloadTooLargeError(f"The request body is larger than {limit} bytes.")
        chunks.append(chunk)
    return b"".join(chunks)


async def read_json(request: Request, model: type[ModelT], *, optional: bool = False) -> ModelT:
    """Read and validate a JSON body: 415 not JSON, 413 too large, 400 malformed, 422 invalid."""
    body = await read_body(request)
    if optional and not body.strip():
        return model()
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type != "application/json" and not media_type.endswith("+json"):
        raise UnsupportedMediaTypeError()
    try:
        data = json.loads(body)
    except (ValueError, RecursionError) as exc:
        raise BadRequestError("The body is not valid JSON.") from exc
    if not isinstance(data, dict):
        raise ValidationError(details=[field_error(["body"], "Expected a JSON object.")])
    try:
        return model.model_validate(data)
    except pydantic.ValidationError as exc:
        raise ValidationError(details=validation_details(exc, "body")) from exc


def _is_list(annotation: Any) -> bool:
    if get_origin(annotation) is list:
        return True
    return any(_is_list(arg) for arg in get_args(annotation))


@cache
def _list_parameters(model: type[BaseModel]) -> frozenset[str]:
    """The query names (alias and field name) of a model's list fields, which may repeat.

    Cached per model: the answer never changes, and every list request asks.
    """
    names: set[str] = set()
    for name, info in model.model_fields.items():
        if _is_list(info.annotation):
            names.update({name, info.alias or name})
    return frozenset(names)


def read_query(request: Request, model: type[ModelT]) -> ModelT:
    """Validate query parameters; an unknown parameter, or a repeated one that is not a list
    field of the model (e.g. `tag=a&tag=b`), is a 422."""
    lists = _list_parameters(model)
    # One pass over the pairs (not getlist per name, which made many names quadratic).
    values: dict[str, Any] = {}
    repeated: dict[str, None] = {}
    for name, value in request.query_params.multi_items():
        if name in lists:
            values.setdefault(name, []).append(value)
        elif name in values:
            repeated[name] = None
        else:
            values[name] = value
    if repeated:
        found = sorted(repeated)
        raise ValidationError(
            details=capped(
                [
                    field_error(["query", k], "Give this parameter once.")
                    for k in found[:MAX_DETAILS]
                ],
                len(found),
            )
        )
    try:
        return model.model_validate(values)
    except pydantic.ValidationError as exc:
        raise ValidationError(details=validation_details(exc, "query")) from exc


def path_id(request: Request, name: str) -> int:
    """An integer id from the path; anything else names nothing, so it is a 404.

    The route may have converted it already (`{task_id:int}`, so that /tasks/bulk is never
    taken for a task id).
    """
    raw = request.path_params.get(name, "")
    if isinstance(raw, int):
        value = raw
    elif isinstance(raw, str) and raw.isascii() and raw.isdigit():
        value = int(raw)
    else:
        raise NotFoundError()
    if not 1 <= value <= MAX_DB_INT:
        raise NotFoundError()
    return value


async def authenticate(request: Request) -> Principal:
    """The caller, resolved once per request and kept on request.state.

    A change authenticated by a cookie must come from a trusted origin (403 otherwise): the
    browser sends the cookie whichever site made the request. Bearer tokens and JWTs are
    exempt, as no browser attaches them on its own.
    """
    principal: Principal | None = getattr(request.state, "principal", None)
    if principal is None:
        principal = await resolve_principal(request.headers)
        if principal.method == "cookie":
            require_trusted_origin(request.method, request.headers, get_settings().trusted_origins)
        request.state.principal = principal
    return principal


async def authorize_owner(request: Request) -> Principal:
    """Authenticate and check the path's {userId} is the caller (or `me`); else 403."""
    principal = await authenticate(request)
    user_id = request.path_params.get("user_id")
    if user_id != "me" and user_id != principal.user.id:
        raise ForbiddenError("You can only access your own data.")
    return principal


def json_response(
    payload: BaseModel | dict[str, Any],
    status_code: int = 200,
    headers: dict[str, str] | None = None,
) -> Response:
    """Serialise a response model with its camelCase aliases.

    Models go straight to JSON bytes in pydantic's serialiser (the same compact JSON that
    JSONResponse writes), not through a dict and the json module.
    """
    if isinstance(payload, BaseModel):
        return Response(
            payload.model_dump_json(by_alias=True),
            status_code=status_code,
            headers=headers,
            media_type="application/json",
        )
    return JSONResponse(payload, status_code=status_code, headers=headers)

"""One error hierarchy and one JSON shape for every error the service returns.

Shape: {"error": {"code": "...", "message": "...", "details": [...]}}.
"""

from __future__ import annotations

import copy
from typing import Any

import pydantic
from starlette.responses import JSONResponse


class ApiError(Exception):
    """An error a client can act on. Subclasses fix the status and code."""

    status_code = 500
    code = "internal_error"
    default_message = "Something went wrong on our side."

    def __init__(
        self,
        message: str | None = None,
        *,
        details: list[dict[str, Any]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        self.message = message or self.default_message
        self.details = details or []
        self.headers = headers or {}
        super().__init__(self.message)


class BadRequestError(ApiError):
    status_code = 400
    code = "bad_request"
    default_message = "The request could not be understood."


class UnauthorizedError(ApiError):
    status_code = 401
    code = "unauthorized"
    default_message = "Sign in to continue: no valid session or token was sent."

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message, headers={"WWW-Authenticate": "Bearer"})


class ForbiddenError(ApiError):
    status_code = 403
    code = "forbidden"
    default_message = "You may not access this resource."


class NotFoundError(ApiError):
    status_code = 404
    code = "not_found"
    default_message = "Nothing exists at this address."


class MethodNotAllowedError(ApiError):
    status_code = 405
    code = "method_not_allowed"
    default_message = "This method is not allowed here."


class ConflictError(ApiError):
    status_code = 409
    code = "conflict"
    default_message = "This conflicts with something that already exists."


class PreconditionFailedError(ApiError):
    status_code = 412
    code = "precondition_failed"
    default_message = "The resource changed since you last read it."


class PayloadTooLargeError(ApiError):
    status_code = 413
    code = "payload_too_large"
    default_message = "The request body is too large."


class UnsupportedMediaTypeError(ApiError):
    status_code = 415
    code = "unsupported_media_type"
    default_message = "Send the body as JSON with Content-Type: application/json."


class ValidationError(ApiError):
    status_code = 422
    code = "validation_error"
    default_message = "Some fields are not valid."


# What a 503 tells a client to wait before retrying: long enough for a database restart or
# failover to finish, short enough that a person retrying by hand is not kept waiting.
RETRY_AFTER_SECONDS = 2


class ServiceUnavailableError(ApiError):
    """Something the service depends on is briefly unavailable; always with Retry-After."""

    status_code = 503
    code = "service_unavailable"
    default_message = "The database cannot be reached right now; try again shortly."

    def __init__(
        self,
        message: str | None = None,
        *,
        details: list[dict[str, Any]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(
            message,
            details=details,
            headers={"Retry-After": str(RETRY_AFTER_SECONDS), **(headers or {})},
        )


ERROR_TYPES: tuple[type[ApiError], ...] = (
    BadRequestError,
    UnauthorizedError,
    ForbiddenError,
    NotFoundError,
    MethodNotAllowedError,
    ConflictError,
    PreconditionFailedError,
    PayloadTooLargeError,
    UnsupportedMediaTypeError,
    ValidationError,
    ApiError,
    ServiceUnavailableError,
)


def error_body(
    code: str, message: str, details: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    """The JSON document of an error response."""
    return {"error": {"code": code, "message": message, "details": details or []}}


def error_response(error: ApiError) -> JSONResponse:
    """Render an ApiError in the one error shape."""
    return JSONResponse(
        error_body(error.code, error.message, error.details),
        status_code=error.status_code,
        headers=error.headers,
    )


def field_error(path: list[str | int] | tuple[str | int, ...], message: str) -> dict[str, Any]:
    """One entry of a 422's details: where the problem is and what it is."""
    return {"field": ".".join(str(p) for p in path), "path": list(path), "message": message}


class InvalidInputError(ValidationError):
    """A service refusing part of its input (a 422).

    Its details name the input's own fields, camelCase as on the wire (`["recurrence",
    "until"]`), never a place in a request: the entry point that passed the input knows where
    it came from and says so with `located` (REST: the body, or the query of an operation that
    takes no body), while chat reads only the messages.
    """

    def located(self, *where: str | int) -> InvalidInputError:
        """The same refusal (same code) with each field's path starting at `where`."""
        located = copy.copy(self)
        located.details = [field_error([*where, *d["path"]], d["message"]) for d in self.details]
        return located


def validation_details(error: pydantic.ValidationError, *where: str | int) -> list[dict[str, Any]]:
    """Pydantic's errors as field details, each path starting at `where` (e.g. "body").

    The one translation of pydantic's messages: "Value error, " dropped from our own
    validators' messages, and a field the model does not have called what it is. Only the
    first MAX_DETAILS are listed, then one detail counting the rest: a body of 100,000
    unknown keys gets a small answer, quickly.
    """
    details = []
    for item in error.errors(include_url=False, include_input=False)[:MAX_DETAILS]:
        message = item["msg"].removeprefix("Value error, ")
        if item["type"] == "extra_forbidden":
            message = "Unknown field."
        details.append(field_error([*where, *item["loc"]], message))
    return capped(details, error.error_count())


MAX_DETAILS = 20


def capped(details: list[dict[str, Any]], total: int) -> list[dict[str, Any]]:
    """The first MAX_DETAILS details of `total`, and then one saying how many more there are."""
    if total <= MAX_DETAILS:
        return details
    more = total - MAX_DETAILS
    return [*details[:MAX_DETAILS], {"message": f"And {more} more problems like these."}]

"""ASGI middleware: request ids, and the last line of defence that turns crashes into JSON."""

from __future__ import annotations

import logging
import re
import uuid

from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from starlette.datastructures import Headers, MutableHeaders
from starlette.middleware.cors import CORSMiddleware
from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shared.database import ensure_schema
from shared.errors import ApiError, ServiceUnavailableError, error_body

logger = logging.getLogger("ironclad.requests")

REQUEST_ID_HEADER = "X-Request-ID"
# A client's id is echoed back only when it is short and plain, so it cannot smuggle headers.
_CLIENT_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
DATABASE_DOWN_ERRORS: tuple[type[BaseException], ...] = (
    OperationalError,
    InterfaceError,
    OSError,
    TimeoutError,
)


def is_database_down(error: BaseException) -> bool:
    """True for errors that mean the database could not be reached (answered with 503)."""
    if isinstance(error, DBAPIError) and error.connection_invalidated:
        return True
    return isinstance(error, DATABASE_DOWN_ERRORS)


class RequestIdMiddleware:
    """Gives every response, preflights included, an X-Request-ID (the client's, if plain).

    It is the outermost layer, so nothing answers without the id.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        sent_id = ""
        for name, value in scope.get("headers", []):
            if name == b"x-request-id":
                sent_id = value.decode("latin-1")
        request_id = sent_id if _CLIENT_REQUEST_ID.match(sent_id) else uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = request_id

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message)[REQUEST_ID_HEADER] = request_id
            await send(message)

        await self.app(scope, receive, send_with_id)


class UnhandledErrorMiddleware:
    """Renders an error no handler caught as the JSON 500 (or 503 when the database is down).

    It sits inside the CORS layer, so the dashboard can read these responses too.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def send_tracking(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, send_tracking)
        except Exception as error:
            if started:
                raise
            request_id = scope.get("state", {}).get("request_id", "-")
            if is_database_down(error):
                logger.warning("database unreachable (request %s): %r", request_id, error)
                api_error: ApiError = ServiceUnavailableError()
            else:
                logger.exception("unhandled error (request %s)", request_id)
                api_error = ApiError()
            response = JSONResponse(
                error_body(api_error.code, api_error.message), status_code=api_error.status_code
            )
            await response(scope, receive, send)


class LazySchemaCheckMiddleware:
    """Under Lambda there is no lifespan: check the schema on the first request of a process."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            await ensure_schema()
        await self.app(scope, receive, send)


class JsonCorsMiddleware(CORSMiddleware):
    """Starlette's CORS handling, with a refused preflight answered in the one error shape."""

    def preflight_response(self, request_headers: Headers) -> Response:
        response = super().preflight_response(request_headers)
        if response.status_code < 400:
            return response
        reason = bytes(response.body).decode("utf-8", "replace")
        headers = {
            name: value
            for name, value in response.headers.items()
            if name.lower() not in {"content-length", "content-type"}
        }
        return JSONResponse(
            error_body("bad_request", f"The CORS preflight was refused: {reason}."),
            status_code=response.status_code,
            headers=headers,
        )

"""ASGI middleware: request ids, and the last line of defence that turns crashes into JSON."""

from __future__ import annotations

import logging
import re
import uuid

from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from starlette.datastructures import Headers, MutableHeaders
from starlette.middleware.cors import CORSMiddleware
from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shared.database import ensure_schema
from shared.errors import ApiError, ServiceUnavailableError, error_body, error_response

logger = logging.getLogger("ironclad.requests")

REQUEST_ID_HEADER = "X-Request-ID"
# A client's id is echoed back only when it is short and plain, so it cannot smuggle headers.
_CLIENT_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
DATABASE_DOWN_ERRORS: tuple[type[BaseException], ...] = (
    OperationalError,
    InterfaceError,
    # Refused, reset, unreachable: the socket's own errors, raised as they are while connecting.
    OSError,
    # A connect or command timeout (asyncio's is the builtin since 3.11).
    TimeoutError,
    # No pooled connection came free in time.
    PoolTimeoutError,
)
# SQLSTATEs of a database that is there but cannot serve now, which the driver reports as plain
# errors: every connection exception (class 08), too many connections, and an administrator's
# or a crash's shutdown, or "the database system is starting up / shutting down" (57P03).
UNAVAILABLE_SQLSTATE_CLASS = "08"
UNAVAILABLE_SQLSTATES = frozenset({"53300", "57P01", "57P02", "57P03"})


def _error_chain(error: BaseException) -> list[BaseException]:
    """The error, the driver's error inside it, and what each was raised from."""
    chain: list[BaseException] = []
    pending: list[BaseException | None] = [error]
    while pending and len(chain) < 10:
        current = pending.pop()
        if current is None or any(current is seen for seen in chain):
            continue
        chain.append(current)
        inner = getattr(current, "orig", None) if isinstance(current, DBAPIError) else None
        driver = getattr(current, "driver_exception", None)
        pending.extend(
            e for e in (current.__cause__, driver, inner) if isinstance(e, BaseException)
        )
    return chain


def is_database_down(error: BaseException) -> bool:
    """True for errors that mean the database could not be reached or cannot serve right now.

    They are answered with 503 and Retry-After. Errors in what was asked (a constraint, a
    syntax error) are not among them.
    """
    for current in _error_chain(error):
        if isinstance(current, DBAPIError) and current.connection_invalidated:
            return True
        if isinstance(current, DATABASE_DOWN_ERRORS):
            return True
        sqlstate = getattr(current, "sqlstate", None)
        if isinstance(sqlstate, str) and (
            sqlstate.startswith(UNAVAILABLE_SQLSTATE_CLASS) or sqlstate in UNAVAILABLE_SQLSTATES
        ):
            return True
    return False


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


class PrivateResponseMiddleware:
    """Marks every response to an authenticated request as private to that caller.

    `Cache-Control: no-store` keeps browsers and proxies from storing someone's tasks, and
    `Vary: Authorization, Cookie` (merged with what is there, such as CORS's Origin) keeps any
    cache that does store from answering one caller with another's response. It sits outside
    the error renderer, so a 500 or 503 after authentication is marked as well.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        state = scope.setdefault("state", {})

        async def send_private(message: Message) -> None:
            # The handler keeps the principal on request.state once the caller is known.
            if message["type"] == "http.response.start" and state.get("principal") is not None:
                headers = MutableHeaders(scope=message)
                headers["Cache-Control"] = "no-store"
                merge_vary(headers, ("Authorization", "Cookie"))
            await send(message)

        await self.app(scope, receive, send_private)


def merge_vary(headers: MutableHeaders, names: tuple[str, ...]) -> None:
    """Add `names` to the Vary header, keeping what is there and naming each field once."""
    present = [v.strip() for v in headers.get("vary", "").split(",") if v.strip()]
    known = {v.lower() for v in present}
    headers["Vary"] = ", ".join([*present, *(n for n in names if n.lower() not in known)])


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
            await error_response(api_error)(scope, receive, send)


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

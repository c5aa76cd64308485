"""Builds a Starlette app from routes: the same app for a function's Lambda and the container."""

from __future__ import annotations

import asyncio
import gc
import logging
import os
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager

from mangum import Mangum
from mangum.types import LambdaContext, LambdaEvent
from snapshot_restore_py import register_after_restore, register_before_snapshot
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute
from starlette.types import ASGIApp, Receive, Scope, Send

from shared.config import get_settings
from shared.database import ConnectionPerRequestMiddleware, dispose_engine, ensure_schema
from shared.errors import (
    ApiError,
    MethodNotAllowedError,
    NotFoundError,
    error_response,
)
from shared.logs import configure_logging
from shared.middleware import (
    REQUEST_ID_HEADER,
    JsonCorsMiddleware,
    LazySchemaCheckMiddleware,
    PrivateResponseMiddleware,
    RequestIdMiddleware,
    UnhandledErrorMiddleware,
    is_database_down,
)
from shared.request_log import RequestLogMiddleware

logger = logging.getLogger("ironclad.app")


async def _render_api_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ApiError)
    return error_response(exc)


async def _render_http_exception(request: Request, exc: Exception) -> Response:
    # Starlette's router raises these for unknown paths and wrong methods.
    assert isinstance(exc, HTTPException)
    if exc.status_code == 405:
        error: ApiError = MethodNotAllowedError(headers=dict(exc.headers or {}))
    elif exc.status_code == 404:
        error = NotFoundError()
    else:
        error = ApiError(exc.detail)
        error.status_code = exc.status_code
        error.code = "http_error"
    return error_response(error)


@asynccontextmanager
async def _lifespan(app: Starlette) -> AsyncIterator[None]:
    # A schema that does not fit stops start-up here, before any request is served. A database
    # that is not there yet does not: the service comes up answering 503, and the schema is
    # checked by the first request that finds the database (LazySchemaCheckMiddleware), so a
    # platform does not restart it in a loop while the database is late.
    try:
        await ensure_schema()
    except Exception as error:
        if not is_database_down(error):
            raise
        logger.warning(
            "database unreachable at start-up (%s); answering 503 until it is reachable",
            type(error).__name__,
        )
    else:
        logger.info("schema verified; ready")
    _freeze_start_up_objects()
    yield
    await dispose_engine()


def _freeze_start_up_objects() -> None:
    # What start-up made (modules, classes, compiled patterns, schemas: some 100,000 objects)
    # lives as long as the process. Left to the collector, every full collection walks it all,
    # a pause of ~40 ms that can land in any request; frozen, it is never walked again.
    gc.freeze()


def create_app(routes: Sequence[BaseRoute], *, lambda_mode: bool = False) -> Starlette:
    """An app serving `routes` with the shared error handling, request ids, logs and CORS.

    In lambda_mode there is no lifespan (Mangum would run it on every invocation). Either way
    the schema is checked again by requests until one check succeeds (once per process when
    the database was there at start-up).
    """
    settings = get_settings()
    # Request ids outermost (every response has one), then the request log (it sees the id and
    # every final status); then CORS, outside the error renderer so that 500 and 503 responses
    # carry CORS headers: else the dashboard could not read them. Authenticated responses are
    # marked private outside the error renderer too, and inside CORS, which adds Origin to Vary.
    middleware = [
        Middleware(RequestIdMiddleware),
        Middleware(RequestLogMiddleware),
        Middleware(
            JsonCorsMiddleware,
            allow_origins=list(settings.cors_origins),
            allow_credentials=True,
            allow_methods=["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"],
            allow_headers=[
                "Authorization",
                "Content-Type",
                "If-Match",
                "If-None-Match",
                "Idempotency-Key",
                REQUEST_ID_HEADER,
                "X-Timezone",
            ],
            expose_headers=[REQUEST_ID_HEADER, "ETag", "Location", "Idempotent-Replayed"],
            max_age=600,
        ),
        Middleware(PrivateResponseMiddleware),
        Middleware(UnhandledErrorMiddleware),
        Middleware(LazySchemaCheckMiddleware),
        Middleware(ConnectionPerRequestMiddleware),
    ]
    return Starlette(
        routes=list(routes),
        middleware=middleware,
        exception_handlers={ApiError: _render_api_error, HTTPException: _render_http_exception},
        lifespan=None if lambda_mode else _lifespan,
    )


LambdaHandler = Callable[[LambdaEvent, LambdaContext], dict]


def lambda_handler(routes: Sequence[BaseRoute]) -> LambdaHandler:
    """A Lambda handler (Mangum, lifespan off) serving `routes`, built on its first invocation
    (so that importing a function module reads no settings).

    Mangum runs each invocation on the thread's current event loop. One loop is kept for the
    process so that the engine cached for it (and its connections) is reused across warm
    invocations; Python 3.14 no longer creates a loop implicitly, so it is set here.

    With Lambda SnapStart the process is frozen into a snapshot after its first start and
    restored from it many times: database connections are closed before the snapshot (the
    runtime calls the before-snapshot hooks) and the engine is rebuilt after each restore, since
    a connection must never be shared by two restored copies.
    """
    adapter: Mangum | None = None
    loop: asyncio.AbstractEventLoop | None = None

    def build() -> Mangum:
        if "AWS_LAMBDA_FUNCTION_NAME" in os.environ:
            # On Lambda nothing else configures logging: replace the runtime's plain handler.
            configure_logging()
        built = Mangum(create_app(routes, lambda_mode=True), lifespan="off")
        _freeze_start_up_objects()
        return built

    def handle(event: LambdaEvent, context: LambdaContext) -> dict:
        nonlocal adapter, loop
        if adapter is None:
            adapter = build()
        if loop is None or loop.is_closed():
            loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        return adapter(event, context)

    def close_connections() -> None:
        if loop is not None and not loop.is_closed():
            loop.run_until_complete(dispose_engine())

    def before_snapshot() -> None:
        # Build the app into the snapshot, so that no restored copy pays for it.
        nonlocal adapter
        if adapter is None:
            adapter = build()
        close_connections()

    register_before_snapshot(before_snapshot)
    register_after_restore(close_connections)
    return handle


class LazyApp:
    """An ASGI app built from `build` on its first event (the lifespan or a request), so that
    importing the module that names it reads no settings and writes nothing."""

    def __init__(self, build: Callable[[], ASGIApp]) -> None:
        self._build = build
        self._app: ASGIApp | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self._app is None:
            self._app = self._build()
        await self._app(scope, receive, send)

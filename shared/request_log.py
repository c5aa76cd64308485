"""One log line per request: who asked for which route, how it ended and how long it took.

The route template is logged (`/api/{user_id}/tasks/{task_id}`), or the path when no route was
reached (an unknown path, or a 503 before routing); never the query string or a header, so no
token, cookie or secret reaches the log.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shared.logs import request_id_var

logger = logging.getLogger("ironclad.access")
# Enough for any real path; a hostile one is cut short rather than filling the log.
MAX_PATH_CHARS = 200


def _fields(scope: Scope, status: int, started: float) -> dict[str, Any]:
    state = scope.get("state", {})
    route = scope.get("route")
    principal = state.get("principal")
    fields: dict[str, Any] = {
        "request_id": state.get("request_id"),
        "method": scope["method"],
        "route": getattr(route, "path", None),
        "path": None if route is not None else scope.get("path", "")[:MAX_PATH_CHARS],
        "status": status,
        "duration_ms": round((time.perf_counter() - started) * 1000, 2),
        # After uvicorn applied the forwarded headers it trusts (FORWARDED_ALLOW_IPS).
        "client": (scope.get("client") or (None,))[0],
        "user_id": principal.user.id if principal is not None else None,
    }
    # Mangum puts the Lambda context in the scope; its id finds the invocation in CloudWatch.
    aws_context = scope.get("aws.context")
    if aws_context is not None:
        fields["aws_request_id"] = getattr(aws_context, "aws_request_id", None)
    return fields


class RequestLogMiddleware:
    """Logs each HTTP request once, when it is done (INFO; WARNING for 5xx).

    It sits just inside the request-id layer, so it sees that id and the final status of every
    response, refused preflights and rendered crashes included.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500
        token = request_id_var.set(scope.get("state", {}).get("request_id"))

        async def send_tracking(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_tracking)
        finally:
            level = logging.WARNING if status >= 500 else logging.INFO
            # The fields are gathered only for a line that is written (LOG_LEVEL=WARNING drops
            # the INFO ones).
            if logger.isEnabledFor(level):
                fields = _fields(scope, status, started)
                logger.log(
                    level,
                    "%s %s %s %.1f ms",
                    fields["method"],
                    fields["route"] or fields["path"],
                    status,
                    fields["duration_ms"],
                    extra=fields,
                )
            request_id_var.reset(token)

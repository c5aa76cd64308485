"""GET /health: the service is up and its database answers."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from shared.application import lambda_handler
from shared.database import ping
from shared.http import json_response
from shared.routing import Operation, build_routes
from shared.schemas import HealthRead


async def health(request: Request) -> Response:
    """200 when the database answers; an unreachable database becomes 503 in the middleware."""
    await ping()
    return json_response(
        HealthRead(status="ok", database="ok"), headers={"Cache-Control": "no-store"}
    )


operations = [
    Operation(
        "GET",
        "/health",
        health,
        "Check the service and its database",
        "health",
        response=HealthRead,
        authenticated=False,
    )
]
routes = build_routes(operations)
handler = lambda_handler(routes)

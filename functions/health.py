"""GET /health: the service is up and its database answers."""

from __future__ import annotations

from starlette.responses import Response

from shared.application import lambda_handler
from shared.binding import Call
from shared.database import ping
from shared.http import json_response
from shared.routing import Router, build_routes
from shared.schemas import HealthRead

router = Router("health")


@router.route(
    "GET",
    "/health",
    "Check the service and its database",
    response=HealthRead,
    authenticated=False,
    session=None,
)
async def health(call: Call[None, None]) -> Response:
    """200 when the database answers; an unreachable database becomes 503 in the middleware."""
    await ping()
    return json_response(
        HealthRead(status="ok", database="ok"), headers={"Cache-Control": "no-store"}
    )


operations = router.operations
routes = build_routes(operations)
handler = lambda_handler(routes)

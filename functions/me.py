"""GET /api/me: the signed-in person."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from shared.application import lambda_handler
from shared.http import authenticate, json_response
from shared.routing import Operation, build_routes
from shared.schemas import UserRead


async def get_me(request: Request) -> Response:
    """The user the request's credentials belong to."""
    principal = await authenticate(request)
    return json_response(UserRead.model_validate(principal.user, from_attributes=True))


operations = [Operation("GET", "/api/me", get_me, "The signed-in user", "users", response=UserRead)]
routes = build_routes(operations)
handler = lambda_handler(routes)

"""GET /api/me: the signed-in person."""

from __future__ import annotations

from starlette.responses import Response

from shared.application import lambda_handler
from shared.binding import Call
from shared.http import json_response
from shared.routing import Router, build_routes
from shared.users.schemas import UserRead

router = Router("users")


@router.route("GET", "/api/me", "The signed-in user", response=UserRead, session=None)
async def get_me(call: Call[None, None]) -> Response:
    """The user the request's credentials belong to."""
    return json_response(UserRead.model_validate(call.principal.user, from_attributes=True))


operations = router.operations
routes = build_routes(operations)
handler = lambda_handler(routes)

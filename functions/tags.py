"""GET /api/{userId}/tags: the person's tags with how many tasks carry each."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from shared.application import lambda_handler
from shared.database import read_scope
from shared.http import authorize_owner, json_response
from shared.routing import Operation, build_routes
from shared.schemas import TagCount, TagList
from shared.services import tags as service


async def list_tags(request: Request) -> Response:
    """Every tag on the person's non-deleted tasks, by name, with counts."""
    principal = await authorize_owner(request)
    async with read_scope() as db:
        found = await service.list_tags(db, user_id=principal.user.id)
    return json_response(TagList(items=[TagCount(name=n, count=c) for n, c in found]))


operations = [
    Operation(
        "GET",
        "/api/{user_id}/tags",
        list_tags,
        "List your tags with counts",
        "tags",
        response=TagList,
    )
]
routes = build_routes(operations)
handler = lambda_handler(routes)

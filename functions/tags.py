"""GET /api/{userId}/tags: the person's tags with how many tasks carry each."""

from __future__ import annotations

from starlette.responses import Response

from shared.application import lambda_handler
from shared.binding import Call
from shared.http import json_response
from shared.routing import Router, build_routes
from shared.tags import service
from shared.tags.schemas import TagCount, TagList

router = Router("tags")


@router.route(
    "GET", "/api/{user_id}/tags", "List your tags with counts", response=TagList, session="read"
)
async def list_tags(call: Call[None, None]) -> Response:
    """Every tag on the person's non-deleted tasks, by name, with counts."""
    found = await service.list_tags(call.reader, user_id=call.user_id)
    return json_response(TagList(items=[TagCount(name=n, count=c) for n, c in found]))


operations = router.operations
routes = build_routes(operations)
handler = lambda_handler(routes)

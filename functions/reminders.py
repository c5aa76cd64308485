"""Reminders: GET /api/{userId}/reminders and POST .../tasks/{taskId}/reminder/ack."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from shared import clock
from shared.application import lambda_handler
from shared.database import session_scope
from shared.etags import ETAG_DESCRIPTION, IF_MATCH_DESCRIPTION, IF_MATCH_HEADER
from shared.http import authorize_owner, json_response, path_id, read_query
from shared.routing import Operation, build_routes
from shared.schemas import ReminderList, ReminderQuery, TaskRead
from shared.services import tasks as service


async def list_reminders(request: Request) -> Response:
    """Open tasks whose unacknowledged reminder falls before `before` (default now)."""
    principal = await authorize_owner(request)
    query = read_query(request, ReminderQuery)
    before = query.before or clock.utcnow()
    async with session_scope() as db:
        found = await service.list_reminders(
            db, user_id=principal.user.id, before=before, limit=query.limit
        )
        return json_response(ReminderList(items=[TaskRead.model_validate(t) for t in found]))


async def acknowledge_reminder(request: Request) -> Response:
    """Mark a task's reminder seen; setting a new remindAt makes it due again."""
    principal = await authorize_owner(request)
    task_id = path_id(request, "task_id")
    async with session_scope() as db:
        task = await service.acknowledge_reminder(
            db,
            user_id=principal.user.id,
            task_id=task_id,
            if_match=request.headers.get(IF_MATCH_HEADER),
        )
        etag = service.task_etag(task)
        return json_response(TaskRead.model_validate(task), headers={"ETag": etag})


TAG = "reminders"
operations = [
    Operation(
        "GET",
        "/api/{user_id}/reminders",
        list_reminders,
        "Reminders due before an instant, not yet acknowledged",
        TAG,
        query=ReminderQuery,
        response=ReminderList,
    ),
    Operation(
        "POST",
        "/api/{user_id}/tasks/{task_id}/reminder/ack",
        acknowledge_reminder,
        "Acknowledge a task's reminder",
        TAG,
        response=TaskRead,
        errors=(404, 409, 412),
        request_headers={IF_MATCH_HEADER: IF_MATCH_DESCRIPTION},
        response_headers={"ETag": ETAG_DESCRIPTION},
    ),
]
routes = build_routes(operations)
handler = lambda_handler(routes)

"""Reminders: GET /api/{userId}/reminders and POST .../tasks/{taskId}/reminder/ack."""

from __future__ import annotations

from starlette.responses import Response

from shared import clock
from shared.application import lambda_handler
from shared.binding import Call
from shared.etags import ETAG_DESCRIPTION, IF_MATCH_DESCRIPTION, IF_MATCH_HEADER
from shared.http import json_response
from shared.routing import Router, build_routes
from shared.tasks import service
from shared.tasks.schemas import ReminderList, ReminderQuery, TaskRead

router = Router("reminders")


@router.route(
    "GET",
    "/api/{user_id}/reminders",
    "Reminders due before an instant, not yet acknowledged",
    query=ReminderQuery,
    response=ReminderList,
)
async def list_reminders(call: Call[None, ReminderQuery]) -> Response:
    """Open tasks whose unacknowledged reminder falls before `before` (default now)."""
    found = await service.list_reminders(
        call.db,
        user_id=call.user_id,
        before=call.query.before or clock.utcnow(),
        limit=call.query.limit,
    )
    return json_response(ReminderList(items=[TaskRead.model_validate(t) for t in found]))


@router.route(
    "POST",
    "/api/{user_id}/tasks/{task_id}/reminder/ack",
    "Acknowledge a task's reminder",
    response=TaskRead,
    errors=(404, 409, 412),
    request_headers={IF_MATCH_HEADER: IF_MATCH_DESCRIPTION},
    response_headers={"ETag": ETAG_DESCRIPTION},
)
async def acknowledge_reminder(call: Call[None, None]) -> Response:
    """Mark a task's reminder seen; setting a new remindAt makes it due again."""
    task = await service.acknowledge_reminder(
        call.db,
        user_id=call.user_id,
        task_id=call.ids["task_id"],
        expected=call.if_match,
    )
    return json_response(TaskRead.model_validate(task), headers={"ETag": service.task_etag(task)})


operations = router.operations
routes = build_routes(operations)
handler = lambda_handler(routes)

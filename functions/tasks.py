"""Tasks under /api/{userId}/tasks: CRUD, completion, bulk actions and stats.

Every task response carries an ETag; writes honour If-Match, reads If-None-Match, and POSTs
an Idempotency-Key.
"""

from __future__ import annotations

from starlette.responses import Response

from shared import clock
from shared.application import lambda_handler
from shared.binding import Call
from shared.etags import (
    ETAG_DESCRIPTION,
    IF_MATCH_DESCRIPTION,
    IF_MATCH_HEADER,
    IF_NONE_MATCH_DESCRIPTION,
    IF_NONE_MATCH_HEADER,
)
from shared.http import json_response
from shared.models import Task
from shared.routing import Router, build_routes
from shared.tags.service import sorted_tags
from shared.tasks import service
from shared.tasks import stats as stats_service
from shared.tasks.schemas import (
    StatsQuery,
    TaskBulk,
    TaskBulkResult,
    TaskComplete,
    TaskCreate,
    TaskListQuery,
    TaskPage,
    TaskPatch,
    TaskRead,
    TaskStats,
)
from shared.timezones import TIMEZONE_DESCRIPTION, TIMEZONE_HEADER, caller_zone

COLLECTION = "/api/{user_id}/tasks"
# Digits only: PUT /tasks/bulk is then a 405 from the bulk route, not a 404 for task "bulk".
ITEM = COLLECTION + "/{task_id:int}"
IF_MATCH = {IF_MATCH_HEADER: IF_MATCH_DESCRIPTION}
ETAG = {"ETag": ETAG_DESCRIPTION}
TIMEZONE = {TIMEZONE_HEADER: TIMEZONE_DESCRIPTION}
# A change to one task: 404 when it is not the caller's, 412 when If-Match names another version.
CHANGE = {"response": TaskRead, "errors": (404, 412), "request_headers": IF_MATCH}

router = Router("tasks")

# TaskRead's fields that a task holds as they are shown; due_date and tags are shaped in _read.
_PLAIN_FIELDS = tuple(name for name in TaskRead.model_fields if name not in {"due_date", "tags"})


def _values(task: Task | service.TaskRow) -> dict[str, object]:
    """A task's fields as TaskRead takes them, in a plain dict.

    pydantic's core checks a dict in a few microseconds; reading an ORM object's attributes
    through from_attributes and a Python before-validator was most of a list's CPU time, and
    model_construct (a Python loop over the fields) measured slower than validating.
    """
    if isinstance(task, Task):
        values = {name: getattr(task, name) for name in _PLAIN_FIELDS}
    else:
        values = dict(task._mapping)
    values["due_date"] = service.local_due(task)
    values["tags"] = sorted_tags(task.tags)
    return values


def _read(task: Task | service.TaskRow) -> TaskRead:
    """A task as the wire shows it."""
    return TaskRead.model_validate(_values(task))


def _task_response(
    task: Task | service.TaskRow, status_code: int = 200, headers: dict[str, str] | None = None
) -> Response:
    return json_response(
        _read(task), status_code, {"ETag": service.task_etag(task), **(headers or {})}
    )


@router.route(
    "GET",
    COLLECTION,
    "List your tasks (filters, sync with updatedSince and includeDeleted)",
    query=TaskListQuery,
    response=TaskPage,
    request_headers=TIMEZONE,
    session="read",
)
async def list_tasks(call: Call[None, TaskListQuery]) -> Response:
    """A page of the person's tasks, filtered and sorted."""
    zone = caller_zone(call.request, call.query.timezone)
    found, next_cursor = await service.list_tasks(
        call.reader, user_id=call.user_id, query=call.query, zone=zone
    )
    # One validation for the page rather than one per task.
    page = {"items": [_values(t) for t in found], "next_cursor": next_cursor}
    return json_response(TaskPage.model_validate(page))


@router.route(
    "POST",
    COLLECTION,
    "Create a task",
    body=TaskCreate,
    response=TaskRead,
    status_code=201,
    errors=(409,),
    idempotency="tasks.create",
    one_statement=service.is_one_statement,
    response_headers={"Location": "The new task's URL", **ETAG},
)
async def create_task(call: Call[TaskCreate, None]) -> Response:
    """Create a task (201 with its Location); a retried Idempotency-Key creates nothing new."""
    task = await service.create_task(call.writer, user_id=call.user_id, data=call.body)
    return _task_response(task, 201, {"Location": f"/api/{call.user_id}/tasks/{task.id}"})


# /tasks/bulk and /tasks/stats are declared before /tasks/{task_id}, which would otherwise
# take them.
@router.route(
    "POST",
    COLLECTION + "/bulk",
    "Complete, uncomplete, delete, move or tag many tasks at once (all or nothing)",
    body=TaskBulk,
    response=TaskBulkResult,
    errors=(409,),
    idempotency="tasks.bulk",
)
async def bulk_tasks(call: Call[TaskBulk, None]) -> Response:
    """Apply one action to up to 200 tasks, all or nothing."""
    items, created = await service.bulk_change(call.db, user_id=call.user_id, data=call.body)
    return json_response(
        TaskBulkResult(
            action=call.body.action,
            items=[_read(t) for t in items],
            created=[_read(t) for t in created],
        )
    )


@router.route(
    "GET",
    COLLECTION + "/stats",
    "Counts of your tasks",
    query=StatsQuery,
    response=TaskStats,
    request_headers=TIMEZONE,
    session="read",
)
async def task_stats(call: Call[None, StatsQuery]) -> Response:
    """Counts of the person's tasks; "today" and "overdue" in the caller's zone."""
    zone = caller_zone(call.request, call.query.timezone)
    stats = await stats_service.task_stats(
        call.reader, user_id=call.user_id, zone=zone, now=clock.utcnow()
    )
    return json_response(stats)


@router.route(
    "GET",
    ITEM,
    "Get a task",
    response=TaskRead,
    errors=(404,),
    request_headers={IF_NONE_MATCH_HEADER: IF_NONE_MATCH_DESCRIPTION},
    response_headers=ETAG,
    session="read",
)
async def get_task(call: Call[None, None]) -> Response:
    """One of the person's tasks; 304 when If-None-Match names its current ETag."""
    task = await service.read_task(call.reader, user_id=call.user_id, task_id=call.ids["task_id"])
    etag = service.task_etag(task)
    if call.if_none_match is not None and call.if_none_match.names(etag):
        return Response(status_code=304, headers={"ETag": etag})
    return _task_response(task)


async def _update(call: Call[TaskCreate | TaskPatch, None]) -> Response:
    task = await service.update_task(
        call.db,
        user_id=call.user_id,
        task_id=call.ids["task_id"],
        changes=call.body,
        expected=call.if_match,
    )
    return _task_response(task)


@router.route("PUT", ITEM, "Replace a task", body=TaskCreate, response_headers=ETAG, **CHANGE)
async def replace_task(call: Call[TaskCreate, None]) -> Response:
    """Replace every client-settable field of a task."""
    return await _update(call)


@router.route(
    "PATCH", ITEM, "Change some fields of a task", body=TaskPatch, response_headers=ETAG, **CHANGE
)
async def patch_task(call: Call[TaskPatch, None]) -> Response:
    """Change only the fields sent."""
    return await _update(call)


@router.route(
    "PATCH",
    ITEM + "/complete",
    "Toggle or set completion (a recurring task's next occurrence is nextTaskId)",
    body=TaskComplete,
    body_required=False,
    response_headers=ETAG,
    **CHANGE,
)
async def complete_task(call: Call[TaskComplete, None]) -> Response:
    """Toggle completion, or set it with {"completed": true|false}."""
    task = await service.set_completed(
        call.db,
        user_id=call.user_id,
        task_id=call.ids["task_id"],
        completed=call.body.completed,
        expected=call.if_match,
    )
    return _task_response(task)


@router.route(
    "DELETE",
    ITEM,
    "Delete a task (kept as a tombstone for sync)",
    status_code=204,
    errors=(404, 412),
    request_headers=IF_MATCH,
)
async def delete_task(call: Call[None, None]) -> Response:
    """Delete a task (204); it stays visible to sync as a tombstone."""
    await service.delete_task(
        call.db, user_id=call.user_id, task_id=call.ids["task_id"], expected=call.if_match
    )
    return Response(status_code=204)


operations = router.operations
routes = build_routes(operations)
handler = lambda_handler(routes)

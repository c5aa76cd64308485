"""Tasks under /api/{userId}/tasks: CRUD, completion, bulk actions and stats.

Every task response carries an ETag; writes honour If-Match, reads If-None-Match, and POSTs
an Idempotency-Key.
"""

from __future__ import annotations

from sqlalchemy import Row
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import Request
from starlette.responses import Response

from shared import clock, idempotency
from shared.application import lambda_handler
from shared.database import read_scope, session_scope
from shared.etags import (
    ETAG_DESCRIPTION,
    IF_MATCH_DESCRIPTION,
    IF_MATCH_HEADER,
    IF_NONE_MATCH_DESCRIPTION,
    IF_NONE_MATCH_HEADER,
    matches,
)
from shared.http import authorize_owner, json_response, path_id, read_json, read_query
from shared.models import Task
from shared.routing import Operation, build_routes
from shared.schemas import (
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
from shared.services import stats as stats_service
from shared.services import tasks as service
from shared.services.tags import sorted_tags
from shared.timezones import TIMEZONE_DESCRIPTION, TIMEZONE_HEADER, caller_zone

COLLECTION = "/api/{user_id}/tasks"
ITEM = COLLECTION + "/{task_id}"


# TaskRead's fields that a task holds as they are shown; due_date and tags are shaped in _read.
_PLAIN_FIELDS = tuple(name for name in TaskRead.model_fields if name not in {"due_date", "tags"})


def _read(task: Task | service.TaskRow) -> TaskRead:
    """A task as the wire shows it, validated from a plain dict.

    pydantic's core checks a dict in a few microseconds; reading an ORM object's attributes
    through from_attributes and a Python before-validator was most of a list's CPU time, and
    model_construct (a Python loop over the fields) measured slower than validating.
    """
    if isinstance(task, Row):
        values = dict(task._mapping)
    else:
        values = {name: getattr(task, name) for name in _PLAIN_FIELDS}
    values["due_date"] = service.local_due(task)
    values["tags"] = sorted_tags(task.tags)
    return TaskRead.model_validate(values)


def _task_response(
    task: Task | service.TaskRow, status_code: int = 200, headers: dict[str, str] | None = None
) -> Response:
    return json_response(
        _read(task), status_code, {"ETag": service.task_etag(task), **(headers or {})}
    )


async def list_tasks(request: Request) -> Response:
    """A page of the person's tasks, filtered and sorted."""
    principal = await authorize_owner(request)
    query = read_query(request, TaskListQuery)
    zone = caller_zone(request, query.timezone)
    async with read_scope() as db:
        found, next_cursor = await service.list_tasks(
            db, user_id=principal.user.id, query=query, zone=zone
        )
    return json_response(TaskPage(items=[_read(t) for t in found], next_cursor=next_cursor))


async def create_task(request: Request) -> Response:
    """Create a task (201 with its Location); a retried Idempotency-Key creates nothing new."""
    principal = await authorize_owner(request)
    data = await read_json(request, TaskCreate)
    user_id = principal.user.id

    async def work(db: AsyncSession) -> Response:
        task = await service.create_task(db, user_id=user_id, data=data)
        return _task_response(task, 201, {"Location": f"/api/{user_id}/tasks/{task.id}"})

    return await idempotency.run_once(
        request, user_id=user_id, operation="tasks.create", payload=data, work=work
    )


async def get_task(request: Request) -> Response:
    """One of the person's tasks; 304 when If-None-Match names its current ETag."""
    principal = await authorize_owner(request)
    task_id = path_id(request, "task_id")
    async with read_scope() as db:
        task = await service.read_task(db, user_id=principal.user.id, task_id=task_id)
    etag = service.task_etag(task)
    if_none_match = request.headers.get(IF_NONE_MATCH_HEADER)
    if if_none_match is not None and matches(if_none_match, etag):
        return Response(status_code=304, headers={"ETag": etag})
    return _task_response(task)


async def replace_task(request: Request) -> Response:
    """Replace every client-settable field of a task."""
    principal = await authorize_owner(request)
    task_id = path_id(request, "task_id")
    data = await read_json(request, TaskCreate)
    async with session_scope() as db:
        task = await service.replace_task(
            db,
            user_id=principal.user.id,
            task_id=task_id,
            data=data,
            if_match=request.headers.get(IF_MATCH_HEADER),
        )
        return _task_response(task)


async def patch_task(request: Request) -> Response:
    """Change only the fields sent."""
    principal = await authorize_owner(request)
    task_id = path_id(request, "task_id")
    changes = await read_json(request, TaskPatch)
    async with session_scope() as db:
        task = await service.update_task(
            db,
            user_id=principal.user.id,
            task_id=task_id,
            changes=changes,
            if_match=request.headers.get(IF_MATCH_HEADER),
        )
        return _task_response(task)


async def complete_task(request: Request) -> Response:
    """Toggle completion, or set it with {"completed": true|false}."""
    principal = await authorize_owner(request)
    task_id = path_id(request, "task_id")
    body = await read_json(request, TaskComplete, optional=True)
    async with session_scope() as db:
        task = await service.set_completed(
            db,
            user_id=principal.user.id,
            task_id=task_id,
            completed=body.completed,
            if_match=request.headers.get(IF_MATCH_HEADER),
        )
        return _task_response(task)


async def delete_task(request: Request) -> Response:
    """Delete a task (204); it stays visible to sync as a tombstone."""
    principal = await authorize_owner(request)
    task_id = path_id(request, "task_id")
    async with session_scope() as db:
        await service.delete_task(
            db,
            user_id=principal.user.id,
            task_id=task_id,
            if_match=request.headers.get(IF_MATCH_HEADER),
        )
    return Response(status_code=204)


async def bulk_tasks(request: Request) -> Response:
    """Apply one action to up to 200 tasks, all or nothing."""
    principal = await authorize_owner(request)
    data = await read_json(request, TaskBulk)
    user_id = principal.user.id

    async def work(db: AsyncSession) -> Response:
        items, created = await service.bulk_change(db, user_id=user_id, data=data)
        return json_response(
            TaskBulkResult(
                action=data.action,
                items=[_read(t) for t in items],
                created=[_read(t) for t in created],
            )
        )

    return await idempotency.run_once(
        request, user_id=user_id, operation="tasks.bulk", payload=data, work=work
    )


async def task_stats(request: Request) -> Response:
    """Counts of the person's tasks; "today" and "overdue" in the caller's zone."""
    principal = await authorize_owner(request)
    query = read_query(request, StatsQuery)
    zone = caller_zone(request, query.timezone)
    async with read_scope() as db:
        stats = await stats_service.task_stats(
            db, user_id=principal.user.id, zone=zone, now=clock.utcnow()
        )
    return json_response(stats)


TAG = "tasks"
IF_MATCH = {IF_MATCH_HEADER: IF_MATCH_DESCRIPTION}
ETAG = {"ETag": ETAG_DESCRIPTION}
IDEMPOTENCY = {idempotency.HEADER: idempotency.HEADER_DESCRIPTION}
REPLAYED = {idempotency.REPLAYED_HEADER: "true when this is the stored first response."}
TIMEZONE = {TIMEZONE_HEADER: TIMEZONE_DESCRIPTION}
# /tasks/bulk and /tasks/stats come before /tasks/{task_id}, which would otherwise take them.
operations = [
    Operation(
        "GET",
        COLLECTION,
        list_tasks,
        "List your tasks (filters, sync with updatedSince and includeDeleted)",
        TAG,
        query=TaskListQuery,
        response=TaskPage,
        request_headers=TIMEZONE,
    ),
    Operation(
        "POST",
        COLLECTION,
        create_task,
        "Create a task",
        TAG,
        body=TaskCreate,
        response=TaskRead,
        status_code=201,
        errors=(409,),
        request_headers=IDEMPOTENCY,
        response_headers={"Location": "The new task's URL", **ETAG, **REPLAYED},
    ),
    Operation(
        "POST",
        COLLECTION + "/bulk",
        bulk_tasks,
        "Complete, uncomplete, delete, move or tag many tasks at once (all or nothing)",
        TAG,
        body=TaskBulk,
        response=TaskBulkResult,
        errors=(409,),
        request_headers=IDEMPOTENCY,
        response_headers=REPLAYED,
    ),
    Operation(
        "GET",
        COLLECTION + "/stats",
        task_stats,
        "Counts of your tasks",
        TAG,
        query=StatsQuery,
        response=TaskStats,
        request_headers=TIMEZONE,
    ),
    Operation(
        "GET",
        ITEM,
        get_task,
        "Get a task",
        TAG,
        response=TaskRead,
        errors=(404,),
        request_headers={IF_NONE_MATCH_HEADER: IF_NONE_MATCH_DESCRIPTION},
        response_headers=ETAG,
    ),
    Operation(
        "PUT",
        ITEM,
        replace_task,
        "Replace a task",
        TAG,
        body=TaskCreate,
        response=TaskRead,
        errors=(404, 412),
        request_headers=IF_MATCH,
        response_headers=ETAG,
    ),
    Operation(
        "PATCH",
        ITEM,
        patch_task,
        "Change some fields of a task",
        TAG,
        body=TaskPatch,
        response=TaskRead,
        errors=(404, 412),
        request_headers=IF_MATCH,
        response_headers=ETAG,
    ),
    Operation(
        "PATCH",
        ITEM + "/complete",
        complete_task,
        "Toggle or set completion (a recurring task's next occurrence is nextTaskId)",
        TAG,
        body=TaskComplete,
        body_required=False,
        response=TaskRead,
        errors=(404, 412),
        request_headers=IF_MATCH,
        response_headers=ETAG,
    ),
    Operation(
        "DELETE",
        ITEM,
        delete_task,
        "Delete a task (kept as a tombstone for sync)",
        TAG,
        status_code=204,
        errors=(404, 412),
        request_headers=IF_MATCH,
    ),
]
routes = build_routes(operations)
handler = lambda_handler(routes)

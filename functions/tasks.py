"""Tasks under /api/{userId}/tasks."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from shared.application import lambda_handler
from shared.database import session_scope
from shared.http import authorize_owner, json_response, path_id, read_json, read_query
from shared.models import Task
from shared.routing import Operation, build_routes
from shared.schemas import TaskComplete, TaskCreate, TaskListQuery, TaskPage, TaskPatch, TaskRead
from shared.services import tasks as service

COLLECTION = "/api/{user_id}/tasks"
ITEM = COLLECTION + "/{task_id}"


def _read(task: Task) -> TaskRead:
    return TaskRead.model_validate(task, from_attributes=True)


async def list_tasks(request: Request) -> Response:
    """A page of the person's tasks, filtered and sorted."""
    principal = await authorize_owner(request)
    query = read_query(request, TaskListQuery)
    async with session_scope() as db:
        found, next_cursor = await service.list_tasks(db, user_id=principal.user.id, query=query)
        return json_response(TaskPage(items=[_read(t) for t in found], next_cursor=next_cursor))


async def create_task(request: Request) -> Response:
    """Create a task (201 with its Location)."""
    principal = await authorize_owner(request)
    data = await read_json(request, TaskCreate)
    async with session_scope() as db:
        task = await service.create_task(db, user_id=principal.user.id, data=data)
        body = _read(task)
    location = f"/api/{principal.user.id}/tasks/{body.id}"
    return json_response(body, status_code=201, headers={"Location": location})


async def get_task(request: Request) -> Response:
    """One of the person's tasks."""
    principal = await authorize_owner(request)
    task_id = path_id(request, "task_id")
    async with session_scope() as db:
        return json_response(
            _read(await service.get_task(db, user_id=principal.user.id, task_id=task_id))
        )


async def replace_task(request: Request) -> Response:
    """Replace every client-settable field of a task."""
    principal = await authorize_owner(request)
    task_id = path_id(request, "task_id")
    data = await read_json(request, TaskCreate)
    async with session_scope() as db:
        task = await service.replace_task(db, user_id=principal.user.id, task_id=task_id, data=data)
        return json_response(_read(task))


async def patch_task(request: Request) -> Response:
    """Change only the fields sent."""
    principal = await authorize_owner(request)
    task_id = path_id(request, "task_id")
    changes = await read_json(request, TaskPatch)
    async with session_scope() as db:
        task = await service.update_task(
            db, user_id=principal.user.id, task_id=task_id, changes=changes
        )
        return json_response(_read(task))


async def complete_task(request: Request) -> Response:
    """Toggle completion, or set it with {"completed": true|false}."""
    principal = await authorize_owner(request)
    task_id = path_id(request, "task_id")
    body = await read_json(request, TaskComplete, optional=True)
    async with session_scope() as db:
        task = await service.set_completed(
            db, user_id=principal.user.id, task_id=task_id, completed=body.completed
        )
        return json_response(_read(task))


async def delete_task(request: Request) -> Response:
    """Delete a task (204)."""
    principal = await authorize_owner(request)
    task_id = path_id(request, "task_id")
    async with session_scope() as db:
        await service.delete_task(db, user_id=principal.user.id, task_id=task_id)
    return Response(status_code=204)


TAG = "tasks"
operations = [
    Operation(
        "GET",
        COLLECTION,
        list_tasks,
        "List your tasks",
        TAG,
        query=TaskListQuery,
        response=TaskPage,
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
        response_headers={"Location": "The new task's URL"},
    ),
    Operation("GET", ITEM, get_task, "Get a task", TAG, response=TaskRead, errors=(404,)),
    Operation(
        "PUT",
        ITEM,
        replace_task,
        "Replace a task",
        TAG,
        body=TaskCreate,
        response=TaskRead,
        errors=(404,),
    ),
    Operation(
        "PATCH",
        ITEM,
        patch_task,
        "Change some fields of a task",
        TAG,
        body=TaskPatch,
        response=TaskRead,
        errors=(404,),
    ),
    Operation(
        "PATCH",
        ITEM + "/complete",
        complete_task,
        "Toggle or set completion",
        TAG,
        body=TaskComplete,
        body_required=False,
        response=TaskRead,
        errors=(404,),
    ),
    Operation("DELETE", ITEM, delete_task, "Delete a task", TAG, status_code=204, errors=(404,)),
]
routes = build_routes(operations)
handler = lambda_handler(routes)

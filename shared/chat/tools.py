"""The chat's tools: each turns a tool name and its arguments into calls to the task service.

The interpreter and the LLM both end here, and here calls the very same service functions as
the REST handlers, so no business rule is written twice. A tool never raises for something the
person can fix: a missing task or a refused change becomes a result saying so.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Annotated, Any
from zoneinfo import ZoneInfo

import pydantic
from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, model_validator
from pydantic.alias_generators import to_camel
from sqlalchemy.ext.asyncio import AsyncSession

from shared.chat.schemas import storable_text
from shared.errors import ApiError, NotFoundError
from shared.models import Task
from shared.schemas import (
    CategoryName,
    Description,
    EntityId,
    Priority,
    TaskCreate,
    TaskListQuery,
    TaskPatch,
    TaskRead,
    TaskStatus,
    Title,
)
from shared.services import categories as category_service
from shared.services import tasks as task_service
from shared.services.tasks import TaskRow

MIN_YEAR, MAX_YEAR = 1900, 9000
LIST_LIMIT = 100
LIST_SHOWN = 10

_DUE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}(T[0-9]{2}:[0-9]{2})?")


def _check_due(value: str) -> str:
    if not _DUE.fullmatch(value):
        raise ValueError("Give the due date as YYYY-MM-DD or YYYY-MM-DDTHH:MM.")
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError as exc:
        raise ValueError("Not a real date or time.") from exc
    # Far from year 1 and 9999, so that converting to UTC can never overflow.
    if not MIN_YEAR <= parsed.year <= MAX_YEAR:
        raise ValueError(f"Give a year between {MIN_YEAR} and {MAX_YEAR}.")
    return value


Clean = BeforeValidator(storable_text)
LocalDue = Annotated[str, AfterValidator(_check_due)]


class ToolArgs(BaseModel):
    """Arguments of one tool, camelCase on the wire like the rest of the API."""

    model_config = ConfigDict(
        extra="forbid", alias_generator=to_camel, populate_by_name=True, frozen=True
    )


class AddTaskArgs(ToolArgs):
    """Add a new task for the person."""

    title: Annotated[Title, Clean]
    description: Annotated[Description, Clean] | None = None
    due: LocalDue | None = None
    priority: Priority | None = None
    category: Annotated[CategoryName, Clean] | None = None


class ListTasksArgs(ToolArgs):
    """List the person's tasks."""

    status: TaskStatus = "pending"


class TaskIdArgs(ToolArgs):
    """Name one of the person's tasks by id."""

    task_id: EntityId


class UpdateTaskArgs(TaskIdArgs):
    """Change some fields of a task; at least one must be given."""

    title: Annotated[Title, Clean] | None = None
    description: Annotated[Description, Clean] | None = None
    due: LocalDue | None = None
    priority: Priority | None = None

    @model_validator(mode="after")
    def _something_to_change(self) -> UpdateTaskArgs:
        if all(getattr(self, name) is None for name in ("title", "description", "due", "priority")):
            raise ValueError("Give at least one of title, description, due or priority.")
        return self


ARG_MODELS: dict[str, type[ToolArgs]] = {
    "add_task": AddTaskArgs,
    "list_tasks": ListTasksArgs,
    "complete_task": TaskIdArgs,
    "delete_task": TaskIdArgs,
    "update_task": UpdateTaskArgs,
}
TOOL_DESCRIPTIONS = {
    "add_task": "Add a new task. `due` is the person's local date (YYYY-MM-DD) or date and time "
    "(YYYY-MM-DDTHH:MM); `category` is the name of one of their categories.",
    "list_tasks": "List the person's tasks: status `pending`, `completed` or `all`.",
    "complete_task": "Mark one of the person's tasks as done, by its id.",
    "delete_task": "Delete one of the person's tasks, by its id.",
    "update_task": "Change a task's title, description, due (local YYYY-MM-DD or "
    "YYYY-MM-DDTHH:MM) or priority, by its id.",
}


class ToolCallError(ValueError):
    """A tool name nobody knows, or arguments the tool cannot take."""

    def __init__(self, tool: str, problems: str) -> None:
        self.problems = problems
        super().__init__(f"{tool}: {problems}")


@dataclass(frozen=True)
class ToolCall:
    """A validated call of one tool."""

    tool: str
    args: ToolArgs

    def wire_args(self) -> dict[str, Any]:
        """The arguments as the API shows them: camelCase, unset ones left out."""
        return self.args.model_dump(by_alias=True, exclude_none=True)


@dataclass(frozen=True)
class ToolOutcome:
    """What a tool did: the record kept in the conversation and one sentence for the person."""

    tool: str
    args: dict[str, Any]
    result: dict[str, Any]
    summary: str
    task_id: int | None = None

    def record(self) -> dict[str, Any]:
        """The JSON kept in a message's toolCalls and returned to the client."""
        return {"tool": self.tool, "args": self.args, "result": self.result}


def _message(pydantic_message: str) -> str:
    return pydantic_message.removeprefix("Value error, ")


def parse_call(tool: str, args: Any) -> ToolCall:
    """Validate a tool call from the interpreter or the LLM; ToolCallError when it is unusable."""
    model = ARG_MODELS.get(tool)
    if model is None:
        raise ToolCallError(tool, "no such tool")
    if not isinstance(args, dict):
        raise ToolCallError(tool, "arguments must be a JSON object")
    try:
        return ToolCall(tool, model.model_validate(args))
    except pydantic.ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or 'args'}: {_message(e['msg'])}"
            for e in exc.errors(include_url=False, include_input=False)
        )
        raise ToolCallError(tool, problems) from exc


def _parameters(model: type[ToolArgs]) -> dict[str, Any]:
    schema = model.model_json_schema(by_alias=True)
    schema.pop("title", None)
    schema.pop("description", None)
    for prop in schema.get("properties", {}).values():
        prop.pop("title", None)
    schema["additionalProperties"] = False
    return schema


def tool_definitions() -> list[dict[str, Any]]:
    """The five tools as OpenAI-compatible function definitions (JSON-schema parameters)."""
    return [
        {
            "type": "function",
            "function": {
                "name": name,
                "description": TOOL_DESCRIPTIONS[name],
                "parameters": _parameters(model),
            },
        }
        for name, model in ARG_MODELS.items()
    ]


# --- dates, as the person reads and writes them ---


def due_value(due: str, zone: ZoneInfo) -> date | datetime:
    """A tool's local due as the task service takes it.

    `YYYY-MM-DD` is a date: an all-day task. `YYYY-MM-DDTHH:MM` is that wall-clock time in the
    person's zone, an instant the service keeps with its offset.
    """
    if "T" in due:
        return datetime.fromisoformat(due).replace(tzinfo=zone)
    return date.fromisoformat(due)


def describe_due(task: Task | TaskRow, zone: ZoneInfo, *, today: date) -> str:
    """`Fri 6 Mar` (all day) or `Fri 6 Mar 09:00` (local), with the year if not this year's."""
    assert task.due_date is not None
    if task.all_day:
        # An all-day due is a calendar date (kept as midnight UTC), not a moment to convert.
        day: date = task.due_date.date()
        clock_time = ""
    else:
        local = task.due_date.astimezone(zone)
        day, clock_time = local.date(), f" {local:%H:%M}"
    year = f" {day.year}" if day.year != today.year else ""
    return f"{day:%a} {day.day} {day:%b}{year}{clock_time}"


def quoted(title: str) -> str:
    """A title as the replies quote it."""
    return f"\u201c{title}\u201d"


# --- the tools ---


@dataclass(frozen=True)
class ToolContext:
    """Who is asking and where they are: every tool needs both."""

    db: AsyncSession
    user_id: str
    zone: ZoneInfo
    today: date


def _task_json(task: Task) -> dict[str, Any]:
    read = TaskRead.model_validate(task, from_attributes=True)
    return read.model_dump(mode="json", by_alias=True)


def _details(task: Task | TaskRow, ctx: ToolContext) -> list[str]:
    parts = []
    if task.priority == "high":
        parts.append("high priority")
    elif task.priority == "low":
        parts.append("low priority")
    if task.due_date is not None:
        parts.append("due " + describe_due(task, ctx.zone, today=ctx.today))
    return parts


async def _add_task(ctx: ToolContext, call: ToolCall) -> ToolOutcome:
    args = call.args
    assert isinstance(args, AddTaskArgs)
    fields: dict[str, Any] = {"title": args.title, "description": args.description}
    if args.priority is not None:
        fields["priority"] = args.priority
    if args.due is not None:
        fields["due_date"] = due_value(args.due, ctx.zone)
    note = ""
    category_name = None
    if args.category is not None:
        wanted = args.category.casefold()
        found = await category_service.list_categories(ctx.db, user_id=ctx.user_id)
        match = next((c for c in found if c.name.casefold() == wanted), None)
        if match is None:
            note = f" You have no category named {quoted(args.category)}, so it has none."
        else:
            fields["category_id"] = match.id
            category_name = match.name
    task = await task_service.create_task(
        ctx.db, user_id=ctx.user_id, data=TaskCreate.model_validate(fields)
    )
    result: dict[str, Any] = {"ok": True, "task": _task_json(task)}
    if args.category is not None and category_name is None:
        result["unknownCategory"] = args.category
    details = _details(task, ctx)
    if category_name is not None:
        details.append(f"in {category_name}")
    summary = f"Added {quoted(task.title)}" + "".join(f", {d}" for d in details) + "." + note
    return ToolOutcome(call.tool, call.wire_args(), result, summary, task.id)


def _list_line(task: Task | TaskRow, ctx: ToolContext) -> str:
    details = _details(task, ctx)
    if task.completed:
        details.append("done")
    suffix = f" ({', '.join(details)})" if details else ""
    return f"- #{task.id} {task.title}{suffix}"


async def _list_tasks(ctx: ToolContext, call: ToolCall) -> ToolOutcome:
    args = call.args
    assert isinstance(args, ListTasksArgs)
    query = TaskListQuery(status=args.status, sort="dueDate", limit=LIST_LIMIT)
    found, next_cursor = await task_service.list_tasks(
        ctx.db, user_id=ctx.user_id, query=query, zone=ctx.zone
    )
    kind = {"pending": "pending ", "completed": "completed ", "all": ""}[args.status]
    result = {
        "ok": True,
        "count": len(found),
        "more": next_cursor is not None,
        "tasks": [
            {"id": t.id, "title": t.title, "completed": t.completed, "priority": t.priority}
            for t in found
        ],
    }
    if not found:
        summary = f"You have no {kind}tasks."
    else:
        count = f"more than {len(found)}" if next_cursor else str(len(found))
        noun = "task" if len(found) == 1 and not next_cursor else "tasks"
        shown = [_list_line(t, ctx) for t in found[:LIST_SHOWN]]
        hidden = len(found) - len(shown)
        if next_cursor:
            shown.append("…and more.")
        elif hidden:
            shown.append(f"…and {hidden} more.")
        summary = f"You have {count} {kind}{noun}:\n" + "\n".join(shown)
    return ToolOutcome(call.tool, call.wire_args(), result, summary)


async def _complete_task(ctx: ToolContext, call: ToolCall) -> ToolOutcome:
    args = call.args
    assert isinstance(args, TaskIdArgs)
    task = await task_service.get_task(ctx.db, user_id=ctx.user_id, task_id=args.task_id)
    was_done = task.completed
    task = await task_service.set_completed(
        ctx.db, user_id=ctx.user_id, task_id=args.task_id, completed=True
    )
    summary = (
        f"{quoted(task.title)} was already done."
        if was_done
        else f"Marked {quoted(task.title)} as done."
    )
    result = {"ok": True, "task": _task_json(task)}
    return ToolOutcome(call.tool, call.wire_args(), result, summary, task.id)


async def _delete_task(ctx: ToolContext, call: ToolCall) -> ToolOutcome:
    args = call.args
    assert isinstance(args, TaskIdArgs)
    task = await task_service.delete_task(ctx.db, user_id=ctx.user_id, task_id=args.task_id)
    result = {"ok": True, "deleted": {"id": task.id, "title": task.title}}
    return ToolOutcome(call.tool, call.wire_args(), result, f"Deleted {quoted(task.title)}.")


async def _update_task(ctx: ToolContext, call: ToolCall) -> ToolOutcome:
    args = call.args
    assert isinstance(args, UpdateTaskArgs)
    before = await task_service.get_task(ctx.db, user_id=ctx.user_id, task_id=args.task_id)
    old_title = before.title
    fields: dict[str, Any] = {
        name: getattr(args, name)
        for name in ("title", "description", "priority")
        if getattr(args, name) is not None
    }
    if args.due is not None:
        fields["due_date"] = due_value(args.due, ctx.zone)
    task = await task_service.update_task(
        ctx.db,
        user_id=ctx.user_id,
        task_id=args.task_id,
        changes=TaskPatch.model_validate(fields),
    )
    changes = []
    if args.title is not None and task.title != old_title:
        changes.append(f"renamed from {quoted(old_title)}")
    if args.priority is not None:
        changes.append(f"{task.priority} priority")
    if task.due_date is not None and args.due is not None:
        changes.append("due " + describe_due(task, ctx.zone, today=ctx.today))
    if args.description is not None:
        changes.append("new description")
    summary = f"Updated {quoted(task.title)}: {', '.join(changes) or 'no change'}."
    result = {"ok": True, "task": _task_json(task)}
    return ToolOutcome(call.tool, call.wire_args(), result, summary, task.id)


_TOOLS: dict[str, Callable[[ToolContext, ToolCall], Awaitable[ToolOutcome]]] = {
    "add_task": _add_task,
    "list_tasks": _list_tasks,
    "complete_task": _complete_task,
    "delete_task": _delete_task,
    "update_task": _update_task,
}


def _refusal(call: ToolCall, code: str, message: str, summary: str) -> ToolOutcome:
    result = {"ok": False, "error": code, "message": message}
    return ToolOutcome(call.tool, call.wire_args(), result, summary)


async def run_tool(ctx: ToolContext, call: ToolCall) -> ToolOutcome:
    """Run one validated call; what the service refuses comes back as a result, not an error.

    The call runs in a savepoint, so a refusal leaves nothing half-done in the transaction.
    """
    task_id = getattr(call.args, "task_id", None)
    try:
        async with ctx.db.begin_nested():
            return await _TOOLS[call.tool](ctx, call)
    except NotFoundError:
        what = f"task {task_id}" if task_id is not None else "that"
        return _refusal(call, "not_found", "No such task.", f"I couldn't find {what}.")
    except ApiError as exc:
        reasons = "; ".join(d.get("message", "") for d in exc.details) or exc.message
        return _refusal(call, exc.code, reasons, f"I couldn't do that: {reasons}")
    except pydantic.ValidationError as exc:
        reasons = "; ".join(
            _message(e["msg"]) for e in exc.errors(include_url=False, include_input=False)
        )
        return _refusal(call, "validation_error", reasons, f"I couldn't do that: {reasons}")


async def run_tools(ctx: ToolContext, calls: Sequence[ToolCall]) -> list[ToolOutcome]:
    """Run calls one after another, each in its own savepoint."""
    return [await run_tool(ctx, call) for call in calls]

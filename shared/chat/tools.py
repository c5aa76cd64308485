"""The chat's tool registry: one entry per tool, read by the interpreter, the LLM and the spec.

Each :class:`Tool` holds the tool's typed name, its argument model (validated the same way
whoever made the call), its description (the LLM's function description and the table in
specs/chat.md), the task-service function it calls and the code that calls it and words the
reply. The interpreter and the LLM both end here, and here calls the very same service
functions as the REST handlers, so no business rule is written twice. A tool never raises for
something the person can fix: a missing task or a refused change becomes a result saying so.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Annotated, Any, Literal, get_args
from zoneinfo import ZoneInfo

import pydantic
from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, model_validator
from pydantic.alias_generators import to_camel
from sqlalchemy.ext.asyncio import AsyncSession

from shared import clock
from shared.categories import service as category_service
from shared.categories.schemas import CategoryName
from shared.chat.schemas import storable_text
from shared.errors import ApiError, NotFoundError, validation_details
from shared.limits import INSTANT_RANGE, date_in_range
from shared.models import Task
from shared.schemas import EntityId
from shared.tasks import service as task_service
from shared.tasks import stats as stats_service
from shared.tasks.schemas import (
    WEEKDAYS,
    Description,
    Priority,
    Recurrence,
    TaskCreate,
    TaskListQuery,
    TaskPatch,
    TaskRead,
    TaskStatus,
    Title,
)
from shared.tasks.service import TaskRow

ToolName = Literal[
    "add_task", "list_tasks", "complete_task", "reopen_task", "delete_task", "update_task"
]
Repeat = Literal["daily", "weekdays", "weekly", "monthly", "yearly"]
# "every 2 days": REST's recurrence interval, with a repeat only
Interval = Annotated[int, Field(ge=1, le=1000)]

LIST_SHOWN = 20

_DUE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}(T[0-9]{2}:[0-9]{2})?")


def _check_due(value: str) -> str:
    if not _DUE.fullmatch(value):
        raise ValueError("Give the due date as YYYY-MM-DD or YYYY-MM-DDTHH:MM.")
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError as exc:
        raise ValueError("Not a real date or time.") from exc
    # The API's one range (far from year 1 and 9999): converting to UTC can never overflow.
    if not date_in_range(parsed.date()):
        raise ValueError(f"Give a date {INSTANT_RANGE}.")
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
    repeat: Repeat | None = None
    interval: Interval | None = None

    @model_validator(mode="after")
    def _interval_needs_repeat(self) -> AddTaskArgs:
        _check_interval(self.repeat, self.interval)
        return self


def _check_interval(repeat: Repeat | None, interval: int | None) -> None:
    if interval is not None and repeat is None:
        raise ValueError("interval goes with repeat: every N days, weeks, months or years.")


class ListTasksArgs(ToolArgs):
    """List the person's tasks."""

    status: TaskStatus = "pending"


class TaskIdArgs(ToolArgs):
    """Name one of the person's tasks by id."""

    task_id: EntityId


_CHANGES = ("title", "description", "due", "priority", "repeat")


class UpdateTaskArgs(TaskIdArgs):
    """Change some fields of a task; at least one must be given."""

    title: Annotated[Title, Clean] | None = None
    description: Annotated[Description, Clean] | None = None
    due: LocalDue | None = None
    priority: Priority | None = None
    repeat: Repeat | None = None
    interval: Interval | None = None

    @model_validator(mode="after")
    def _something_to_change(self) -> UpdateTaskArgs:
        if all(getattr(self, name) is None for name in _CHANGES):
            raise ValueError("Give at least one of " + ", ".join(_CHANGES) + ".")
        _check_interval(self.repeat, self.interval)
        return self


class ToolCallError(ValueError):
    """A tool name nobody knows, or arguments the tool cannot take."""

    def __init__(self, tool: str, problems: str) -> None:
        self.problems = problems
        super().__init__(f"{tool!r}: {problems}")


@dataclass(frozen=True)
class ToolCall:
    """A validated call of one tool."""

    tool: ToolName
    args: ToolArgs

    def wire_args(self) -> dict[str, Any]:
        """The arguments as the API shows them: camelCase, unset ones left out."""
        return self.args.model_dump(by_alias=True, exclude_none=True)


@dataclass(frozen=True)
class ToolOutcome:
    """What a tool did: the record kept in the conversation and one sentence for the person."""

    tool: ToolName
    args: dict[str, Any]
    result: dict[str, Any]
    summary: str
    task_id: int | None = None

    def record(self) -> dict[str, Any]:
        """The JSON kept in a message's toolCalls and returned to the client."""
        return {"tool": self.tool, "args": self.args, "result": self.result}


# --- dates, as the person reads and writes them ---


def due_value(due: str, zone: ZoneInfo) -> date | datetime:
    """A tool's local due as the task service takes it.

    `YYYY-MM-DD` is a date: an all-day task. `YYYY-MM-DDTHH:MM` is that wall-clock time in the
    person's zone, an instant the service keeps with its offset.
    """
    if "T" in due:
        return datetime.fromisoformat(due).replace(tzinfo=zone)
    return date.fromisoformat(due)


def local_due(due_date: datetime | None, all_day: bool, zone: ZoneInfo) -> date | datetime | None:
    """A stored due as the person reads it: a date (all day) or a naive local date and time."""
    if due_date is None:
        return None
    if all_day:
        # An all-day due is a calendar date (kept as midnight UTC), not a moment to convert.
        return due_date.date()
    return due_date.astimezone(zone).replace(tzinfo=None)


def local_due_text(due_date: datetime | None, all_day: bool, zone: ZoneInfo) -> str | None:
    """:func:`local_due` in the tools' own `due` format (YYYY-MM-DD or YYYY-MM-DDTHH:MM)."""
    due = local_due(due_date, all_day, zone)
    if isinstance(due, datetime):
        return f"{due:%Y-%m-%dT%H:%M}"
    return None if due is None else due.isoformat()


def describe_due(task: Task | TaskRow, zone: ZoneInfo, *, today: date) -> str:
    """`Fri 6 Mar` (all day) or `Fri 6 Mar 09:00` (local), with the year if not this year's."""
    due = local_due(task.due_date, task.all_day, zone)
    assert due is not None
    day = due.date() if isinstance(due, datetime) else due
    clock_time = f" {due:%H:%M}" if isinstance(due, datetime) else ""
    year = f" {day.year}" if day.year != today.year else ""
    return f"{day:%a} {day.day} {day:%b}{year}{clock_time}"


def quoted(title: str) -> str:
    """A title as the replies quote it."""
    return f"\u201c{title}\u201d"


def recurrence_of(repeat: Repeat, interval: int | None = None) -> Recurrence:
    """A chat `repeat` word (and `interval`) as the REST recurrence rule it stands for."""
    every = interval or 1
    if repeat == "weekdays":
        return Recurrence(frequency="weekly", interval=every, weekdays=list(WEEKDAYS[:5]))
    return Recurrence(frequency=repeat, interval=every)


_REPEAT_WORDS: dict[Repeat, str] = {
    "daily": "every day",
    "weekdays": "every weekday",
    "weekly": "every week",
    "monthly": "every month",
    "yearly": "every year",
}
_REPEAT_UNITS: dict[Repeat, str] = {
    "daily": "days", "weekdays": "weeks on weekdays", "weekly": "weeks", "monthly": "months",
    "yearly": "years",
}  # fmt: skip


def repeat_words(repeat: Repeat, interval: int | None) -> str:
    """ "every week", "every 2 weeks": how a reply says a repeat."""
    if interval is None or interval == 1:
        return _REPEAT_WORDS[repeat]
    return f"every {interval} {_REPEAT_UNITS[repeat]}"


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


def _outcome(call: ToolCall, task: Task, summary: str) -> ToolOutcome:
    return ToolOutcome(
        call.tool, call.wire_args(), {"ok": True, "task": _task_json(task)}, summary, task.id
    )


async def _add_task(ctx: ToolContext, call: ToolCall) -> ToolOutcome:
    args = call.args
    assert isinstance(args, AddTaskArgs)
    fields: dict[str, Any] = {"title": args.title, "description": args.description}
    if args.priority is not None:
        fields["priority"] = args.priority
    if args.due is not None:
        fields["due_date"] = due_value(args.due, ctx.zone)
    if args.repeat is not None:
        fields["recurrence"] = recurrence_of(args.repeat, args.interval)
        # A series starts somewhere: with no day said ("weekly"), the first one is today.
        fields.setdefault("due_date", ctx.today)
    note = ""
    category_name = None
    if args.category is not None:
        match = await category_service.find_category(
            ctx.db, user_id=ctx.user_id, name=args.category
        )
        if match is None:
            note = f" You have no category named {quoted(args.category)}, so it has none."
        else:
            fields["category_id"] = match.id
            category_name = match.name
    task = await task_service.create_task(
        ctx.db, user_id=ctx.user_id, data=TaskCreate.model_validate(fields)
    )
    details = _details(task, ctx)
    if args.repeat is not None:
        details.append(repeat_words(args.repeat, args.interval))
    if category_name is not None:
        details.append(f"in {category_name}")
    summary = f"Added {quoted(task.title)}" + "".join(f", {d}" for d in details) + "." + note
    outcome = _outcome(call, task, summary)
    if args.category is not None and category_name is None:
        outcome.result["unknownCategory"] = args.category
    return outcome


def _list_line(task: Task | TaskRow, ctx: ToolContext) -> str:
    details = _details(task, ctx)
    if task.completed:
        details.append("done")
    suffix = f" ({', '.join(details)})" if details else ""
    return f"- #{task.id} {task.title}{suffix}"


async def _list_tasks(ctx: ToolContext, call: ToolCall) -> ToolOutcome:
    args = call.args
    assert isinstance(args, ListTasksArgs)
    query = TaskListQuery(status=args.status, sort="dueDate", limit=LIST_SHOWN)
    found, _ = await task_service.list_tasks(
        ctx.db, user_id=ctx.user_id, query=query, zone=ctx.zone
    )
    stats = await stats_service.task_stats(
        ctx.db, user_id=ctx.user_id, zone=ctx.zone, now=clock.utcnow()
    )
    total = {"pending": stats.pending, "completed": stats.completed, "all": stats.total}
    count = max(total[args.status], len(found))
    kind = {"pending": "pending ", "completed": "completed ", "all": ""}[args.status]
    result = {
        "ok": True,
        "count": count,
        "more": count > len(found),
        "tasks": [
            {"id": t.id, "title": t.title, "completed": t.completed, "priority": t.priority}
            for t in found
        ],
    }
    if not found:
        summary = f"You have no {kind}tasks."
    else:
        lines = [_list_line(t, ctx) for t in found]
        if count > len(found):
            lines.append(f"…and {count - len(found)} more.")
        noun = "task" if count == 1 else "tasks"
        summary = f"You have {count} {kind}{noun}:\n" + "\n".join(lines)
    return ToolOutcome(call.tool, call.wire_args(), result, summary)


async def _set_done(ctx: ToolContext, call: ToolCall, done: bool) -> ToolOutcome:
    args = call.args
    assert isinstance(args, TaskIdArgs)
    task = await task_service.get_task(ctx.db, user_id=ctx.user_id, task_id=args.task_id)
    unchanged = task.completed == done
    task = await task_service.set_completed(
        ctx.db, user_id=ctx.user_id, task_id=args.task_id, completed=done
    )
    if done:
        summary = "{} was already done." if unchanged else "Marked {} as done."
    else:
        summary = "{} was not done yet." if unchanged else "Reopened {}: it is not done any more."
    return _outcome(call, task, summary.format(quoted(task.title)))


async def _complete_task(ctx: ToolContext, call: ToolCall) -> ToolOutcome:
    return await _set_done(ctx, call, True)


async def _reopen_task(ctx: ToolContext, call: ToolCall) -> ToolOutcome:
    return await _set_done(ctx, call, False)


async def _delete_task(ctx: ToolContext, call: ToolCall) -> ToolOutcome:
    args = call.args
    assert isinstance(args, TaskIdArgs)
    task = await task_service.delete_task(ctx.db, user_id=ctx.user_id, task_id=args.task_id)
    result = {"ok": True, "deleted": {"id": task.id, "title": task.title}}
    # No task_id: a deleted task is nothing "it" can refer to any more.
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
    if args.repeat is not None:
        fields["recurrence"] = recurrence_of(args.repeat, args.interval)
        if before.due_date is None:
            fields.setdefault("due_date", ctx.today)
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
    if task.due_date is not None and "due_date" in fields:
        changes.append("due " + describe_due(task, ctx.zone, today=ctx.today))
    if args.repeat is not None:
        changes.append("repeats " + repeat_words(args.repeat, args.interval))
    if args.description is not None:
        changes.append("new description")
    summary = f"Updated {quoted(task.title)}: {', '.join(changes) or 'no change'}."
    return _outcome(call, task, summary)


@dataclass(frozen=True)
class Tool:
    """One thing the assistant can do."""

    name: ToolName
    args: type[ToolArgs]
    description: str
    service_call: str  # the task-service function it calls, for the docs
    run: Callable[[ToolContext, ToolCall], Awaitable[ToolOutcome]]


_DUE_TEXT = "local YYYY-MM-DD, or YYYY-MM-DDTHH:MM when a time of day was said"
TOOLS: dict[ToolName, Tool] = {
    tool.name: tool
    for tool in (
        Tool(
            "add_task",
            AddTaskArgs,
            f"Add a new task. `due` is {_DUE_TEXT}; `category` is the name of one of their "
            "categories; `repeat` makes it recurring (the first occurrence is `due`, or today).",
            "create_task",
            _add_task,
        ),
        Tool(
            "list_tasks",
            ListTasksArgs,
            f"List the person's tasks (the first {LIST_SHOWN} by due date, and how many more): "
            "status `pending`, `completed` or `all`.",
            "list_tasks",
            _list_tasks,
        ),
        Tool(
            "complete_task",
            TaskIdArgs,
            "Mark one of the person's tasks as done, by its id.",
            "set_completed(completed=True)",
            _complete_task,
        ),
        Tool(
            "reopen_task",
            TaskIdArgs,
            "Mark a completed task as not done again, by its id.",
            "set_completed(completed=False)",
            _reopen_task,
        ),
        Tool(
            "delete_task",
            TaskIdArgs,
            "Delete one of the person's tasks, by its id.",
            "delete_task",
            _delete_task,
        ),
        Tool(
            "update_task",
            UpdateTaskArgs,
            f"Change a task's title, description, due ({_DUE_TEXT}), priority or repeat, by "
            "its id.",
            "update_task",
            _update_task,
        ),
    )
}
assert set(TOOLS) == set(get_args(ToolName)), "every tool name has one registry entry"

# The conventions both the LLM prompt and specs/chat.md state.
CONVENTIONS = (
    "`due` is local: YYYY-MM-DD, or YYYY-MM-DDTHH:MM when a time of day was said. A weekday "
    "name means the next such day after today; \"in N days\" counts from today.",
    "`priority` is low, medium or high; urgent and important mean high.",
    "`repeat` is daily, weekdays (Monday to Friday), weekly, monthly or yearly; `interval` N "
    "with it means every N days, weeks, months or years (\"every 2 weeks\").",
    "Moving a task's due date by an amount (\"push it back a day\") keeps its time of day; "
    "with no due date it counts from today.",
    "A title keeps the person's words, without command words, dates, priorities and repeats.",
    "\"it\", \"that\" and \"the last one\" mean the task the conversation last acted on.",
)


def parse_call(tool: str, args: Any) -> ToolCall:
    """Validate a tool call from the interpreter or the LLM; ToolCallError when it is unusable."""
    entry = TOOLS.get(tool)  # type: ignore[call-overload]
    if entry is None:
        raise ToolCallError(tool, "no such tool")
    if not isinstance(args, dict):
        raise ToolCallError(tool, "arguments must be a JSON object")
    try:
        return ToolCall(entry.name, entry.args.model_validate(args))
    except pydantic.ValidationError as exc:
        problems = "; ".join(
            f"{d['field'] or 'args'}: {d['message']}" for d in validation_details(exc)
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
    """Every tool as an OpenAI-compatible function definition (JSON-schema parameters)."""
    return [
        {
            "type": "function",
            "function": {
                "name": tool.name,
                "description": tool.description,
                "parameters": _parameters(tool.args),
            },
        }
        for tool in TOOLS.values()
    ]


def _arg_text(model: type[ToolArgs]) -> str:
    parts = []
    for name, info in model.model_fields.items():
        alias = info.alias or name
        parts.append(f"`{alias}`" if info.is_required() else f"`{alias}`?")
    return ", ".join(parts)


def spec_table() -> str:
    """The tools as the Markdown table in specs/chat.md (a test keeps the two equal)."""
    rows = ["| tool | args | service call | what it does |", "| --- | --- | --- | --- |"]
    rows += [
        f"| `{t.name}` | {_arg_text(t.args)} | `{t.service_call}` | {t.description} |"
        for t in TOOLS.values()
    ]
    rows.append("")
    rows += [f"- {rule}" for rule in CONVENTIONS]
    return "\n".join(rows)


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
            return await TOOLS[call.tool].run(ctx, call)
    except NotFoundError:
        what = f"task {task_id}" if task_id is not None else "that"
        return _refusal(call, "not_found", "No such task.", f"I couldn't find {what}.")
    except ApiError as exc:
        reasons = "; ".join(d.get("message", "") for d in exc.details) or exc.message
        return _refusal(call, exc.code, reasons, f"I couldn't do that: {reasons}")
    except pydantic.ValidationError as exc:
        reasons = "; ".join(d["message"] for d in validation_details(exc))
        return _refusal(call, "validation_error", reasons, f"I couldn't do that: {reasons}")


async def run_tools(ctx: ToolContext, calls: Sequence[ToolCall]) -> list[ToolOutcome]:
    """Run calls one after another, each in its own savepoint."""
    return [await run_tool(ctx, call) for call in calls]

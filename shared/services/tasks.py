"""Tasks: create, read, list, change and delete a person's own tasks."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, case, false, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from shared import clock
from shared.errors import NotFoundError, ValidationError, field_error
from shared.models import Task
from shared.pagination import decode_cursor, encode_cursor
from shared.schemas import TaskCreate, TaskListQuery, TaskPatch
from shared.services.categories import require_own_category

PRIORITY_RANK = {"low": 1, "medium": 2, "high": 3}
# (expression, descending, kind of value) for one ORDER BY term.
SortKey = tuple[Any, bool, str]


async def get_task(db: AsyncSession, *, user_id: str, task_id: int) -> Task:
    """The person's task, or 404 (also when it exists but is someone else's)."""
    task = await db.scalar(select(Task).where(Task.id == task_id, Task.user_id == user_id))
    if task is None:
        raise NotFoundError("No such task.")
    return task


def _apply_completed(task: Task, completed: bool, now: datetime) -> None:
    if completed and not task.completed:
        task.completed_at = now
    elif not completed:
        task.completed_at = None
    task.completed = completed


async def create_task(db: AsyncSession, *, user_id: str, data: TaskCreate) -> Task:
    """Create a task for the person."""
    await require_own_category(db, user_id=user_id, category_id=data.category_id)
    now = clock.utcnow()
    task = Task(
        user_id=user_id,
        title=data.title,
        description=data.description,
        completed=data.completed,
        completed_at=now if data.completed else None,
        priority=data.priority,
        due_date=data.due_date,
        category_id=data.category_id,
        created_at=now,
        updated_at=now,
    )
    db.add(task)
    await db.flush()
    return task


async def replace_task(db: AsyncSession, *, user_id: str, task_id: int, data: TaskCreate) -> Task:
    """PUT: every client-settable field takes the given value or its default."""
    task = await get_task(db, user_id=user_id, task_id=task_id)
    return await _change(db, task, data.model_dump(), user_id=user_id)


async def update_task(db: AsyncSession, *, user_id: str, task_id: int, changes: TaskPatch) -> Task:
    """PATCH: only the fields sent are changed."""
    task = await get_task(db, user_id=user_id, task_id=task_id)
    return await _change(db, task, changes.model_dump(exclude_unset=True), user_id=user_id)


async def set_completed(
    db: AsyncSession, *, user_id: str, task_id: int, completed: bool | None
) -> Task:
    """Mark a task done or not; None toggles."""
    task = await get_task(db, user_id=user_id, task_id=task_id)
    target = (not task.completed) if completed is None else completed
    return await _change(db, task, {"completed": target}, user_id=user_id)


async def _change(db: AsyncSession, task: Task, values: dict[str, Any], *, user_id: str) -> Task:
    if "category_id" in values:
        await require_own_category(db, user_id=user_id, category_id=values["category_id"])
    now = clock.utcnow()
    for name, value in values.items():
        if name == "completed":
            _apply_completed(task, value, now)
        else:
            setattr(task, name, value)
    task.updated_at = now
    await db.flush()
    return task


async def delete_task(db: AsyncSession, *, user_id: str, task_id: int) -> None:
    """Delete the person's task (404 when it is not theirs)."""
    task = await get_task(db, user_id=user_id, task_id=task_id)
    await db.delete(task)
    await db.flush()


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _sort_keys(sort: str) -> list[SortKey]:
    """The ordered (expression, descending, kind) keys of a sort; the id breaks ties."""
    name = sort.lstrip("-")
    descending = sort.startswith("-")
    keys: list[SortKey]
    if name == "dueDate":
        # Tasks with no due date come last whichever way the dates run.
        no_due = case((Task.due_date.is_(None), 1), else_=0)
        keys = [(no_due, False, "int"), (Task.due_date, descending, "datetime")]
    elif name == "priority":
        rank = case(PRIORITY_RANK, value=Task.priority, else_=0)
        keys = [(rank, descending, "int")]
    elif name == "title":
        keys = [(func.lower(Task.title), descending, "str")]
    else:
        keys = [(Task.created_at, descending, "datetime")]
    return [*keys, (Task.id, descending, "int")]


def _key_value(kind: str, value: Any) -> Any:
    if value is None:
        return None
    if kind == "datetime":
        return datetime.fromisoformat(value) if isinstance(value, str) else value
    if kind == "int" and not isinstance(value, int):
        raise TypeError("not an int")
    if kind == "str" and not isinstance(value, str):
        raise TypeError("not a str")
    return value


def _after(keys: list[SortKey], values: list[Any]) -> ColumnElement[bool]:
    """Rows strictly after the cursor in the sort order (a keyset condition)."""
    clauses = []
    for index, (expression, descending, _) in enumerate(keys):
        equal_before = [keys[i][0].is_not_distinct_from(values[i]) for i in range(index)]
        value = values[index]
        if value is None:
            # Nothing is strictly after NULL within its group; only equality moves on.
            continue
        beyond = expression < value if descending else expression > value
        clauses.append(and_(*equal_before, beyond))
    return or_(*clauses) if clauses else false()


def _row_key(task: Task, sort: str) -> list[Any]:
    name = sort.lstrip("-")
    if name == "dueDate":
        due = task.due_date.isoformat() if task.due_date else None
        return [1 if due is None else 0, due, task.id]
    if name == "priority":
        return [PRIORITY_RANK.get(task.priority, 0), task.id]
    if name == "title":
        return [task.title.lower(), task.id]
    return [task.created_at.isoformat(), task.id]


def _filtered(statement: Select[Any], query: TaskListQuery) -> Select[Any]:
    if query.status == "pending":
        statement = statement.where(Task.completed.is_(False))
    elif query.status == "completed":
        statement = statement.where(Task.completed.is_(True))
    if query.priority is not None:
        statement = statement.where(Task.priority == query.priority)
    if query.category_id is not None:
        statement = statement.where(Task.category_id == query.category_id)
    if query.q is not None:
        pattern = f"%{_escape_like(query.q.lower())}%"
        statement = statement.where(
            or_(
                func.lower(Task.title).like(pattern, escape="\\"),
                func.lower(func.coalesce(Task.description, "")).like(pattern, escape="\\"),
            )
        )
    return statement


async def list_tasks(
    db: AsyncSession, *, user_id: str, query: TaskListQuery
) -> tuple[list[Task], str | None]:
    """One page of the person's tasks and the cursor of the next page (None at the end)."""
    keys = _sort_keys(query.sort)
    statement = _filtered(select(Task).where(Task.user_id == user_id), query)
    if query.cursor is not None:
        raw = decode_cursor(query.cursor, query.sort, len(keys))
        try:
            values = [_key_value(kind, v) for (_, _, kind), v in zip(keys, raw, strict=True)]
        except (TypeError, ValueError) as exc:
            raise ValidationError(
                details=[field_error(["query", "cursor"], "Not a cursor from this list.")]
            ) from exc
        statement = statement.where(_after(keys, values))
    ordering = [expr.desc() if desc else expr.asc() for expr, desc, _ in keys]
    rows = list((await db.scalars(statement.order_by(*ordering).limit(query.limit + 1))).all())
    if len(rows) <= query.limit:
        return rows, None
    page = rows[: query.limit]
    return page, encode_cursor(query.sort, _row_key(page[-1], query.sort))

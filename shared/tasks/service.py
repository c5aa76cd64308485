"""Tasks: create, read, list, change, complete, tag, remind and delete a person's own tasks.

Deleting only sets deletedAt (a tombstone for syncing clients); every other read skips deleted
tasks. Every change bumps `version`, which the ETag carries; writes lock the row first, so of
two clients sending the same If-Match exactly one wins.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from functools import cache, lru_cache
from typing import Any, NamedTuple, cast
from zoneinfo import ZoneInfo

from sqlalchemy import (
    ColumnElement,
    Select,
    String,
    Table,
    and_,
    bindparam,
    case,
    func,
    insert,
    inspect,
    or_,
    select,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload

from shared import clock
from shared.categories.service import require_own_category
from shared.database import Reader, attribute_columns, connection_of
from shared.errors import ConflictError, InvalidInputError, NotFoundError, field_error
from shared.etags import EntityTags, entity_tag, require_match
from shared.models import Task, TaskTag
from shared.pagination import (
    Keyset,
    SortKey,
    after_parameters,
    cursor_parameters,
    ordered,
    page_of,
)
from shared.prepared import Prepared, fetch_all, fetch_first
from shared.schemas import changed_fields
from shared.tags.service import tag_names, tagged_with
from shared.tasks.recurrence import kept_reminder, next_due, parse_rule, stored_rule
from shared.tasks.schemas import (
    MAX_TAGS,
    Recurrence,
    TaskBulk,
    TaskCreate,
    TaskListQuery,
    TaskPatch,
)
from shared.timezones import date_as_utc_midnight, start_of_day, today_in, wall_clock

PRIORITY_RANK = {"low": 1, "medium": 2, "high": 3}
# A task as reads return it (shared.prepared's rows): every mapped column by its attribute
# name, plus `tags`, the tag names (unsorted, or None for none).
TaskRow = Any
TASK_COLUMNS = attribute_columns(Task)


def _select_rows() -> Select[Any]:
    return select(*TASK_COLUMNS, tag_names().label("tags"))


def task_etag(task: Task | TaskRow) -> str:
    """The task's current ETag."""
    return entity_tag(task.id, task.version)


# The task with its tags as an ORM object, for changes; built once, values as parameters.
_TASK_ENTITY = (
    select(Task)
    .where(
        Task.id == bindparam("task_id"),
        Task.user_id == bindparam("user_id"),
        Task.deleted_at.is_(None),
    )
    .options(joinedload(Task.tag_rows))
)
# Only the task's row: FOR UPDATE cannot lock the outer-joined side (its tags).
_LOCKED_TASK_ENTITY = _TASK_ENTITY.with_for_update(of=Task).execution_options(
    populate_existing=True
)


async def get_task(db: AsyncSession, *, user_id: str, task_id: int, lock: bool = False) -> Task:
    """The person's task with its tags (one statement), or 404 (also when it is someone
    else's or deleted).

    With lock, the row stays locked until the transaction ends, so a check of its version and
    the change that follows cannot interleave with another writer's.
    """
    statement = _LOCKED_TASK_ENTITY if lock else _TASK_ENTITY
    params = {"task_id": task_id, "user_id": user_id}
    task = (await db.execute(statement, params)).unique().scalar_one_or_none()
    if task is None:
        raise NotFoundError("No such task.")
    return task


TASK_BY_ID = Prepared(
    _select_rows().where(
        Task.id == bindparam("task_id"),
        Task.user_id == bindparam("user_id"),
        Task.deleted_at.is_(None),
    )
)


async def read_task(db: Reader, *, user_id: str, task_id: int) -> TaskRow:
    """The person's task as a read-only row with its tags, or 404 (as get_task)."""
    params = {"task_id": task_id, "user_id": user_id}
    row = await fetch_first(await connection_of(db), TASK_BY_ID, params)
    if row is None:
        raise NotFoundError("No such task.")
    return row


# --- applying values ---


def local_due(task: Task | TaskRow) -> date | datetime | None:
    """The due date as the client gave it: a date, or an instant at its original offset."""
    if task.due_date is None:
        return None
    if task.all_day:
        return task.due_date.date()
    return task.due_date.astimezone(timezone(timedelta(seconds=task.due_offset_seconds or 0)))


def _local_due_date(task: Task) -> date | None:
    due = local_due(task)
    return due.date() if isinstance(due, datetime) else due


def _set_completed(task: Task, completed: bool, now: datetime) -> bool:
    if completed == task.completed:
        return False
    task.completed = completed
    task.completed_at = now if completed else None
    return True


def _set_due(task: Task, value: date | datetime | None) -> bool:
    if value is None:
        new: tuple[datetime | None, bool, int | None] = (None, False, None)
    elif isinstance(value, datetime):
        offset = value.utcoffset()
        assert offset is not None, "the schema only lets aware instants through"
        new = (value.astimezone(UTC), False, int(offset.total_seconds()))
    else:
        new = (date_as_utc_midnight(value), True, None)
    if new == (task.due_date, task.all_day, task.due_offset_seconds):
        return False
    task.due_date, task.all_day, task.due_offset_seconds = new
    return True


def _set_tags(task: Task, names: list[str]) -> bool:
    wanted = {name.lower(): name for name in names}
    current = {row.name.lower(): row for row in task.tag_rows}
    if {key: row.name for key, row in current.items()} == wanted:
        return False
    # Rows whose tag stays are kept (respelt if need be), so no insert ever collides with a
    # row about to be deleted under the unique (taskId, lower(name)) index.
    for key, row in current.items():
        if key in wanted:
            row.name = wanted[key]
    task.tag_rows = [row for key, row in current.items() if key in wanted] + [
        TaskTag(user_id=task.user_id, name=name)
        for key, name in wanted.items()
        if key not in current
    ]
    return True


def _set_recurrence(task: Task, value: Recurrence | dict[str, Any] | None) -> bool:
    stored = None if value is None else stored_rule(Recurrence.model_validate(value))
    if stored == task.recurrence:
        return False
    task.recurrence = stored
    return True


def _set_remind_at(task: Task, value: datetime | None) -> bool:
    if value == task.remind_at:
        return False
    task.remind_at = value
    # A new reminder time is a new reminder: it has not been acknowledged yet.
    task.reminder_acknowledged_at = None
    return True


def _assign(task: Task, values: dict[str, Any], now: datetime) -> bool:
    """Apply client values to the task; True when anything actually changed."""
    changed = False
    due_before = _local_due_date(task)
    recurrence_changed = False
    for name, value in values.items():
        if name == "completed":
            changed |= _set_completed(task, value, now)
        elif name == "due_date":
            changed |= _set_due(task, value)
        elif name == "tags":
            changed |= _set_tags(task, value)
        elif name == "recurrence":
            recurrence_changed = _set_recurrence(task, value)
            changed |= recurrence_changed
        elif name == "remind_at":
            changed |= _set_remind_at(task, value)
        elif getattr(task, name) != value:
            setattr(task, name, value)
            changed = True
    due = _local_due_date(task)
    if task.recurrence is None or due is None:
        task.recurrence_day = None
    elif recurrence_changed or due != due_before or task.recurrence_day is None:
        # The series' day of month is set whenever a client sets its date or its rule.
        task.recurrence_day = due.day
    _check_recurrence(task)
    return changed


def _check_recurrence(task: Task) -> None:
    if task.recurrence is None:
        return
    due = _local_due_date(task)
    if due is None:
        raise InvalidInputError(
            details=[field_error(["recurrence"], "A recurring task needs a dueDate.")]
        )
    until = parse_rule(task.recurrence).until
    if until is not None and until < due:
        raise InvalidInputError(
            details=[field_error(["recurrence", "until"], "Must not be before the dueDate.")]
        )


async def _spawn_next(db: AsyncSession, task: Task, now: datetime) -> Task | None:
    """Create the occurrence after a recurring task's (None past its `until`)."""
    assert task.recurrence is not None and task.due_date is not None
    due = local_due(task)
    assert due is not None
    following = next_due(due, parse_rule(task.recurrence), task.recurrence_day)
    if following is None:
        return None
    if isinstance(following, datetime):
        following_due = following.astimezone(UTC)
    else:
        following_due = date_as_utc_midnight(following)
    successor = Task(
        user_id=task.user_id,
        title=task.title,
        description=task.description,
        completed=False,
        completed_at=None,
        priority=task.priority,
        due_date=following_due,
        all_day=task.all_day,
        due_offset_seconds=task.due_offset_seconds,
        category_id=task.category_id,
        recurrence=dict(task.recurrence),
        recurrence_day=task.recurrence_day,
        remind_at=kept_reminder(task.remind_at, task.due_date, following_due),
        reminder_acknowledged_at=None,
        version=1,
        created_at=now,
        updated_at=now,
        tag_rows=[TaskTag(user_id=task.user_id, name=row.name) for row in task.tag_rows],
    )
    db.add(successor)
    await db.flush()
    task.next_task_id = successor.id
    return successor


async def _change(
    db: AsyncSession,
    task: Task,
    values: dict[str, Any],
    *,
    user_id: str,
) -> tuple[Task, Task | None]:
    """Apply values to a locked task; returns it and the next occurrence, if one was created.

    Completing a recurring task creates its next occurrence once: a task that already has a
    successor (completed, uncompleted and completed again) does not get another.
    """
    if "category_id" in values:
        await require_own_category(db, user_id=user_id, category_id=values["category_id"])
    now = clock.utcnow()
    was_completed = task.completed
    successor = None
    if _assign(task, values, now):
        if (
            task.completed
            and not was_completed
            and task.recurrence is not None
            and task.next_task_id is None
        ):
            successor = await _spawn_next(db, task, now)
        _touch(task, now)
    await db.flush()
    return task, successor


def _touch(task: Task, now: datetime) -> None:
    task.version += 1
    task.updated_at = now


async def _stamp(db: AsyncSession, task: Task, field: str) -> Task:
    """Set one of the task's instants (deletedAt, reminderAcknowledgedAt) to now, as a change:
    a new version."""
    now = clock.utcnow()
    setattr(task, field, now)
    _touch(task, now)
    await db.flush()
    return task


async def _locked(
    db: AsyncSession, *, user_id: str, task_id: int, expected: EntityTags | None
) -> Task:
    """The person's task, locked for a change, once it is the version the caller expects
    (412 otherwise; no precondition, any version)."""
    task = await get_task(db, user_id=user_id, task_id=task_id, lock=True)
    require_match(expected, task_etag(task))
    return task


# --- the service's entry points ---


def is_one_statement(data: TaskCreate) -> bool:
    """Whether creating this task writes one statement, the task's INSERT: tags are a second
    statement, and a category is checked before it."""
    return not data.tags and data.category_id is None


async def create_task(db: Reader, *, user_id: str, data: TaskCreate) -> Task:
    """Create a task for the person: in the session's transaction or, when the create is one
    statement (is_one_statement), on a connection in autocommit."""
    await require_own_category(db, user_id=user_id, category_id=data.category_id)
    now = clock.utcnow()
    task = Task(
        user_id=user_id,
        title=data.title,
        description=data.description,
        completed=data.completed,
        completed_at=now if data.completed else None,
        priority=data.priority,
        due_date=None,
        all_day=False,
        due_offset_seconds=None,
        category_id=data.category_id,
        recurrence=None,
        recurrence_day=None,
        remind_at=data.remind_at,
        reminder_acknowledged_at=None,
        version=1,
        created_at=now,
        updated_at=now,
        tag_rows=[],
    )
    _assign(
        task,
        {"due_date": data.due_date, "tags": data.tags, "recurrence": data.recurrence},
        now,
    )
    await _insert(db, task)
    return task


# A new task's row: every mapped column but the id the database assigns, as (attribute,
# column key) pairs, and the statement that writes it, built once.
_INSERTED_COLUMNS = tuple(
    (prop.key, prop.columns[0].key) for prop in inspect(Task).column_attrs if prop.key != "id"
)
_TASK_TABLE = cast(Table, Task.__table__)
_TASK_TAG_TABLE = cast(Table, TaskTag.__table__)
_TASK_INSERT = insert(_TASK_TABLE).returning(_TASK_TABLE.c.id)


async def _insert(db: Reader, task: Task) -> None:
    """Write a new task (and its tags) with Core inserts; the task gets its id.

    The ORM's flush of one new object (its unit of work, events and identity map) cost more
    CPU than the rest of a create request. The task stays a plain object, outside the session,
    which is all a create's response and the chat's reply read.
    """
    connection = await connection_of(db)
    values = {column: getattr(task, attribute) for attribute, column in _INSERTED_COLUMNS}
    task.id = (await connection.execute(_TASK_INSERT, values)).scalar_one()
    if task.tag_rows:
        rows = [{"taskId": task.id, "userId": task.user_id, "name": r.name} for r in task.tag_rows]
        await connection.execute(insert(_TASK_TAG_TABLE).values(rows))


async def update_task(
    db: AsyncSession,
    *,
    user_id: str,
    task_id: int,
    changes: TaskCreate | TaskPatch,
    expected: EntityTags | None = None,
) -> Task:
    """Change a task: a TaskCreate replaces every client-settable field (PUT), a TaskPatch
    changes the fields sent (PATCH)."""
    task = await _locked(db, user_id=user_id, task_id=task_id, expected=expected)
    return (await _change(db, task, changed_fields(changes), user_id=user_id))[0]


async def set_completed(
    db: AsyncSession,
    *,
    user_id: str,
    task_id: int,
    completed: bool | None,
    expected: EntityTags | None = None,
) -> Task:
    """Mark a task done or not; None toggles. Completing a recurring task creates the next."""
    task = await _locked(db, user_id=user_id, task_id=task_id, expected=expected)
    target = (not task.completed) if completed is None else completed
    return (await _change(db, task, {"completed": target}, user_id=user_id))[0]


async def delete_task(
    db: AsyncSession, *, user_id: str, task_id: int, expected: EntityTags | None = None
) -> Task:
    """Delete the person's task (404 when it is not theirs): it becomes a tombstone."""
    task = await _locked(db, user_id=user_id, task_id=task_id, expected=expected)
    return await _stamp(db, task, "deleted_at")


async def acknowledge_reminder(
    db: AsyncSession, *, user_id: str, task_id: int, expected: EntityTags | None = None
) -> Task:
    """Mark the task's reminder seen, so it leaves the due reminders; 409 without one."""
    task = await _locked(db, user_id=user_id, task_id=task_id, expected=expected)
    if task.remind_at is None:
        raise ConflictError("This task has no reminder to acknowledge.")
    if task.reminder_acknowledged_at is None:
        await _stamp(db, task, "reminder_acknowledged_at")
    return task


async def list_reminders(
    db: AsyncSession, *, user_id: str, before: datetime, limit: int
) -> list[Task]:
    """Open tasks whose unacknowledged reminder falls before `before`, earliest first."""
    statement = (
        select(Task)
        .where(
            Task.user_id == user_id,
            Task.deleted_at.is_(None),
            Task.completed.is_(False),
            Task.remind_at < before,
            Task.reminder_acknowledged_at.is_(None),
        )
        .order_by(Task.remind_at, Task.id)
        .limit(limit)
    )
    return list((await db.scalars(statement)).all())


async def bulk_change(
    db: AsyncSession, *, user_id: str, data: TaskBulk
) -> tuple[list[Task], list[Task]]:
    """Apply one action to every task named, all or nothing.

    Returns the tasks in the order named and the next occurrences that completing created.
    A task that is not the person's (or is deleted) is a 422 naming it, and nothing changes.
    """
    rows = await db.scalars(
        select(Task)
        .where(Task.user_id == user_id, Task.id.in_(data.ids), Task.deleted_at.is_(None))
        .order_by(Task.id)  # one lock order for every request, so two bulks cannot deadlock
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    found = {task.id: task for task in rows}
    missing = [index for index, task_id in enumerate(data.ids) if task_id not in found]
    if missing:
        raise InvalidInputError(
            details=[field_error(["ids", i], "No such task of yours.") for i in missing]
        )
    if data.action == "move":
        await require_own_category(db, user_id=user_id, category_id=data.category_id)
    now = clock.utcnow()
    created: list[Task] = []
    for task_id in data.ids:
        task = found[task_id]
        if data.action == "delete":
            task.deleted_at = now
            _touch(task, now)
            continue
        values: dict[str, Any]
        if data.action in ("complete", "uncomplete"):
            values = {"completed": data.action == "complete"}
        elif data.action == "move":
            values = {"category_id": data.category_id}
        else:
            merged: dict[str, str] = {}
            for name in [*task.tags, *(data.tags or [])]:
                merged.setdefault(name.lower(), name)  # a tag it already has keeps its spelling
            names = list(merged.values())
            if len(names) > MAX_TAGS:
                problem = f"Task {task_id} would have more than {MAX_TAGS}."
                raise InvalidInputError(details=[field_error(["tags"], problem)])
            values = {"tags": names}
        _, successor = await _change(db, task, values, user_id=user_id)
        if successor is not None:
            created.append(successor)
    await db.flush()
    return [found[task_id] for task_id in data.ids], created


# --- due-date conditions (shared with the stats) ---
# They compare with named parameters, so that the statements using them are built once
# (shared.prepared); the *_parameters() functions give the values for a zone and a moment.


def _due_before(bound: str) -> ColumnElement[bool]:
    # An all-day date counts as the start of that day on the caller's wall clock.
    return or_(
        and_(Task.all_day.is_(False), Task.due_date < bindparam(bound)),
        and_(Task.all_day.is_(True), Task.due_date < bindparam(f"{bound}_wall")),
    )


def _due_from(bound: str) -> ColumnElement[bool]:
    return or_(
        and_(Task.all_day.is_(False), Task.due_date >= bindparam(bound)),
        and_(Task.all_day.is_(True), Task.due_date >= bindparam(f"{bound}_wall")),
    )


def _bound_parameters(bound: str, instant: datetime, zone: ZoneInfo) -> dict[str, datetime]:
    return {bound: instant, f"{bound}_wall": wall_clock(instant, zone)}


def _bound(value: date | datetime, zone: ZoneInfo) -> datetime:
    return value if isinstance(value, datetime) else start_of_day(value, zone)


def due_on_days(name: str) -> ColumnElement[bool]:
    """Due within the days that due_on_days_parameters(name, ...) gives."""
    return and_(_due_from(f"{name}_start"), _due_before(f"{name}_end"))


def due_on_days_parameters(name: str, first: date, days: int, zone: ZoneInfo) -> dict[str, Any]:
    """Values for due_on_days(name): `days` calendar days from `first`, in the caller's zone."""
    return {
        **_bound_parameters(f"{name}_start", start_of_day(first, zone), zone),
        **_bound_parameters(f"{name}_end", start_of_day(first + timedelta(days=days), zone), zone),
    }


def overdue() -> ColumnElement[bool]:
    """Not completed and due before now; an all-day task only once its date is past."""
    return and_(
        Task.completed.is_(False),
        or_(
            and_(Task.all_day.is_(False), Task.due_date < bindparam("now")),
            and_(Task.all_day.is_(True), Task.due_date < bindparam("today_midnight")),
        ),
    )


def overdue_parameters(zone: ZoneInfo, now: datetime) -> dict[str, datetime]:
    """Values for overdue()."""
    return {"now": now, "today_midnight": date_as_utc_midnight(today_in(zone, now))}


def _due_window(window: str) -> ColumnElement[bool]:
    return overdue() if window == "overdue" else due_on_days("window")


def _due_window_parameters(window: str, zone: ZoneInfo, now: datetime) -> dict[str, Any]:
    if window == "overdue":
        return overdue_parameters(zone, now)
    today = today_in(zone, now)
    if window == "tomorrow":
        return due_on_days_parameters("window", today + timedelta(days=1), 1, zone)
    return due_on_days_parameters("window", today, 7 if window == "week" else 1, zone)


# --- listing ---


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


@cache
def _keyset(sort: str) -> Keyset:
    """The keys of a sort, the id breaking ties; a cursor is only good for its own sort."""
    name = sort.lstrip("-")
    descending = sort.startswith("-")
    keys: list[SortKey]
    if name == "dueDate":
        # Tasks with no due date come last whichever way the dates run.
        no_due = case((Task.due_date.is_(None), 1), else_=0)
        keys = [
            SortKey(no_due, lambda t: int(t.due_date is None), "int", maximum=1),
            SortKey(Task.due_date, lambda t: t.due_date, "instant", descending, nullable=True),
        ]
    elif name == "priority":
        rank = case(PRIORITY_RANK, value=Task.priority, else_=0)
        keys = [
            SortKey(rank, lambda t: PRIORITY_RANK.get(t.priority, 0), "int", descending, maximum=3)
        ]
    elif name == "title":
        keys = [SortKey(func.lower(Task.title), lambda t: t.title.lower(), "text", descending)]
    elif name == "updatedAt":
        keys = [SortKey(Task.updated_at, lambda t: t.updated_at, "instant", descending)]
    else:
        keys = [SortKey(Task.created_at, lambda t: t.created_at, "instant", descending)]
    tie = SortKey(Task.id, lambda t: t.id, "int", descending, minimum=1)
    return Keyset(f"tasks:{sort}", [*keys, tie])


class _ListShape(NamedTuple):
    """What decides a list statement's SQL (its values are parameters): which filters are
    given, the sort, and which of a cursor's values are NULL (None without a cursor)."""

    include_deleted: bool
    status: str
    priority: bool
    category: bool
    search: bool
    tags: int
    due: str | None
    due_before: bool
    due_after: bool
    updated_since: bool
    sort: str
    cursor_nulls: tuple[bool, ...] | None


@lru_cache(maxsize=256)
def _list_statement(shape: _ListShape) -> Prepared:
    """The list statement of a shape, built once (parameters named as in list_tasks)."""
    statement = _select_rows().where(Task.user_id == bindparam("user_id"))
    if not shape.include_deleted:
        statement = statement.where(Task.deleted_at.is_(None))
    if shape.status == "pending":
        statement = statement.where(Task.completed.is_(False))
    elif shape.status == "completed":
        statement = statement.where(Task.completed.is_(True))
    if shape.priority:
        statement = statement.where(Task.priority == bindparam("priority"))
    if shape.category:
        statement = statement.where(Task.category_id == bindparam("category_id"))
    if shape.search:
        pattern = bindparam("pattern", type_=String)
        statement = statement.where(
            or_(
                func.lower(Task.title).like(pattern, escape="\\"),
                func.lower(func.coalesce(Task.description, "")).like(pattern, escape="\\"),
            )
        )
    for index in range(shape.tags):
        statement = statement.where(tagged_with(bindparam(f"tag{index}", type_=String)))
    if shape.due is not None:
        statement = statement.where(_due_window(shape.due))
    if shape.due_before:
        statement = statement.where(_due_before("due_before"))
    if shape.due_after:
        statement = statement.where(_due_from("due_after"))
    if shape.updated_since:
        # At or after: a sync that repeats a change is harmless, one that misses it is not.
        statement = statement.where(Task.updated_at >= bindparam("updated_since"))
    keyset = _keyset(shape.sort)
    if shape.cursor_nulls is not None:
        statement = statement.where(after_parameters(keyset.keys, shape.cursor_nulls))
    return Prepared(ordered(statement, keyset).limit(bindparam("page_limit")))


def _list_parameters(
    query: TaskListQuery, zone: ZoneInfo, keyset: Keyset
) -> tuple[_ListShape, dict[str, Any]]:
    """The shape of the list statement a query needs, and its parameters' values."""
    values: dict[str, Any] = {"page_limit": query.limit + 1}
    if query.priority is not None:
        values["priority"] = query.priority
    if query.category_id is not None:
        values["category_id"] = query.category_id
    if query.q is not None:
        values["pattern"] = f"%{_escape_like(query.q.lower())}%"
    tags = query.tag or []
    for index, tag in enumerate(tags):
        values[f"tag{index}"] = tag.lower()
    if query.due is not None:
        values.update(_due_window_parameters(query.due, zone, clock.utcnow()))
    if query.due_before is not None:
        values.update(_bound_parameters("due_before", _bound(query.due_before, zone), zone))
    if query.due_after is not None:
        values.update(_bound_parameters("due_after", _bound(query.due_after, zone), zone))
    if query.updated_since is not None:
        values["updated_since"] = query.updated_since
    cursor_nulls = None
    if query.cursor is not None:
        cursor_nulls, cursor_values = cursor_parameters(query.cursor, keyset)
        values.update(cursor_values)
    shape = _ListShape(
        include_deleted=query.include_deleted,
        status=query.status,
        priority=query.priority is not None,
        category=query.category_id is not None,
        search=query.q is not None,
        tags=len(tags),
        due=query.due,
        due_before=query.due_before is not None,
        due_after=query.due_after is not None,
        updated_since=query.updated_since is not None,
        sort=query.sort,
        cursor_nulls=cursor_nulls,
    )
    return shape, values


async def list_tasks(
    db: Reader, *, user_id: str, query: TaskListQuery, zone: ZoneInfo | None = None
) -> tuple[list[TaskRow], str | None]:
    """One page of the person's tasks (read-only rows with their tags, in one statement) and
    the cursor of the next page (None at the end).

    Day-based filters use `zone`, else the query's `timezone` (a checked TimeZoneName), else UTC.
    """
    if zone is None:
        zone = ZoneInfo(query.timezone or "UTC")
    keyset = _keyset(query.sort)
    shape, values = _list_parameters(query, zone, keyset)
    values["user_id"] = user_id
    rows = list(await fetch_all(await connection_of(db), _list_statement(shape), values))
    return page_of(rows, keyset=keyset, limit=query.limit)


async def recent_task_heads(db: AsyncSession, *, user_id: str, limit: int) -> list[Any]:
    """The person's most recent tasks (deleted ones excluded), newest first, as light rows.

    Only `id`, `title`, `completed`, `priority`, `due_date` and `all_day`: the chat reads
    hundreds of tasks for every message, and full task objects would cost it tens of ms.
    """
    statement = (
        select(Task.id, Task.title, Task.completed, Task.priority, Task.due_date, Task.all_day)
        .where(Task.user_id == user_id, Task.deleted_at.is_(None))
        .order_by(Task.created_at.desc(), Task.id.desc())
        .limit(limit)
    )
    return list((await db.execute(statement)).all())

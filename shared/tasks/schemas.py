"""Wire models of tasks, their bulk actions, reminders and counts."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)

from shared.pagination import ItemList, Page
from shared.schemas import (
    NO_NUL,
    NOT_BLANK,
    ApiModel,
    CalendarDate,
    DateOrInstant,
    EntityId,
    PatchModel,
    QueryBool,
    QueryModel,
    RequestModel,
    SearchText,
    Storable,
    UtcInstant,
    whole_number,
)
from shared.timezones import TIMEZONE_PARAMETER_DESCRIPTION, TimeZoneName

Priority = Literal["low", "medium", "high"]
TaskStatus = Literal["all", "pending", "completed"]
TaskSort = Literal[
    "createdAt",
    "-createdAt",
    "dueDate",
    "-dueDate",
    "priority",
    "-priority",
    "title",
    "-title",
    "updatedAt",
    "-updatedAt",
]
DueWindow = Literal["today", "tomorrow", "overdue", "week"]
Frequency = Literal["daily", "weekly", "monthly", "yearly"]
Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
WEEKDAYS: tuple[Weekday, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
BulkAction = Literal["complete", "uncomplete", "delete", "move", "tag"]
MAX_TAGS = 20
MAX_BULK_IDS = 200


Title = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200), Storable, NOT_BLANK
]
Description = Annotated[str, StringConstraints(max_length=2000), Storable, NO_NUL]


def _distinct_tags(tags: list[str]) -> list[str]:
    # Tags compare case-insensitively; the first spelling given is the one kept.
    seen: dict[str, str] = {}
    for tag in tags:
        seen.setdefault(tag.lower(), tag)
    return list(seen.values())


TagName = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=50), Storable, NOT_BLANK
]
Tags = Annotated[list[TagName], Field(max_length=MAX_TAGS), AfterValidator(_distinct_tags)]


DUE_DATE_DESCRIPTION = (
    "An instant with a zone offset (2026-03-05T09:00:00+01:00), returned with the same offset, "
    "or a date alone (2026-03-05) for an all-day task, returned as a date with allDay true."
)


def _weekdays_only_weekly(schema: dict[str, Any]) -> None:
    # The rule of _weekdays_fit below, for clients and schema-driven tools.
    schema["anyOf"] = [
        {"properties": {"frequency": {"const": "weekly"}}},
        {"properties": {"weekdays": {"type": "null"}}},
    ]


class Recurrence(ApiModel):
    """How a task repeats: completing one occurrence creates the next (none past `until`, nor
    past the supported years)."""

    model_config = ConfigDict(extra="forbid", strict=True, json_schema_extra=_weekdays_only_weekly)

    frequency: Frequency
    interval: Annotated[int, Field(ge=1, le=1000), BeforeValidator(whole_number)] = 1
    weekdays: (
        Annotated[
            list[Weekday],
            Field(min_length=1, max_length=7, json_schema_extra={"uniqueItems": True}),
        ]
        | None
    ) = Field(default=None, description="Weekly only: the days of the week it falls on.")
    until: CalendarDate | None = Field(
        default=None, description="The last date an occurrence may fall on."
    )

    @model_validator(mode="after")
    def _weekdays_fit(self) -> Recurrence:
        if self.weekdays is not None:
            if self.frequency != "weekly":
                raise ValueError("weekdays can only be given with frequency weekly")
            if len(set(self.weekdays)) != len(self.weekdays):
                raise ValueError("weekdays must not repeat")
            self.weekdays = sorted(self.weekdays, key=WEEKDAYS.index)
        return self


def _recurrence_needs_due_date(schema: dict[str, Any]) -> None:
    # The rule the service enforces (a recurring task needs a dueDate), for clients and
    # schema-driven tools.
    schema["anyOf"] = [
        {"properties": {"recurrence": {"type": "null"}}},
        {"required": ["dueDate"], "properties": {"dueDate": {"not": {"type": "null"}}}},
    ]


class TaskCreate(RequestModel):
    """A new task, or the full replacement of one (PUT)."""

    model_config = ConfigDict(json_schema_extra=_recurrence_needs_due_date)

    title: Title
    description: Description | None = None
    completed: bool = False
    priority: Priority = "medium"
    due_date: DateOrInstant | None = Field(default=None, description=DUE_DATE_DESCRIPTION)
    category_id: EntityId | None = None
    tags: Tags = Field(default_factory=list, description="Up to 20, compared case-insensitively.")
    recurrence: Recurrence | None = Field(default=None, description="Needs a dueDate.")
    remind_at: UtcInstant | None = None


class TaskPatch(PatchModel):
    """Some fields of a task; only the fields sent are changed."""

    not_null = ("title", "completed", "priority", "tags")

    title: Title | None = None
    description: Description | None = None
    completed: bool | None = None
    priority: Priority | None = None
    due_date: DateOrInstant | None = Field(default=None, description=DUE_DATE_DESCRIPTION)
    category_id: EntityId | None = None
    tags: Tags | None = None
    recurrence: Recurrence | None = None
    remind_at: UtcInstant | None = None


class TaskComplete(RequestModel):
    """Body of /complete: omit it (or `completed`) to toggle."""

    completed: bool | None = None


def _shown_due(task: Any) -> date | datetime | None:
    due: datetime | None = task.due_date
    if due is None:
        return None
    if task.all_day:
        return due.date()
    return due.astimezone(timezone(timedelta(seconds=task.due_offset_seconds or 0)))


class TaskRead(ApiModel):
    """A task as every endpoint returns it (also built straight from a Task row)."""

    id: int
    user_id: str
    title: str
    description: str | None
    completed: bool
    completed_at: datetime | None
    priority: Priority
    due_date: date | datetime | None = Field(description=DUE_DATE_DESCRIPTION)
    all_day: bool
    category_id: int | None
    tags: list[str]
    recurrence: Recurrence | None
    remind_at: datetime | None
    reminder_acknowledged_at: datetime | None
    next_task_id: int | None = Field(
        description="Set once this occurrence of a recurring task was completed: the next one."
    )
    version: int = Field(description='Bumped on every change; the ETag is "<id>-<version>".')
    deleted_at: datetime | None = Field(description="Set on tombstones (includeDeleted=true).")
    created_at: datetime
    updated_at: datetime

    @model_validator(mode="before")
    @classmethod
    def _from_row(cls, data: Any) -> Any:
        # A Task row keeps the due date in UTC plus the offset it was given with; the wire
        # shows it as given (or as a date for all-day tasks).
        if isinstance(data, dict):
            return data
        fields = {name: getattr(data, name) for name in cls.model_fields if name != "due_date"}
        fields["due_date"] = _shown_due(data)
        return fields


class TaskListQuery(QueryModel):
    status: TaskStatus = "all"
    priority: Priority | None = None
    category_id: EntityId | None = None
    q: SearchText | None = None
    tag: Annotated[list[TagName], Field(max_length=MAX_TAGS)] | None = Field(
        default=None, description="Repeat to require several tags (all must match)."
    )
    due: DueWindow | None = Field(
        default=None,
        description="today, tomorrow or week (today and the 6 days after) in the caller's zone; "
        "overdue: not completed and due before now (all-day: before today).",
    )
    due_before: DateOrInstant | None = Field(
        default=None, description="Due strictly before this instant or date (caller's zone)."
    )
    due_after: DateOrInstant | None = Field(
        default=None, description="Due at or after this instant or date (caller's zone)."
    )
    updated_since: UtcInstant | None = Field(
        default=None, description="Changed at or after this instant (for sync)."
    )
    include_deleted: QueryBool = Field(
        default=False, description="Include deleted tasks as tombstones (deletedAt set)."
    )
    timezone: TimeZoneName | None = Field(default=None, description=TIMEZONE_PARAMETER_DESCRIPTION)
    sort: TaskSort = "-createdAt"
    limit: Annotated[int, Field(ge=1, le=100)] = 50
    cursor: Annotated[str, StringConstraints(max_length=500)] | None = None


TaskPage = Page[TaskRead]


def _bulk_fields_per_action(schema: dict[str, Any]) -> None:
    # The rules of _fields_fit_action below, for clients and schema-driven tools.
    no_move = {"not": {"required": ["categoryId"]}}
    no_tags = {"not": {"required": ["tags"]}}
    schema["oneOf"] = [
        {
            "properties": {"action": {"enum": ["complete", "uncomplete", "delete"]}},
            "allOf": [no_move, no_tags],
        },
        {"properties": {"action": {"const": "move"}}, "required": ["categoryId"], **no_tags},
        {
            "properties": {"action": {"const": "tag"}, "tags": {"type": "array", "minItems": 1}},
            "required": ["tags"],
            **no_move,
        },
    ]


class TaskBulk(RequestModel):
    """One action applied to many tasks, all or nothing."""

    model_config = ConfigDict(json_schema_extra=_bulk_fields_per_action)

    action: BulkAction
    ids: Annotated[list[EntityId], Field(min_length=1, max_length=MAX_BULK_IDS)]
    category_id: EntityId | None = Field(
        default=None, description="move only: the target category, or null for none."
    )
    tags: Tags | None = Field(default=None, description="tag only: tags added to every task.")

    @model_validator(mode="after")
    def _fields_fit_action(self) -> TaskBulk:
        sent = self.model_fields_set
        if self.action == "move" and "category_id" not in sent:
            raise ValueError("move needs categoryId (null to remove the category)")
        if self.action != "move" and "category_id" in sent:
            raise ValueError("categoryId is only for move")
        if self.action == "tag" and not self.tags:
            raise ValueError("tag needs a non-empty tags list")
        if self.action != "tag" and "tags" in sent:
            raise ValueError("tags is only for tag")
        self.ids = list(dict.fromkeys(self.ids))
        return self


class TaskBulkResult(ApiModel):
    action: BulkAction
    items: list[TaskRead] = Field(description="Every task named, after the action.")
    created: list[TaskRead] = Field(
        description="Next occurrences created by completing recurring tasks."
    )


class StatsQuery(QueryModel):
    timezone: TimeZoneName | None = Field(default=None, description=TIMEZONE_PARAMETER_DESCRIPTION)


class StatsBucket(ApiModel):
    total: int
    pending: int


class PriorityStats(ApiModel):
    low: StatsBucket
    medium: StatsBucket
    high: StatsBucket


class CategoryStats(StatsBucket):
    category_id: int | None = Field(description="null for tasks without a category.")


class TaskStats(ApiModel):
    """Counts over the person's tasks (deleted ones excluded)."""

    total: int
    pending: int
    completed: int
    overdue: int
    due_today: int = Field(description="Due today in the caller's zone (completed or not).")
    by_priority: PriorityStats
    by_category: list[CategoryStats]


class ReminderQuery(QueryModel):
    before: UtcInstant | None = Field(default=None, description="Defaults to now.")
    limit: Annotated[int, Field(ge=1, le=200)] = 100


ReminderList = ItemList[TaskRead]

"""Pydantic models that validate requests and shape responses (and generate the OpenAPI schema).

Field names are snake_case in Python and camelCase on the wire.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Annotated, Any, ClassVar, Literal, Self

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    Strict,
    StringConstraints,
    TypeAdapter,
    model_validator,
)
from pydantic import ValidationError as PydanticValidationError
from pydantic.alias_generators import to_camel

from shared.limits import (
    INSTANT_RANGE,
    LATEST,
    MIN_YEAR,
    date_in_range,
    instant_in_range,
    text_problem,
)
from shared.pagination import ItemList, Page
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


def _storable(value: Any) -> Any:
    # PostgreSQL cannot store NUL, nor its driver encode a lone surrogate: a 422 here, not a
    # 500 from the database later. Checked before pydantic's own string validation, which
    # refuses lone surrogates with a less helpful message.
    if isinstance(value, str):
        problem = text_problem(value)
        if problem is not None:
            raise ValueError(problem)
    return value


Storable = BeforeValidator(_storable)
Title = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200), Storable
]
Description = Annotated[str, StringConstraints(max_length=2000), Storable]
CategoryName = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=50), Storable
]
Color = Annotated[str, StringConstraints(pattern=r"^#[0-9A-Fa-f]{6}$")]
EntityId = Annotated[int, Field(ge=1, le=2_147_483_647)]
SearchText = Annotated[str, StringConstraints(min_length=1, max_length=200), Storable]

_DATE_ONLY = re.compile(r"\d{4}-\d{2}-\d{2}")
# A date and a time of day: pydantic alone would also read a number (or a string of digits)
# as a Unix timestamp.
_DATE_TIME = re.compile(r"\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}")
_AWARE_INSTANT = TypeAdapter(AwareDatetime)
_OUT_OF_RANGE = f"Must be {INSTANT_RANGE}."
INSTANT_DESCRIPTION = (
    f"An instant with a zone offset (2026-03-05T09:00:00+01:00), {INSTANT_RANGE} "
    f"({MIN_YEAR}-01-01T00:00:00Z to {LATEST.isoformat().replace('+00:00', 'Z')}) "
    "at its offset and in UTC."
)


def _calendar_date(value: Any) -> date:
    # Strict on purpose: pydantic's lax date also takes numbers and full timestamps.
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str) and _DATE_ONLY.fullmatch(value):
        return date.fromisoformat(value)
    raise ValueError("Expected a date as YYYY-MM-DD.")


def _aware_instant(value: Any) -> datetime:
    """An instant with a zone offset, within the supported years; its offset is kept."""
    if isinstance(value, str) and _DATE_TIME.match(value):
        try:
            value = _AWARE_INSTANT.validate_python(value)
        except PydanticValidationError as exc:
            raise ValueError(
                "Expected an instant with a zone offset, e.g. 2026-03-05T09:00:00+01:00."
            ) from exc
    if not isinstance(value, datetime):
        raise ValueError("Expected an instant with a zone offset, e.g. 2026-03-05T09:00:00+01:00.")
    if value.utcoffset() is None:
        raise ValueError("Give the instant a zone offset, e.g. 2026-03-05T09:00:00+01:00.")
    if not instant_in_range(value):
        raise ValueError(_OUT_OF_RANGE)
    return value


def _date_or_instant(value: Any) -> date | datetime:
    """A calendar date (YYYY-MM-DD) or an instant with its offset kept as given."""
    if (isinstance(value, date) and not isinstance(value, datetime)) or (
        isinstance(value, str) and _DATE_ONLY.fullmatch(value)
    ):
        day = _calendar_date(value)
        if not date_in_range(day):
            raise ValueError(_OUT_OF_RANGE)
        return day
    if isinstance(value, datetime) or (isinstance(value, str) and _DATE_TIME.match(value)):
        return _aware_instant(value)
    raise ValueError(
        "Expected a date (2026-03-05) or an instant with a zone offset (2026-03-05T09:00:00+01:00)."
    )


def _query_bool(value: Any) -> Any:
    # A query string only has text; `true` and `false` are the two spellings of a boolean.
    if value in ("true", "false"):
        return value == "true"
    if isinstance(value, bool):
        return value
    raise ValueError("Expected true or false.")


# Before-validators: they hand the core validators a date or an aware datetime, which those
# accept as they are, so only the forms parsed here get through.
CalendarDate = Annotated[date, BeforeValidator(_calendar_date)]
DateOrInstant = Annotated[
    date | datetime,
    BeforeValidator(_date_or_instant),
    Field(description=f"A date (2026-03-05) or an instant with a zone offset, {INSTANT_RANGE}."),
]
# Instants are accepted with any offset and kept (and returned) in UTC.
UtcInstant = Annotated[
    datetime,
    BeforeValidator(_aware_instant),
    AfterValidator(lambda value: value.astimezone(UTC)),
    Field(description=INSTANT_DESCRIPTION),
]
QueryBool = Annotated[bool, BeforeValidator(_query_bool)]


def _distinct_tags(tags: list[str]) -> list[str]:
    # Tags compare case-insensitively; the first spelling given is the one kept.
    seen: dict[str, str] = {}
    for tag in tags:
        seen.setdefault(tag.lower(), tag)
    return list(seen.values())


TagName = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=50), Storable
]
Tags = Annotated[list[TagName], Field(max_length=MAX_TAGS), AfterValidator(_distinct_tags)]

# Fields the server owns. A client that sends back what it read (a common pattern for PUT) is
# not punished for it, but these values are never taken from a request body. allDay is derived
# from the form of dueDate (a date alone is an all-day task).
SERVER_OWNED_FIELDS = frozenset(
    {
        "id",
        "userId",
        "createdAt",
        "updatedAt",
        "completedAt",
        "allDay",
        "version",
        "deletedAt",
        "nextTaskId",
        "reminderAcknowledgedAt",
    }
)


class ApiModel(BaseModel):
    """Base for every wire model: camelCase aliases, names accepted in either form."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True)


class RequestModel(ApiModel):
    """A request body: unknown fields are an error, server-owned fields are dropped.

    Strict: a JSON body has real numbers and booleans, so `"5"` is not an id and `0` or
    `"yes"` is not a boolean; dates and instants are parsed from text by their own validators.
    """

    model_config = ConfigDict(extra="forbid", strict=True)

    @model_validator(mode="before")
    @classmethod
    def _drop_server_owned(cls, data: Any) -> Any:
        if isinstance(data, dict):
            return {k: v for k, v in data.items() if k not in SERVER_OWNED_FIELDS}
        return data


def _document_not_null(schema: dict[str, Any], model: type[Any]) -> None:
    # Fields that refuse null admit None in their type so that "not sent" can be told from
    # null; the document must not say null is accepted.
    for name in model.not_null:
        prop = schema["properties"][to_camel(name)]
        options = [o for o in prop.pop("anyOf") if o != {"type": "null"}]
        assert len(options) == 1, f"{name} has one type besides null"
        prop.update(options[0])
        prop.pop("default", None)


class PatchModel(RequestModel):
    """A PATCH body: only the fields sent change. The fields in `not_null` may be left out but
    not set to null (a 422 that says so)."""

    model_config = ConfigDict(json_schema_extra=_document_not_null)
    not_null: ClassVar[tuple[str, ...]] = ()

    @model_validator(mode="after")
    def _required_fields_not_null(self) -> Self:
        for name in self.not_null:
            if name in self.model_fields_set and getattr(self, name) is None:
                raise ValueError(f"{to_camel(name)} cannot be null")
        return self


def changed_fields(body: RequestModel) -> dict[str, Any]:
    """What a PUT or PATCH body sets, by field name: a PatchModel the fields sent; any other
    body, being a whole replacement, every field (to its default when not sent)."""
    names = body.model_fields_set if isinstance(body, PatchModel) else type(body).model_fields
    return {name: getattr(body, name) for name in names}


class QueryModel(ApiModel):
    """Query parameters: unknown ones are an error rather than silently ignored."""

    model_config = ConfigDict(extra="forbid")


# --- users ---


class UserRead(ApiModel):
    id: str
    name: str
    email: str
    email_verified: bool
    image: str | None
    created_at: datetime
    updated_at: datetime


# --- tasks ---

DUE_DATE_DESCRIPTION = (
    "An instant with a zone offset (2026-03-05T09:00:00+01:00), returned with the same offset, "
    "or a date alone (2026-03-05) for an all-day task, returned as a date with allDay true."
)


class Recurrence(ApiModel):
    """How a task repeats: completing one occurrence creates the next (none past `until`, nor
    past the supported years)."""

    model_config = ConfigDict(extra="forbid", strict=True)

    frequency: Frequency
    interval: Annotated[int, Strict(), Field(ge=1, le=1000)] = 1
    weekdays: Annotated[list[Weekday], Field(min_length=1, max_length=7)] | None = Field(
        default=None, description="Weekly only: the days of the week it falls on."
    )
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


class TaskCreate(RequestModel):
    """A new task, or the full replacement of one (PUT)."""

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


class TaskBulk(RequestModel):
    """One action applied to many tasks, all or nothing."""

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


# --- tags and reminders ---


class TagCount(ApiModel):
    name: str
    count: int = Field(description="How many of your (non-deleted) tasks carry it.")


TagList = ItemList[TagCount]


class ReminderQuery(QueryModel):
    before: UtcInstant | None = Field(default=None, description="Defaults to now.")
    limit: Annotated[int, Field(ge=1, le=200)] = 100


ReminderList = ItemList[TaskRead]


# --- categories ---


class CategoryCreate(RequestModel):
    name: CategoryName
    color: Color | None = None


class CategoryPatch(PatchModel):
    not_null = ("name",)

    name: CategoryName | None = None
    color: Color | None = None


class CategoryRead(ApiModel):
    id: int
    user_id: str
    name: str
    color: str | None
    created_at: datetime
    updated_at: datetime


CategoryList = ItemList[CategoryRead]


# --- health and errors ---


class HealthRead(ApiModel):
    status: Literal["ok"]
    database: Literal["ok"]


class ErrorDetail(ApiModel):
    """One problem: where (for field errors) and what; some errors add keys (currentETag)."""

    model_config = ConfigDict(extra="allow")

    field: str | None = None
    path: list[str | int] | None = None
    message: str


class ErrorInfo(ApiModel):
    code: str
    message: str
    details: list[ErrorDetail]


class ErrorResponse(ApiModel):
    """Every error, whatever its status."""

    error: ErrorInfo

"""Pydantic models that validate requests and shape responses (and generate the OpenAPI schema).

Field names are snake_case in Python and camelCase on the wire.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)
from pydantic.alias_generators import to_camel

Priority = Literal["low", "medium", "high"]
TaskStatus = Literal["all", "pending", "completed"]
TaskSort = Literal[
    "createdAt", "-createdAt", "dueDate", "-dueDate", "priority", "-priority", "title", "-title"
]

Title = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Description = Annotated[str, StringConstraints(max_length=2000)]
CategoryName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=50)]
Color = Annotated[str, StringConstraints(pattern=r"^#[0-9A-Fa-f]{6}$")]
# Instants are accepted with any offset and kept (and returned) in UTC.
UtcInstant = Annotated[AwareDatetime, AfterValidator(lambda value: value.astimezone(UTC))]
EntityId = Annotated[int, Field(ge=1, le=2_147_483_647)]

# Fields the server owns. A client that sends back what it read (a common pattern for PUT) is
# not punished for it, but these values are never taken from a request body.
SERVER_OWNED_FIELDS = frozenset({"id", "userId", "createdAt", "updatedAt", "completedAt"})


class ApiModel(BaseModel):
    """Base for every wire model: camelCase aliases, names accepted in either form."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True)


class RequestModel(ApiModel):
    """A request body: unknown fields are an error, server-owned fields are dropped."""

    model_config = ConfigDict(extra="forbid")

    @model_validator(mode="before")
    @classmethod
    def _drop_server_owned(cls, data: Any) -> Any:
        if isinstance(data, dict):
            return {k: v for k, v in data.items() if k not in SERVER_OWNED_FIELDS}
        return data


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


class TaskCreate(RequestModel):
    """A new task, or the full replacement of one (PUT)."""

    title: Title
    description: Description | None = None
    completed: bool = False
    priority: Priority = "medium"
    due_date: UtcInstant | None = Field(
        default=None, description="ISO 8601 instant with a zone offset, e.g. 2026-03-05T09:00:00Z"
    )
    category_id: EntityId | None = None


class TaskPatch(RequestModel):
    """Some fields of a task; only the fields sent are changed."""

    title: Title | None = None
    description: Description | None = None
    completed: bool | None = None
    priority: Priority | None = None
    due_date: UtcInstant | None = None
    category_id: EntityId | None = None

    @model_validator(mode="after")
    def _required_fields_not_null(self) -> TaskPatch:
        for name in ("title", "completed", "priority"):
            if name in self.model_fields_set and getattr(self, name) is None:
                raise ValueError(f"{to_camel(name)} cannot be null")
        return self


class TaskComplete(RequestModel):
    """Body of /complete: omit it (or `completed`) to toggle."""

    completed: bool | None = None


class TaskRead(ApiModel):
    id: int
    user_id: str
    title: str
    description: str | None
    completed: bool
    completed_at: datetime | None
    priority: Priority
    due_date: datetime | None
    category_id: int | None
    created_at: datetime
    updated_at: datetime


class TaskListQuery(QueryModel):
    status: TaskStatus = "all"
    priority: Priority | None = None
    category_id: EntityId | None = None
    q: Annotated[str, StringConstraints(min_length=1, max_length=200)] | None = None
    sort: TaskSort = "-createdAt"
    limit: Annotated[int, Field(ge=1, le=100)] = 50
    cursor: Annotated[str, StringConstraints(max_length=500)] | None = None


class TaskPage(ApiModel):
    items: list[TaskRead]
    next_cursor: str | None


# --- categories ---


class CategoryCreate(RequestModel):
    name: CategoryName
    color: Color | None = None


class CategoryPatch(RequestModel):
    name: CategoryName | None = None
    color: Color | None = None

    @model_validator(mode="after")
    def _name_not_null(self) -> CategoryPatch:
        if "name" in self.model_fields_set and self.name is None:
            raise ValueError("name cannot be null")
        return self


class CategoryRead(ApiModel):
    id: int
    user_id: str
    name: str
    color: str | None
    created_at: datetime
    updated_at: datetime


class CategoryList(ApiModel):
    items: list[CategoryRead]


# --- health and errors ---


class HealthRead(ApiModel):
    status: Literal["ok"]
    database: Literal["ok"]


class ErrorDetail(ApiModel):
    field: str | None = None
    path: list[str | int] | None = None
    message: str


class ErrorInfo(ApiModel):
    code: str
    message: str
    details: list[dict[str, Any]]


class ErrorResponse(ApiModel):
    """Every error, whatever its status."""

    error: ErrorInfo

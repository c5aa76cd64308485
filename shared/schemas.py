"""The wire models every domain builds on, and the service's own (health, errors).

Request bodies, query parameters and responses are pydantic models (which also generate the
OpenAPI schema); each domain keeps its own in `shared/<domain>/schemas.py`. Field names are
snake_case in Python and camelCase on the wire.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Annotated, Any, ClassVar, Literal, Self

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    TypeAdapter,
    WithJsonSchema,
    model_validator,
)
from pydantic import ValidationError as PydanticValidationError
from pydantic.alias_generators import to_camel

from shared.limits import (
    DATE_PATTERN,
    DATE_TIME_PATTERN,
    INSTANT_RANGE,
    date_in_range,
    instant_in_range,
    text_problem,
)


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
# The same rules in the document: no NUL; and for trimmed text, something besides white space.
NO_NUL = Field(json_schema_extra={"pattern": "^[^\\u0000]*$"})
NOT_BLANK = Field(json_schema_extra={"pattern": "^[^\\u0000]*[^\\s\\u0000][^\\u0000]*$"})
SearchText = Annotated[str, StringConstraints(min_length=1, max_length=200), Storable, NO_NUL]

_DATE_ONLY = re.compile(r"\d{4}-\d{2}-\d{2}")
# RFC 3339, as the document says (format date-time): pydantic alone would also read a number
# (or a string of digits) as a Unix timestamp, and take other spellings.
_RFC3339 = re.compile(r"\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})")
_AWARE_INSTANT = TypeAdapter(AwareDatetime)
_OUT_OF_RANGE = f"Must be {INSTANT_RANGE}."
_NOT_AN_INSTANT = "Expected an instant with a zone offset, e.g. 2026-03-05T09:00:00+01:00."
_DATE_SCHEMA = {"type": "string", "format": "date", "pattern": DATE_PATTERN}
_DATE_TIME_SCHEMA = {"type": "string", "format": "date-time", "pattern": DATE_TIME_PATTERN}


def _calendar_date(value: Any) -> date:
    # Strict on purpose: pydantic's lax date also takes numbers and full timestamps.
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str) and _DATE_ONLY.fullmatch(value):
        return date.fromisoformat(value)
    raise ValueError("Expected a date as YYYY-MM-DD.")


def _aware_instant(value: Any) -> datetime:
    """An instant with a zone offset, within the supported years; its offset is kept."""
    if isinstance(value, str) and _RFC3339.fullmatch(value):
        try:
            value = _AWARE_INSTANT.validate_python(value)
        except PydanticValidationError as exc:
            raise ValueError(_NOT_AN_INSTANT) from exc
    if not isinstance(value, datetime):
        raise ValueError(_NOT_AN_INSTANT)
    if value.utcoffset() is None:
        raise ValueError("Give the instant a zone offset, e.g. 2026-03-05T09:00:00+01:00.")
    if not instant_in_range(value):
        raise ValueError(_OUT_OF_RANGE)
    return value


def _date_or_instant(value: Any) -> date | datetime:
    """A calendar date (YYYY-MM-DD) or an instant with its offset kept as given."""
    if isinstance(value, datetime) or (isinstance(value, str) and len(value) > 10):
        return _aware_instant(value)
    try:
        day = _calendar_date(value)
    except ValueError:
        raise ValueError(
            "Expected a date (2026-03-05) or an instant with a zone offset "
            "(2026-03-05T09:00:00+01:00)."
        ) from None
    if not date_in_range(day):
        raise ValueError(_OUT_OF_RANGE)
    return day


def _query_bool(value: Any) -> Any:
    # A query string only has text; `true` and `false` are the two spellings of a boolean.
    if value in ("true", "false"):
        return value == "true"
    if isinstance(value, bool):
        return value
    raise ValueError("Expected true or false.")


def whole_number(value: Any) -> Any:
    """1.0 as 1: JSON does not tell them apart, and JSON Schema counts both as integers."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


# Before-validators: they hand the core validators a date or an aware datetime, which those
# accept as they are, so only the forms parsed here get through. The schemas say the same:
# RFC 3339 within the supported years.
CalendarDate = Annotated[
    date,
    BeforeValidator(_calendar_date),
    WithJsonSchema({"type": "string", "format": "date", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"}),
]
DateOrInstant = Annotated[
    date | datetime,
    BeforeValidator(_date_or_instant),
    WithJsonSchema(
        {
            "anyOf": [_DATE_SCHEMA, _DATE_TIME_SCHEMA],
            "description": "A date (2026-03-05) or an instant with a zone offset, "
            f"{INSTANT_RANGE}.",
        }
    ),
]
# Instants are accepted with any offset and kept (and returned) in UTC.
UtcInstant = Annotated[
    datetime,
    BeforeValidator(_aware_instant),
    AfterValidator(lambda value: value.astimezone(UTC)),
    WithJsonSchema(
        {
            **_DATE_TIME_SCHEMA,
            "description": f"An instant with a zone offset, {INSTANT_RANGE} at that offset.",
        }
    ),
]
QueryBool = Annotated[bool, BeforeValidator(_query_bool)]
EntityId = Annotated[int, Field(ge=1, le=2_147_483_647), BeforeValidator(whole_number)]


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

"""The caller's time zone (X-Timezone header or timezone parameter) and calendar arithmetic."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from functools import cache
from typing import Annotated, Any
from zoneinfo import ZoneInfo, available_timezones

import pydantic
from pydantic import BeforeValidator, Field, StringConstraints, TypeAdapter
from starlette.requests import Request

from shared.errors import ValidationError, validation_details
from shared.limits import text_problem

TIMEZONE_HEADER = "X-Timezone"
MAX_ZONE_NAME = 64
_NOT_A_ZONE = "Not an IANA time zone name, e.g. Europe/Paris."
# The OpenAPI component that lists every zone name, referred to by the X-Timezone header.
TIMEZONE_SCHEMA_NAME = "TimeZone"
TIMEZONE_SCHEMA_REF = {"$ref": f"#/components/schemas/{TIMEZONE_SCHEMA_NAME}"}


@cache
def known_zones() -> frozenset[str]:
    """Every IANA zone name this process knows (the system's database and `tzdata`'s).

    A name is taken only from this list, so the API accepts exactly what it documents (an
    enum of these names), and nothing such as a file path ever reaches ZoneInfo.
    """
    return frozenset(available_timezones())


def timezone_schema() -> dict[str, Any]:
    """The JSON schema of a zone name: one of the known zones."""
    return {
        "type": "string",
        "enum": sorted(known_zones()),
        "description": "An IANA time zone name, e.g. Europe/Paris.",
    }


def _known_zone(value: Any) -> Any:
    # Runs before the length checks (which only document the type), so that every string that
    # names no zone, empty or overlong too, gets the same message wherever it was given; text
    # no field may hold (NUL) is refused as everywhere else.
    if not isinstance(value, str):
        return value
    problem = text_problem(value)
    if problem is not None:
        raise ValueError(problem)
    name = value.strip()
    if name not in known_zones():
        raise ValueError(_NOT_A_ZONE)
    return name


def _document_zones(schema: dict[str, Any]) -> None:
    # Called when a schema is generated, not at import: listing the zones reads the disk.
    schema.update(timezone_schema())


# The one time-zone type, for a query parameter, a body field and the X-Timezone header alike:
# an IANA name this machine knows, surrounding space trimmed.
TimeZoneName = Annotated[
    str,
    StringConstraints(min_length=1, max_length=MAX_ZONE_NAME),
    BeforeValidator(_known_zone),
    Field(json_schema_extra=_document_zones),
]
_ZONE_NAME: TypeAdapter[str] = TypeAdapter(TimeZoneName)


def caller_zone(request: Request, given: str | None = None) -> ZoneInfo:
    """The zone the caller's "today" is in: the one the request gave as a parameter or field
    (a TimeZoneName, already checked), else the X-Timezone header's, else UTC.

    A header that names no zone is a 422 even when the parameter overrides it: it is still a
    mistake the caller should hear about.
    """
    header = request.headers.get(TIMEZONE_HEADER)
    header_zone = None
    if header is not None:
        try:
            header_zone = ZoneInfo(_ZONE_NAME.validate_python(header))
        except pydantic.ValidationError as exc:
            raise ValidationError(
                details=validation_details(exc, "header", TIMEZONE_HEADER)
            ) from exc
    if given is not None:
        return ZoneInfo(given)
    return header_zone or ZoneInfo("UTC")


def start_of_day(day: date, zone: ZoneInfo) -> datetime:
    """The first instant of a calendar day in a zone, in UTC."""
    return datetime.combine(day, time(), tzinfo=zone).astimezone(UTC)


def today_in(zone: ZoneInfo, now: datetime) -> date:
    """The calendar date it is in `zone` at `now`."""
    return now.astimezone(zone).date()


def date_as_utc_midnight(day: date) -> datetime:
    """How an all-day date is stored: midnight UTC of that date (a date, not an instant)."""
    return datetime.combine(day, time(), tzinfo=UTC)


def wall_clock(instant: datetime, zone: ZoneInfo) -> datetime:
    """The local wall-clock time of an instant in `zone`, labelled UTC so it compares with
    all-day dates stored as UTC midnights (a date D is before the instant when D's midnight
    on the local wall clock is)."""
    return instant.astimezone(zone).replace(tzinfo=UTC)


TIMEZONE_DESCRIPTION = (
    "The caller's IANA time zone (e.g. Europe/Paris) for today, tomorrow, week and overdue; "
    "the timezone query parameter wins over it; default UTC."
)
TIMEZONE_PARAMETER_DESCRIPTION = "An IANA time zone such as Europe/Paris; overrides X-Timezone."

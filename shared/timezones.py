"""The caller's time zone (X-Timezone header or timezone parameter) and calendar arithmetic."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from starlette.requests import Request

from shared.errors import ValidationError, field_error

TIMEZONE_HEADER = "X-Timezone"


def zone_named(name: str, *, where: list[str | int]) -> ZoneInfo:
    """The IANA zone of that name; anything else (or a path trick) is a 422 at `where`."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError) as exc:
        raise ValidationError(
            details=[field_error(where, "Not an IANA time zone name, e.g. Europe/Paris.")]
        ) from exc


def caller_zone(request: Request, query_value: str | None = None) -> ZoneInfo:
    """The zone the caller's "today" is in: the query parameter, else the header, else UTC."""
    if query_value is not None:
        return zone_named(query_value, where=["query", "timezone"])
    header = request.headers.get(TIMEZONE_HEADER)
    if header is not None:
        return zone_named(header.strip(), where=["header", TIMEZONE_HEADER])
    return ZoneInfo("UTC")


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

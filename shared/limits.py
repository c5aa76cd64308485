"""The ranges every value the service stores or computes with stays within.

Text goes to PostgreSQL, which cannot store NUL and whose driver cannot encode a lone
surrogate. Instants go through offset and zone conversion and calendar arithmetic (the next
occurrence of a recurring task, a reminder kept at its distance), which fail near the ends of
Python's calendar; keeping every instant within years 1900 to 9000 leaves room for all of them.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

MIN_YEAR = 1900
MAX_YEAR = 9000
EARLIEST = datetime(MIN_YEAR, 1, 1, tzinfo=UTC)
LATEST = datetime(MAX_YEAR, 12, 31, 23, 59, 59, 999999, tzinfo=UTC)
INSTANT_RANGE = f"between the years {MIN_YEAR} and {MAX_YEAR}"


def text_problem(text: str) -> str | None:
    """What makes `text` unstorable (a NUL or a lone surrogate), or None when it is fine."""
    if "\x00" in text:
        return "Must not contain NUL (\\u0000) characters."
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return "Must not contain lone surrogates (unpaired \\ud800-\\udfff)."
    return None


def date_in_range(day: date) -> bool:
    """True when a calendar date lies within the supported years."""
    return MIN_YEAR <= day.year <= MAX_YEAR


def instant_in_range(instant: datetime) -> bool:
    """True when an aware instant lies within the supported years, in UTC and at its offset.

    Checking the UTC instant alone is not enough: its wall-clock time at the given offset (or
    in the caller's zone) is what calendar arithmetic later works on.
    """
    if not date_in_range(instant.date()):
        return False
    try:
        utc = instant.astimezone(UTC)
    except OverflowError:
        return False
    return EARLIEST <= utc <= LATEST

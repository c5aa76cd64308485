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
INSTANT_RANGE = f"between the years {MIN_YEAR} and {MAX_YEAR}"
# What the OpenAPI document says of every date and instant: RFC 3339 within those years.
YEAR_PATTERN = "(19[0-9]{2}|[2-8][0-9]{3}|9000)"
DATE_PATTERN = f"^{YEAR_PATTERN}-[0-9]{{2}}-[0-9]{{2}}$"
DATE_TIME_PATTERN = (
    f"^{YEAR_PATTERN}-[0-9]{{2}}-[0-9]{{2}}[Tt][0-9]{{2}}:[0-9]{{2}}:[0-9]{{2}}(\\.[0-9]+)?"
    "([Zz]|[+-][0-9]{2}:[0-9]{2})$"
)


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
    """True when an aware instant's date, at its own offset, lies within the supported years.

    That date is what a client wrote, and what the API documents (a pattern on the year).
    Converting to UTC or to the caller's zone moves it by at most a day, which the years
    between 1900 or 9000 and the ends of the calendar leave room for; so does every later
    step of calendar arithmetic, which checks its own results against the same range.
    """
    return date_in_range(instant.date())


def storable_instant(instant: datetime) -> bool:
    """True for an aware instant the service could have stored: within a day of the range.

    Stored instants are UTC, so one given as 9000-12-31T23:00:00-05:00 is kept as 9001-01-01.
    """
    if instant.utcoffset() is None:
        return False
    try:
        utc = instant.astimezone(UTC)
    except OverflowError:
        return False
    return MIN_YEAR - 1 <= utc.year <= MAX_YEAR + 1

"""Next occurrences of a recurring task: plain calendar arithmetic, no database."""

from __future__ import annotations

import calendar
from datetime import date, datetime, timedelta
from typing import Any

from shared.limits import date_in_range, instant_in_range
from shared.tasks.schemas import WEEKDAYS, Recurrence, Weekday


def add_months(day: date, months: int, anchor_day: int) -> date:
    """`months` later, on the anchor day or the month's last day when it is shorter.

    Raises OverflowError past the year 9999, as date arithmetic does.
    """
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    if year > 9999:
        raise OverflowError("date value out of range")
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(anchor_day, last))


def _next_weekly(day: date, interval: int, weekdays: list[Weekday]) -> date:
    wanted = sorted(WEEKDAYS.index(w) for w in weekdays)
    # The rest of this week first; then the first wanted day `interval` weeks on. The current
    # occurrence's week is the reference for "every n weeks".
    for weekday in wanted:
        if weekday > day.weekday():
            return day + timedelta(days=weekday - day.weekday())
    monday = day - timedelta(days=day.weekday()) + timedelta(weeks=interval)
    return monday + timedelta(days=wanted[0])


def next_date(current: date, rule: Recurrence, anchor_day: int | None) -> date | None:
    """The date of the occurrence after `current`, or None past the rule's `until`.

    `anchor_day` is the day of month the series started on, so monthly and yearly series go
    back to it after a short month (Jan 31 -> Feb 28 -> Mar 31). A series also ends where its
    next date would leave the supported years: a task due on 9000-06-01 repeating yearly can
    be completed, and simply has no next occurrence.
    """
    try:
        following = _following(current, rule, anchor_day or current.day)
    except OverflowError:
        return None
    if not date_in_range(following):
        return None
    if rule.until is not None and following > rule.until:
        return None
    return following


def _following(current: date, rule: Recurrence, anchor: int) -> date:
    if rule.frequency == "daily":
        return current + timedelta(days=rule.interval)
    if rule.frequency == "weekly":
        if rule.weekdays:
            return _next_weekly(current, rule.interval, rule.weekdays)
        return current + timedelta(weeks=rule.interval)
    if rule.frequency == "monthly":
        return add_months(current, rule.interval, anchor)
    return add_months(current, 12 * rule.interval, anchor)


def next_due(
    due: date | datetime, rule: Recurrence, anchor_day: int | None
) -> date | datetime | None:
    """When the occurrence after one due at `due` is due, or None when the series ends.

    A date for an all-day task; otherwise the same wall-clock time at the same offset, as long
    as that instant is within the supported years.
    """
    current = due.date() if isinstance(due, datetime) else due
    following = next_date(current, rule, anchor_day)
    if following is None or not isinstance(due, datetime):
        return following
    instant = datetime.combine(following, due.timetz())
    return instant if instant_in_range(instant) else None


def kept_reminder(
    remind_at: datetime | None, due: datetime, following_due: datetime
) -> datetime | None:
    """The next occurrence's reminder: as far before its due date as this one's was.

    None without a reminder, or when that distance would put it outside the supported years.
    """
    if remind_at is None:
        return None
    try:
        shifted = following_due - (due - remind_at)
    except OverflowError:
        return None
    return shifted if instant_in_range(shifted) else None


def parse_rule(stored: dict[str, Any]) -> Recurrence:
    """The rule as stored on a task (the JSON of a validated Recurrence)."""
    return Recurrence.model_validate(stored)


def stored_rule(rule: Recurrence) -> dict[str, Any]:
    """The JSON kept in the task's recurrence column."""
    return rule.model_dump(mode="json", by_alias=True, exclude_none=True)

"""Next occurrences of a recurring task: plain calendar arithmetic, no database."""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from typing import Any

from shared.schemas import WEEKDAYS, Recurrence, Weekday


def _add_months(day: date, months: int, anchor_day: int) -> date:
    """`months` later, on the anchor day or the month's last day when it is shorter."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
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
    back to it after a short month (Jan 31 -> Feb 28 -> Mar 31).
    """
    anchor = anchor_day or current.day
    if rule.frequency == "daily":
        following = current + timedelta(days=rule.interval)
    elif rule.frequency == "weekly":
        following = (
            _next_weekly(current, rule.interval, rule.weekdays)
            if rule.weekdays
            else current + timedelta(weeks=rule.interval)
        )
    elif rule.frequency == "monthly":
        following = _add_months(current, rule.interval, anchor)
    else:
        following = _add_months(current, 12 * rule.interval, anchor)
    if rule.until is not None and following > rule.until:
        return None
    return following


def parse_rule(stored: dict[str, Any]) -> Recurrence:
    """The rule as stored on a task (the JSON of a validated Recurrence)."""
    return Recurrence.model_validate(stored)


def stored_rule(rule: Recurrence) -> dict[str, Any]:
    """The JSON kept in the task's recurrence column."""
    return rule.model_dump(mode="json", by_alias=True, exclude_none=True)

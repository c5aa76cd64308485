"""Counts over a person's tasks for a dashboard: one grouped query."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import bindparam, func, select

from shared.database import Reader, connection_of
from shared.models import Task
from shared.prepared import Prepared, fetch_all
from shared.tasks.schemas import CategoryStats, PriorityStats, StatsBucket, TaskStats
from shared.tasks.service import (
    due_on_days,
    due_on_days_parameters,
    overdue,
    overdue_parameters,
)
from shared.timezones import today_in

_COUNTS = Prepared(
    select(
        Task.priority,
        Task.category_id,
        Task.completed,
        func.count(),
        func.count().filter(overdue()),
        func.count().filter(due_on_days("today")),
    )
    .where(Task.user_id == bindparam("user_id"), Task.deleted_at.is_(None))
    .group_by(Task.priority, Task.category_id, Task.completed)
)


async def task_stats(db: Reader, *, user_id: str, zone: ZoneInfo, now: datetime) -> TaskStats:
    """Totals, pending/completed, overdue and due today (in `zone`), by priority and category."""
    values = {
        "user_id": user_id,
        **overdue_parameters(zone, now),
        **due_on_days_parameters("today", today_in(zone, now), 1, zone),
    }
    stats = TaskStats(
        total=0,
        pending=0,
        completed=0,
        overdue=0,
        due_today=0,
        by_priority=PriorityStats(
            low=StatsBucket(total=0, pending=0),
            medium=StatsBucket(total=0, pending=0),
            high=StatsBucket(total=0, pending=0),
        ),
        by_category=[],
    )
    categories: dict[int | None, CategoryStats] = {}
    for priority, category_id, completed, count, overdue_count, today_count in await fetch_all(
        await connection_of(db), _COUNTS, values
    ):
        pending = 0 if completed else count
        stats.total += count
        stats.pending += pending
        stats.completed += count - pending
        stats.overdue += overdue_count
        stats.due_today += today_count
        bucket: StatsBucket = getattr(stats.by_priority, priority)
        bucket.total += count
        bucket.pending += pending
        entry = categories.setdefault(
            category_id, CategoryStats(category_id=category_id, total=0, pending=0)
        )
        entry.total += count
        entry.pending += pending
    # Uncategorised last, the rest by id: a stable order for clients to diff.
    stats.by_category = sorted(
        categories.values(), key=lambda c: (c.category_id is None, c.category_id or 0)
    )
    return stats

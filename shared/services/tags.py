"""Tags: the names a person files tasks under, compared case-insensitively."""

from __future__ import annotations

from sqlalchemy import ColumnElement, distinct, exists, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from shared.models import Task, TaskTag


def tagged_with(name: str) -> ColumnElement[bool]:
    """Tasks that carry the tag (any spelling of it)."""
    return exists().where(TaskTag.task_id == Task.id, func.lower(TaskTag.name) == name.lower())


async def list_tags(db: AsyncSession, *, user_id: str) -> list[tuple[str, int]]:
    """Each tag of the person's non-deleted tasks, with how many tasks carry it, by name.

    Spellings of one tag may differ between tasks; the first in sort order represents them.
    """
    key = func.lower(TaskTag.name)
    statement = (
        select(func.min(TaskTag.name), func.count(distinct(TaskTag.task_id)))
        .join(Task, Task.id == TaskTag.task_id)
        .where(TaskTag.user_id == user_id, Task.user_id == user_id, Task.deleted_at.is_(None))
        .group_by(key)
        .order_by(key)
    )
    return [(name, count) for name, count in (await db.execute(statement)).all()]

"""Tags: the names a person files tasks under, compared case-insensitively."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import JSON, ColumnElement, ScalarSelect, distinct, exists, func, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import GenericFunction

from shared.database import Reader, execute
from shared.models import Task, TaskTag


class json_array_agg(GenericFunction[Any]):  # noqa: N801 (SQL functions are lower case)
    """Aggregate values into a JSON array: `json_agg` on PostgreSQL, `json_group_array` on
    SQLite. Either way the driver hands back a list (or None when there were no rows)."""

    type = JSON()
    inherit_cache = True


@compiles(json_array_agg, "postgresql")
def _json_agg(element: json_array_agg, compiler: SQLCompiler, **kw: Any) -> str:
    return f"json_agg({compiler.process(element.clauses, **kw)})"


@compiles(json_array_agg, "sqlite")
def _json_group_array(element: json_array_agg, compiler: SQLCompiler, **kw: Any) -> str:
    return f"json_group_array({compiler.process(element.clauses, **kw)})"


def tag_names() -> ScalarSelect[Any]:
    """The names of the task's tags as one column of a task query, so a page of tasks and
    their tags come back in one statement (not one more SELECT per page)."""
    return (
        select(json_array_agg(TaskTag.name))
        .where(TaskTag.task_id == Task.id)
        .correlate(Task)
        .scalar_subquery()
    )


def sorted_tags(names: Iterable[str] | None) -> list[str]:
    """Tag names in the order every response lists them: case-insensitively, then as spelt."""
    return sorted(names or (), key=lambda name: (name.lower(), name))


def tagged_with(lowered: ColumnElement[str]) -> ColumnElement[bool]:
    """Tasks that carry the tag, in any spelling: `lowered` is its name in lower case (a bound
    parameter of a statement built once)."""
    return exists().where(TaskTag.task_id == Task.id, func.lower(TaskTag.name) == lowered)


async def list_tags(db: Reader, *, user_id: str) -> list[tuple[str, int]]:
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
    return [(name, count) for name, count in (await execute(db, statement)).all()]

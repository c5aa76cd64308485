"""Categories: each person's own, names unique per person regardless of case."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from shared import clock
from shared.categories.schemas import CategoryCreate, CategoryPatch
from shared.database import Reader, execute
from shared.errors import ConflictError, InvalidInputError, NotFoundError, field_error
from shared.models import Category, Task
from shared.schemas import changed_fields


async def list_categories(db: AsyncSession, *, user_id: str) -> list[Category]:
    """Every category of the person, by name."""
    statement = (
        select(Category)
        .where(Category.user_id == user_id)
        .order_by(func.lower(Category.name), Category.id)
    )
    return list((await db.scalars(statement)).all())


async def get_category(db: AsyncSession, *, user_id: str, category_id: int) -> Category:
    """The person's category, or 404 (also when it exists but is someone else's)."""
    category = await db.scalar(
        select(Category).where(Category.id == category_id, Category.user_id == user_id)
    )
    if category is None:
        raise NotFoundError("No such category.")
    return category


async def require_own_category(db: Reader, *, user_id: str, category_id: int | None) -> None:
    """A task may only point at its owner's category: anything else is a 422 on categoryId."""
    if category_id is None:
        return
    found = (
        await execute(
            db, select(Category.id).where(Category.id == category_id, Category.user_id == user_id)
        )
    ).scalar()
    if found is None:
        raise InvalidInputError(details=[field_error(["categoryId"], "No such category of yours.")])


def _same_name(name: str) -> ColumnElement[bool]:
    # The one comparison rule, the unique index's own: SQL lower() on both sides, so that the
    # database (PostgreSQL or SQLite) decides alike for REST and chat.
    return func.lower(Category.name) == func.lower(name)


async def find_category(db: AsyncSession, *, user_id: str, name: str) -> Category | None:
    """The person's category of that name, compared regardless of case; None when none is."""
    return await db.scalar(
        select(Category).where(Category.user_id == user_id, _same_name(name)).limit(1)
    )


async def _ensure_name_free(
    db: AsyncSession, *, user_id: str, name: str, exclude_id: int | None = None
) -> None:
    statement = select(Category.id).where(Category.user_id == user_id, _same_name(name))
    if exclude_id is not None:
        statement = statement.where(Category.id != exclude_id)
    if await db.scalar(statement) is not None:
        raise ConflictError(f"You already have a category named {name!r}.")


async def _flush_or_conflict(db: AsyncSession, name: str) -> None:
    # Two requests may pass the name check at once; the unique index decides the loser.
    try:
        await db.flush()
    except IntegrityError as exc:
        raise ConflictError(f"You already have a category named {name!r}.") from exc


async def create_category(db: AsyncSession, *, user_id: str, data: CategoryCreate) -> Category:
    """Create a category; 409 when the person already has one of that name."""
    await _ensure_name_free(db, user_id=user_id, name=data.name)
    now = clock.utcnow()
    category = Category(
        user_id=user_id, name=data.name, color=data.color, created_at=now, updated_at=now
    )
    db.add(category)
    await _flush_or_conflict(db, data.name)
    return category


async def update_category(
    db: AsyncSession, *, user_id: str, category_id: int, changes: CategoryCreate | CategoryPatch
) -> Category:
    """Change a category: a CategoryCreate replaces every field (PUT), a CategoryPatch changes
    the fields sent (PATCH)."""
    category = await get_category(db, user_id=user_id, category_id=category_id)
    return await _change(db, category, changed_fields(changes))


async def _change(db: AsyncSession, category: Category, values: dict[str, Any]) -> Category:
    if "name" in values:
        name = values["name"]
        await _ensure_name_free(db, user_id=category.user_id, name=name, exclude_id=category.id)
        category.name = name
    if "color" in values:
        category.color = values["color"]
    category.updated_at = clock.utcnow()
    await _flush_or_conflict(db, category.name)
    return category


async def delete_category(db: AsyncSession, *, user_id: str, category_id: int) -> None:
    """Delete a category; its tasks stay and lose their categoryId."""
    category = await get_category(db, user_id=user_id, category_id=category_id)
    # The foreign key would clear categoryId on PostgreSQL, but silently: doing it here bumps
    # each task's version and updatedAt, so ETags and sync clients see the change (and SQLite,
    # whose foreign keys are off by default, behaves the same).
    await db.execute(
        update(Task)
        .where(Task.category_id == category.id, Task.user_id == user_id)
        .values(category_id=None, version=Task.version + 1, updated_at=clock.utcnow())
    )
    await db.delete(category)
    await db.flush()

"""Keyset pagination for every list: one page of rows after an opaque cursor, and `Page[T]`.

A cursor is base64url-encoded JSON naming the list and sort it was issued for and the last
row's sort key. It comes back from a client, so it is validated as completely as any input:
the list and sort, the number of values, and each value's type and range. Anything else is a
422 `invalid_cursor`; no crafted cursor ever reaches the database.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel
from sqlalchemy import ColumnElement, Select, SQLColumnExpression, and_, bindparam, false, or_
from sqlalchemy.ext.asyncio import AsyncSession

from shared.errors import InvalidInputError, field_error
from shared.limits import storable_instant, text_problem

ItemT = TypeVar("ItemT")
RowT = TypeVar("RowT")

MAX_CURSOR_CHARS = 500
MAX_ID = 2_147_483_647

KeyKind = Literal["int", "instant", "text"]


class InvalidCursorError(InvalidInputError):
    code = "invalid_cursor"
    default_message = "The cursor is not one this list issued for this sort order."


@dataclass(frozen=True)
class SortKey:
    """One ORDER BY term: the SQL expression, the row's value of it, and what values it takes.

    `minimum`/`maximum` bound an int key; `nullable` says the key may be NULL.
    """

    expression: SQLColumnExpression[Any]
    value_of: Callable[[Any], Any]
    kind: KeyKind
    descending: bool = False
    minimum: int = 0
    maximum: int = MAX_ID
    nullable: bool = False


@dataclass(frozen=True)
class Keyset:
    """A list in one sort order: its name (which cursors carry) and its keys, ties last."""

    name: str
    keys: Sequence[SortKey]


class ItemList(BaseModel, Generic[ItemT]):
    """A whole list."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True)

    items: list[ItemT]


class Page(ItemList[ItemT], Generic[ItemT]):
    """One page of a list, and the cursor of the next page."""

    next_cursor: str | None = Field(
        description="Pass as `cursor` for the next page; null on the last page."
    )


def encode_cursor(keyset: Keyset, row: Any) -> str:
    """The cursor of the position right after `row`."""
    values = []
    for key in keyset.keys:
        value = key.value_of(row)
        values.append(value.isoformat() if isinstance(value, datetime) else value)
    raw = json.dumps({"s": keyset.name, "v": values}, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _key_value(key: SortKey, value: Any) -> Any:
    """The value checked against what the key can hold; ValueError when it cannot."""
    if value is None:
        if not key.nullable:
            raise ValueError("null")
        return None
    if key.kind == "int":
        # bool is an int in Python, but `true` is not a position in any list.
        if type(value) is not int or not key.minimum <= value <= key.maximum:
            raise ValueError("not an int in range")
        return value
    if not isinstance(value, str):
        raise ValueError("not a string")
    if key.kind == "text":
        if text_problem(value) is not None:
            raise ValueError("not storable text")
        return value
    instant = datetime.fromisoformat(value)
    if not storable_instant(instant):
        raise ValueError("not an instant in range")
    return instant.astimezone(UTC)


def decode_cursor(cursor: str, keyset: Keyset) -> list[Any]:
    """The sort key values a cursor of this list and sort carries; else InvalidCursorError."""
    problem = InvalidCursorError(
        details=[field_error(["cursor"], "Not a cursor from this list and sort order.")]
    )
    if len(cursor) > MAX_CURSOR_CHARS:
        raise problem
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        data = json.loads(raw)
    except (binascii.Error, ValueError, RecursionError) as exc:
        raise problem from exc
    if not isinstance(data, dict) or data.keys() != {"s", "v"} or data["s"] != keyset.name:
        raise problem
    values = data["v"]
    if not isinstance(values, list) or len(values) != len(keyset.keys):
        raise problem
    try:
        return [_key_value(key, value) for key, value in zip(keyset.keys, values, strict=True)]
    except (ValueError, OverflowError) as exc:
        raise problem from exc


def after(keys: Sequence[SortKey], values: list[Any]) -> ColumnElement[bool]:
    """Rows strictly after the cursor's position in the sort order (a keyset condition)."""
    clauses = []
    for index, key in enumerate(keys):
        value = values[index]
        if value is None:
            # Nothing is strictly after NULL within its group; only equality moves on.
            continue
        equal_before = [keys[i].expression.is_not_distinct_from(values[i]) for i in range(index)]
        beyond = key.expression < value if key.descending else key.expression > value
        clauses.append(and_(*equal_before, beyond))
    return or_(*clauses) if clauses else false()


def cursor_parameters(cursor: str, keyset: Keyset) -> tuple[tuple[bool, ...], dict[str, Any]]:
    """A cursor as parameters of a statement built once (shared.prepared): which of its values
    are NULL, which shapes the statement, and the others by name (`after0`, `after1`, ...)."""
    values = decode_cursor(cursor, keyset)
    nulls = tuple(value is None for value in values)
    return nulls, {f"after{i}": value for i, value in enumerate(values) if value is not None}


def after_parameters(keys: Sequence[SortKey], nulls: tuple[bool, ...]) -> ColumnElement[bool]:
    """after(), comparing with the parameters cursor_parameters() names."""
    return after(keys, [None if null else bindparam(f"after{i}") for i, null in enumerate(nulls)])


def ordered(statement: Select[Any], keyset: Keyset) -> Select[Any]:
    """The statement in the keyset's order."""
    return statement.order_by(
        *(key.expression.desc() if key.descending else key.expression.asc() for key in keyset.keys)
    )


def page_statement(
    statement: Select[Any], *, keyset: Keyset, limit: int, cursor: str | None
) -> Select[Any]:
    """The statement narrowed to the rows after `cursor`, in the keyset's order, one more than
    `limit` (which tells whether another page follows)."""
    if cursor is not None:
        statement = statement.where(after(keyset.keys, decode_cursor(cursor, keyset)))
    return ordered(statement, keyset).limit(limit + 1)


def page_of(rows: list[RowT], *, keyset: Keyset, limit: int) -> tuple[list[RowT], str | None]:
    """The page among what page_statement() fetched, and the next page's cursor (None at the
    end)."""
    if len(rows) <= limit:
        return rows, None
    page = rows[:limit]
    return page, encode_cursor(keyset, page[-1])


async def paginate(
    db: AsyncSession, statement: Select[Any], *, keyset: Keyset, limit: int, cursor: str | None
) -> tuple[list[Any], str | None]:
    """Up to `limit` entities of `statement` after `cursor`, and the next page's cursor (or
    None). Lists of plain rows fetch page_statement() their own way and call page_of()."""
    narrowed = page_statement(statement, keyset=keyset, limit=limit, cursor=cursor)
    rows = list((await db.scalars(narrowed)).all())
    return page_of(rows, keyset=keyset, limit=limit)

"""Statements built once and run on asyncpg (shared.prepared) return what SQLAlchemy returns."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from conftest import Person, run_db
from sqlalchemy import bindparam, func, select

from shared import clock
from shared.auth import SESSION_PRINCIPAL
from shared.database import read_connection, session_scope
from shared.models import Task
from shared.prepared import Prepared, Record, fetch_all, fetch_first
from shared.tasks.service import TASK_BY_ID, TASK_COLUMNS


def _create_rich_task(http: httpx.Client, person: Person) -> int:
    """A task with a value in every kind of column: text, JSON, instants, offsets, tags."""
    response = http.post(
        "/api/me/tasks",
        json={
            "title": "Water the ferns",
            "description": "the big ones",
            "priority": "high",
            "dueDate": "2026-12-01T09:30:00+05:30",
            "remindAt": "2026-12-01T03:00:00Z",
            "recurrence": {"frequency": "weekly", "interval": 2},
            "tags": ["Home", "plants"],
        },
        headers=person.headers,
    )
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


def test_a_task_row_from_the_driver_equals_sqlalchemys(http: httpx.Client, ada: Person) -> None:
    task_id = _create_rich_task(http, ada)
    params = {"task_id": task_id, "user_id": ada.id}

    async def both() -> tuple[Any, dict[str, Any]]:
        async with read_connection() as connection:
            driver_row = await fetch_first(connection, TASK_BY_ID, params)
            sqlalchemy_row = (await connection.execute(TASK_BY_ID.statement, params)).one()
            return driver_row, dict(sqlalchemy_row._mapping)

    driver_row, expected = run_db(both)
    assert isinstance(driver_row, Record), "on PostgreSQL the statement runs on asyncpg"
    assert driver_row._mapping == expected
    for name, value in expected.items():
        assert type(getattr(driver_row, name)) is type(value), name
    assert sorted(driver_row.tags) == ["Home", "plants"]
    assert driver_row.recurrence["frequency"] == "weekly"
    assert driver_row.due_date.utcoffset().total_seconds() == 0


def test_a_row_reads_by_attribute_and_refuses_unknown_names(
    http: httpx.Client, ada: Person
) -> None:
    task_id = _create_rich_task(http, ada)

    async def read() -> Any:
        async with read_connection() as connection:
            return await fetch_first(
                connection, TASK_BY_ID, {"task_id": task_id, "user_id": ada.id}
            )

    row = run_db(read)
    assert (row.id, row.title) == (task_id, "Water the ferns")
    with pytest.raises(AttributeError):
        _ = row.no_such_column


def test_a_missing_parameter_is_an_error_not_a_null(ada: Person) -> None:
    async def read() -> None:
        async with read_connection() as connection:
            await fetch_first(connection, SESSION_PRINCIPAL, {"token": "x"})

    with pytest.raises(KeyError, match="now"):
        run_db(read)


def test_the_statements_own_literals_are_sent_with_it(http: httpx.Client, ada: Person) -> None:
    # coalesce(description, '') holds its '' as a parameter of its own.
    task_id = _create_rich_task(http, ada)
    prepared = Prepared(
        select(func.coalesce(Task.description, "").label("text")).where(
            Task.id == bindparam("task_id")
        )
    )

    async def read() -> Any:
        async with read_connection() as connection:
            return await fetch_first(connection, prepared, {"task_id": task_id})

    assert run_db(read).text == "the big ones"


def test_a_read_that_opens_a_write_transaction_runs_inside_it(ada: Person) -> None:
    # SQLAlchemy begins a transaction lazily: a prepared read that comes first must run in it
    # (SQLAlchemy sends the BEGIN first), not in autocommit before it; what follows is then
    # one transaction, and it sees its own uncommitted work.
    tasks = Prepared(select(*TASK_COLUMNS).where(Task.user_id == bindparam("user_id")))

    async def work() -> tuple[bool, int, int]:
        async with session_scope() as db:
            connection = await db.connection()
            before = len(await fetch_all(connection, tasks, {"user_id": ada.id}))
            driver = (await connection.get_raw_connection()).driver_connection
            began = driver.is_in_transaction()
            now = clock.utcnow()
            db.add(
                Task(user_id=ada.id, title="uncommitted", version=1, created_at=now, updated_at=now)
            )
            await db.flush()
            after = len(await fetch_all(connection, tasks, {"user_id": ada.id}))
            await db.rollback()
            return began, before, after

    began, before, after = run_db(work)
    assert began
    assert after == before + 1

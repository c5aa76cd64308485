"""Idempotency-Key for POST: a retried request gets the first response and creates nothing.

The key's row is inserted first, in the same transaction as the work. A concurrent request
with the same key blocks on the unique index until that transaction ends, then finds the
stored response (or, if the first one failed and rolled back, does the work itself).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Awaitable, Callable
from datetime import timedelta

from pydantic import BaseModel
from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import Request
from starlette.responses import Response

from shared import clock
from shared.database import session_scope
from shared.errors import ConflictError, ValidationError, field_error
from shared.models import IdempotencyKey

HEADER = "Idempotency-Key"
HEADER_DESCRIPTION = (
    "1-255 printable ASCII characters. A retry with the same key and body within 24 hours "
    "returns the first response (Idempotent-Replayed: true) and creates nothing; a different "
    "body is a 422."
)
REPLAYED_HEADER = "Idempotent-Replayed"
REPLAYED_DESCRIPTION = "true when this is the stored first response."
TTL = timedelta(hours=24)
MAX_KEY_LENGTH = 255
# Printable ASCII, at most 255 characters, not starting or ending with a space.
KEY_PATTERN = f"^[!-~]([ -~]{{0,{MAX_KEY_LENGTH - 2}}}[!-~])?$"
KEY_SCHEMA = {"type": "string", "minLength": 1, "maxLength": MAX_KEY_LENGTH, "pattern": KEY_PATTERN}
_KEY = re.compile(KEY_PATTERN)
# Headers of the first response that a replay repeats.
REPLAYED_HEADERS = ("Location", "ETag")

Work = Callable[[AsyncSession], Awaitable[Response]]


class IdempotencyKeyReusedError(ValidationError):
    code = "idempotency_key_reused"
    default_message = "This Idempotency-Key was already used with a different request."


class IdempotencyInProgressError(ConflictError):
    code = "idempotency_in_progress"
    default_message = "A request with this Idempotency-Key is still being processed; retry."


def read_key(request: Request) -> str | None:
    """The Idempotency-Key header, or None; an empty, overlong or non-ASCII one is a 422."""
    key = request.headers.get(HEADER)
    if key is None:
        return None
    if not _KEY.fullmatch(key):
        raise ValidationError(
            details=[
                field_error(
                    ["header", HEADER],
                    "Give 1 to 255 printable ASCII characters, not starting or ending in a space.",
                )
            ]
        )
    return key


def fingerprint(operation: str, payload: BaseModel) -> str:
    """A hash of what the request asks for: the operation and its validated body."""
    canonical = json.dumps(
        {"op": operation, "body": payload.model_dump(mode="json", by_alias=True)},
        sort_keys=True,
        separators=(",", ":"),
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


async def _claim(db: AsyncSession, *, user_id: str, key: str, request_hash: str) -> bool:
    """Take the key for this request (True), or leave it to a live earlier one (False)."""
    now = clock.utcnow()
    values = {
        "user_id": user_id,
        "key": key,
        "request_hash": request_hash,
        "created_at": now,
        "status_code": None,
        "response_body": None,
        "response_headers": None,
    }
    dialect = postgresql if db.get_bind().dialect.name == "postgresql" else sqlite
    statement = dialect.insert(IdempotencyKey).values(**values)
    table = IdempotencyKey.__table__
    # An expired key is taken over as if it were new.
    statement = statement.on_conflict_do_update(
        index_elements=[table.c.userId, table.c.key],
        set_={
            "requestHash": statement.excluded.requestHash,
            "createdAt": statement.excluded.createdAt,
            "statusCode": None,
            "responseBody": None,
            "responseHeaders": None,
        },
        where=table.c.createdAt < now - TTL,
    ).returning(table.c.id)
    return (await db.execute(statement)).first() is not None


async def _stored(db: AsyncSession, *, user_id: str, key: str, request_hash: str) -> Response:
    record = await db.scalar(
        select(IdempotencyKey)
        .where(IdempotencyKey.user_id == user_id, IdempotencyKey.key == key)
        .execution_options(populate_existing=True)
    )
    if record is None or record.status_code is None or record.response_body is None:
        raise IdempotencyInProgressError()
    if record.request_hash != request_hash:
        raise IdempotencyKeyReusedError(
            details=[field_error(["header", HEADER], "Already used with a different request.")]
        )
    headers = dict(record.response_headers or {})
    headers[REPLAYED_HEADER] = "true"
    return Response(
        record.response_body,
        status_code=record.status_code,
        headers=headers,
        media_type="application/json",
    )


async def _remember(db: AsyncSession, *, user_id: str, key: str, response: Response) -> None:
    record = await db.scalar(
        select(IdempotencyKey).where(IdempotencyKey.user_id == user_id, IdempotencyKey.key == key)
    )
    assert record is not None, "the key was claimed in this transaction"
    record.status_code = response.status_code
    record.response_body = bytes(response.body).decode()
    record.response_headers = {
        name: response.headers[name] for name in REPLAYED_HEADERS if name in response.headers
    }
    await db.flush()


async def _forget_expired(db: AsyncSession, *, user_id: str) -> None:
    # A few at a time, skipping rows another request holds, so housekeeping never waits.
    expired = (
        select(IdempotencyKey.id)
        .where(IdempotencyKey.user_id == user_id, IdempotencyKey.created_at < clock.utcnow() - TTL)
        .limit(100)
        .with_for_update(skip_locked=True)
    )
    await db.execute(delete(IdempotencyKey).where(IdempotencyKey.id.in_(expired.scalar_subquery())))


async def run_once(
    request: Request, *, user_id: str, operation: str, payload: BaseModel, work: Work
) -> Response:
    """Run `work` in one transaction, at most once per Idempotency-Key (when one is sent).

    Only responses are remembered: an error raised by the work rolls the key back with it, so
    a retry runs again.
    """
    key = read_key(request)
    async with session_scope() as db:
        if key is None:
            return await work(db)
        request_hash = fingerprint(operation, payload)
        await _forget_expired(db, user_id=user_id)
        if not await _claim(db, user_id=user_id, key=key, request_hash=request_hash):
            return await _stored(db, user_id=user_id, key=key, request_hash=request_hash)
        response = await work(db)
        await _remember(db, user_id=user_id, key=key, response=response)
        return response

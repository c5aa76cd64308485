"""Binding a request to its operation: who asks, the parsed path ids, query and body.

`bind(op)` is the endpoint Starlette calls for a declared operation. It checks and parses in
one order for every route: credentials (401, 403 for another person's {userId}), path ids
(404), query (422), body (415, 413, 400, 422); then it opens the operation's database session
(or, for an idempotent POST, lets shared.idempotency open it) and runs the handler with a
`Call`. What a service refuses about its input (InvalidInputError) is placed in the request
here, so services never name request paths.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Generic, TypeVar

from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession
from starlette.requests import Request
from starlette.responses import Response

from shared import idempotency
from shared.auth import Principal
from shared.database import read_connection, session_scope
from shared.errors import InvalidInputError
from shared.etags import IF_MATCH_HEADER, IF_NONE_MATCH_HEADER, EntityTags
from shared.http import authenticate, authorize_owner, path_id, read_json, read_query

if TYPE_CHECKING:
    from shared.routing import Endpoint, Operation

BodyT = TypeVar("BodyT", covariant=True)
QueryT = TypeVar("QueryT", covariant=True)


@dataclass(frozen=True)
class Call(Generic[BodyT, QueryT]):
    """One request as its handler sees it, already checked: `Call[Body, Query]`, with None for
    what the operation does not take."""

    request: Request
    body: BodyT
    query: QueryT
    ids: dict[str, int]
    caller: Principal | None
    session: AsyncSession | None = None
    connection: AsyncConnection | None = None

    @property
    def principal(self) -> Principal:
        """The authenticated caller (every operation but the public ones has one)."""
        assert self.caller is not None, "the operation is declared authenticated=False"
        return self.caller

    @property
    def user_id(self) -> str:
        """The caller's user id, which is also whose data the path names."""
        return self.principal.user.id

    @property
    def db(self) -> AsyncSession:
        """The operation's database session (session="write")."""
        assert self.session is not None, "the operation is declared without a write session"
        return self.session

    @property
    def writer(self) -> AsyncSession | AsyncConnection:
        """Where the operation's write goes: its transaction's session or, for a write of one
        statement (Operation.one_statement), the request's connection in autocommit."""
        if self.session is not None:
            return self.session
        assert self.connection is not None, "the operation is declared without a database"
        return self.connection

    @property
    def reader(self) -> AsyncConnection:
        """The operation's connection for Core reads, in autocommit (session="read")."""
        assert self.connection is not None, "the operation is declared without session='read'"
        return self.connection

    @property
    def if_match(self) -> EntityTags | None:
        """The If-Match precondition, parsed; None when the request has none."""
        return EntityTags.parse(self.request.headers.get(IF_MATCH_HEADER))

    @property
    def if_none_match(self) -> EntityTags | None:
        """The If-None-Match condition, parsed; None when the request has none."""
        return EntityTags.parse(self.request.headers.get(IF_NONE_MATCH_HEADER))


def _is_one_statement(op: Operation, call: Call[object, object]) -> bool:
    return (
        op.one_statement is not None
        and op.one_statement(call.body)
        and idempotency.read_key(call.request) is None
    )


async def _run(op: Operation, call: Call[object, object]) -> Response:
    if _is_one_statement(op, call):
        async with read_connection() as connection:
            return await op.handler(replace(call, connection=connection))
    if op.idempotency is not None:

        async def work(db: AsyncSession) -> Response:
            return await op.handler(replace(call, session=db))

        assert isinstance(call.body, BaseModel), "an idempotent operation fingerprints its body"
        return await idempotency.run_once(
            call.request,
            user_id=call.user_id,
            operation=op.idempotency,
            payload=call.body,
            work=work,
        )
    if op.session is None:
        return await op.handler(call)
    if op.session == "read":
        async with read_connection() as connection:
            return await op.handler(replace(call, connection=connection))
    async with session_scope() as db:
        return await op.handler(replace(call, session=db))


def bind(op: Operation) -> Endpoint:
    """The Starlette endpoint serving `op`: parse and check the request, run the handler."""
    ids = [p.name for p in op.path_parameters if not p.is_owner]
    # A path with {userId} names whose data it is: only its owner may use it.
    owned = len(ids) < len(op.path_parameters)
    # Input a service refuses came in the body when the operation takes one, else the query.
    source = "body" if op.body is not None else "query"

    async def endpoint(request: Request) -> Response:
        caller: Principal | None = None
        if op.authenticated:
            caller = await authorize_owner(request) if owned else await authenticate(request)
        path_ids = {name: path_id(request, name) for name in ids}
        query = read_query(request, op.query) if op.query is not None else None
        body = (
            await read_json(request, op.body, optional=not op.body_required)
            if op.body is not None
            else None
        )
        call: Call[object, object] = Call(request, body, query, path_ids, caller)
        try:
            return await _run(op, call)
        except InvalidInputError as error:
            raise error.located(source) from error

    endpoint.__name__ = endpoint.__qualname__ = op.name
    return endpoint

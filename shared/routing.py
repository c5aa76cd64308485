"""Operations: one declaration per endpoint, from which the routes and the OpenAPI schema come.

A function module makes a `Router` and declares each operation on the handler it runs:

    router = Router("categories")

    @router.route("GET", ITEM, "Get a category", response=CategoryRead, errors=(404,))
    async def get_category(call: Call[None, None]) -> Response:
        ...

    operations = router.operations

The declaration says what the request carries (body, query, path ids) and `shared.binding`
parses it before the handler runs, so a handler is the service call and the response.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import BaseModel
from pydantic.alias_generators import to_camel
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from shared.binding import bind

Endpoint = Callable[[Request], Awaitable[Response]]
# A handler takes the bound request (shared.binding.Call); typed loosely here so that each
# handler can name its own body and query models.
Handler = Callable[[Any], Awaitable[Response]]
# The database access a handler gets (shared.database): "write", a session in one transaction
# committed after the handler returns (`call.db`); "read", a connection in autocommit for Core
# reads, with no BEGIN/COMMIT round trips and no ORM session (`call.reader`).
SessionKind = Literal["write", "read"]

OWNER_PARAMETER = "user_id"
_PATH_PARAMETER = re.compile(r"{([a-zA-Z_]+)(?::[a-z]+)?}")


@dataclass(frozen=True)
class PathParameter:
    """A `{name}` of a route: the owner's id (`user_id`, the caller or `me`) or an entity id."""

    name: str

    @property
    def public_name(self) -> str:
        """How the documented API spells it: camelCase, as every wire name is."""
        return to_camel(self.name)

    @property
    def is_owner(self) -> bool:
        return self.name == OWNER_PARAMETER


def public_path(path: str) -> str:
    """The path as the API documents it: `/api/{userId}/tasks/{taskId}`."""
    return _PATH_PARAMETER.sub(lambda m: "{" + to_camel(m[1]) + "}", path)


@dataclass(frozen=True)
class Operation:
    """An HTTP method on a path, its handler, and what it takes and returns.

    `idempotency` names the operation for Idempotency-Key fingerprints: such a POST runs at
    most once per key (shared.idempotency), in the transaction the key is claimed in.

    `one_statement` says, of a body, whether the handler writes it with a single statement. A
    single statement is atomic on its own, so such a request without an Idempotency-Key runs
    on the request's connection in autocommit (`call.writer`): no BEGIN and COMMIT round trips.
    """

    method: str
    path: str
    handler: Handler
    summary: str
    tag: str
    body: type[BaseModel] | None = None
    body_required: bool = True
    query: type[BaseModel] | None = None
    response: type[BaseModel] | None = None
    status_code: int = 200
    errors: tuple[int, ...] = ()
    authenticated: bool = True
    session: SessionKind | None = "write"
    idempotency: str | None = None
    one_statement: Callable[[Any], bool] | None = None
    response_headers: dict[str, str] = field(default_factory=dict)
    request_headers: dict[str, str] = field(default_factory=dict)

    @property
    def name(self) -> str:
        """The handler's name, which is also the documented operationId."""
        return self.handler.__name__

    @property
    def path_parameters(self) -> list[PathParameter]:
        """The parameters of the path, in order."""
        return [PathParameter(name) for name in _PATH_PARAMETER.findall(self.path)]


class Router:
    """The operations of one function module, each declared on its handler."""

    def __init__(self, tag: str) -> None:
        self.tag = tag
        self.operations: list[Operation] = []

    def route(
        self, method: str, path: str, summary: str, **options: Any
    ) -> Callable[[Handler], Handler]:
        """Declare an operation served by the decorated handler; `options` are Operation's
        fields (body, query, response, status_code, errors, ...). The handler is returned
        unchanged, so it stays an ordinary function."""

        def declare(handler: Handler) -> Handler:
            self.operations.append(Operation(method, path, handler, summary, self.tag, **options))
            return handler

        return declare


def _dispatcher(endpoints: dict[str, Endpoint]) -> Endpoint:
    async def dispatch(request: Request) -> Response:
        # Starlette adds HEAD wherever GET is allowed; it is answered by the GET endpoint.
        method = "GET" if request.method == "HEAD" else request.method
        return await endpoints[method](request)

    return dispatch


def build_routes(operations: Iterable[Operation]) -> list[Route]:
    """One Starlette route per path, in first-declared order, serving each declared method.

    Grouping by path lets Starlette answer a wrong method with 405 and an Allow header that
    lists every method of the path.
    """
    by_path: dict[str, dict[str, Endpoint]] = {}
    for op in operations:
        by_path.setdefault(op.path, {})[op.method] = bind(op)
    return [
        Route(path, _dispatcher(endpoints), methods=list(endpoints), name=path)
        for path, endpoints in by_path.items()
    ]

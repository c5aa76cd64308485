"""Operations: one declaration per endpoint, from which the routes and the OpenAPI schema come."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field

from pydantic import BaseModel
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

Endpoint = Callable[[Request], Awaitable[Response]]


@dataclass(frozen=True)
class Operation:
    """An HTTP method on a path, its handler, and what it takes and returns."""

    method: str
    path: str
    endpoint: Endpoint
    summary: str
    tag: str
    body: type[BaseModel] | None = None
    body_required: bool = True
    query: type[BaseModel] | None = None
    response: type[BaseModel] | None = None
    status_code: int = 200
    errors: tuple[int, ...] = ()
    authenticated: bool = True
    response_headers: dict[str, str] = field(default_factory=dict)
    request_headers: dict[str, str] = field(default_factory=dict)


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
        by_path.setdefault(op.path, {})[op.method] = op.endpoint
    return [
        Route(path, _dispatcher(endpoints), methods=list(endpoints), name=path)
        for path, endpoints in by_path.items()
    ]

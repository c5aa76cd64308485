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


def build_routes(operations: Iterable[Operation]) -> list[Route]:
    """One Starlette route per operation; Starlette answers 405 for a known path, wrong method."""
    return [
        Route(op.path, op.endpoint, methods=[op.method], name=f"{op.method} {op.path}")
        for op in operations
    ]

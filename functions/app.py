"""The container entry point: every function module's routes in one app, served by uvicorn.

This is the only module that imports every function module.
"""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from functions import categories, chat, health, me, reminders, tags, tasks
from shared.application import create_app, lambda_handler
from shared.openapi import build_openapi
from shared.routing import Operation, build_routes

API_TITLE = "Ironclad Todo API"
API_VERSION = "1.0.0"

operations: list[Operation] = [
    *health.operations,
    *me.operations,
    *tasks.operations,
    *reminders.operations,
    *tags.operations,
    *categories.operations,
    *chat.operations,
]
_openapi = build_openapi(operations, title=API_TITLE, version=API_VERSION)


async def openapi(request: Request) -> Response:
    """The OpenAPI document, generated from the operations and their pydantic models."""
    return JSONResponse(_openapi)


routes = [
    *build_routes(operations),
    *build_routes(
        [Operation("GET", "/openapi.json", openapi, "OpenAPI", "meta", authenticated=False)]
    ),
]


def create_container_app() -> Starlette:
    """The composed app, with the schema checked in its lifespan."""
    return create_app(routes)


app = create_container_app()
# The whole API as one Lambda, for deployments that prefer a single function.
handler = lambda_handler(routes)


if __name__ == "__main__":
    from functions.__main__ import main

    main()

"""The container entry point: every function module's routes in one app, served by uvicorn.

This is the only module that imports every function module.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from starlette.applications import Starlette
from starlette.responses import JSONResponse, Response

from functions import categories, chat, health, me, reminders, tags, tasks
from shared.api_docs import docs_routes
from shared.application import LazyApp, create_app, lambda_handler
from shared.binding import Call
from shared.openapi import build_openapi
from shared.routing import Operation, Router, build_routes

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
router = Router("meta")


@cache
def _openapi() -> dict[str, Any]:
    return build_openapi(operations, title=API_TITLE, version=API_VERSION)


@router.route("GET", "/openapi.json", "OpenAPI", authenticated=False, session=None)
async def openapi(call: Call[None, None]) -> Response:
    """The OpenAPI document, generated from the operations and their pydantic models."""
    return JSONResponse(_openapi())


routes = [
    *build_routes([*operations, *router.operations]),
    # Swagger UI for people; not an API operation, so not in the document it shows.
    *docs_routes(title=API_TITLE, openapi_url="/openapi.json"),
]


def create_container_app() -> Starlette:
    """The composed app, with the schema checked in its lifespan."""
    return create_app(routes)


app = LazyApp(create_container_app)
# The whole API as one Lambda, for deployments that prefer a single function.
handler = lambda_handler(routes)


if __name__ == "__main__":
    from functions.__main__ import main

    main()

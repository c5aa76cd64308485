"""Route declarations: what a Router records, and what the OpenAPI document takes from a route."""

from __future__ import annotations

from starlette.responses import Response

from functions import app
from shared.binding import Call
from shared.categories.schemas import CategoryCreate, CategoryRead
from shared.openapi import build_openapi
from shared.routing import Router, public_path


def test_a_declaration_records_the_operation_and_leaves_the_handler_as_it_was() -> None:
    router = Router("widgets")

    async def make_widget(call: Call[CategoryCreate, None]) -> Response:
        return Response(status_code=201)

    declared = router.route(
        "POST", "/api/{user_id}/widgets", "Make a widget", body=CategoryCreate, status_code=201
    )(make_widget)

    assert declared is make_widget
    [op] = router.operations
    assert (op.method, op.path, op.tag, op.name) == (
        "POST",
        "/api/{user_id}/widgets",
        "widgets",
        "make_widget",
    )
    assert op.body is CategoryCreate and op.status_code == 201


def test_path_parameters_are_documented_from_the_route_alone() -> None:
    # A parameter no table has heard of is documented all the same: named as the wire names
    # everything (camelCase) and typed as the id the binder parses it into.
    router = Router("widgets")

    async def get_widget_part(call: Call[None, None]) -> Response:
        return Response()

    path = "/api/{user_id}/widgets/{widget_id}/parts/{part_id}"
    router.route("GET", path, "Get a part", response=CategoryRead)(get_widget_part)
    document = build_openapi(router.operations, title="t", version="1")

    assert list(document["paths"]) == ["/api/{userId}/widgets/{widgetId}/parts/{partId}"]
    parameters = document["paths"]["/api/{userId}/widgets/{widgetId}/parts/{partId}"]["get"][
        "parameters"
    ]
    assert [(p["name"], p["in"], p["schema"]["type"]) for p in parameters] == [
        ("userId", "path", "string"),
        ("widgetId", "path", "integer"),
        ("partId", "path", "integer"),
    ]


def test_every_documented_path_names_each_parameter_in_camel_case() -> None:
    document = build_openapi(app.operations, title="t", version="1")
    for op in app.operations:
        documented = document["paths"][public_path(op.path)][op.method.lower()]
        names = {p["name"] for p in documented["parameters"] if p["in"] == "path"}
        assert names == {p.public_name for p in op.path_parameters}, op.path
        assert "_" not in public_path(op.path), op.path

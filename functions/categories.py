"""Categories under /api/{userId}/categories."""

from __future__ import annotations

from starlette.responses import Response

from shared.application import lambda_handler
from shared.binding import Call
from shared.categories import service
from shared.categories.schemas import CategoryCreate, CategoryList, CategoryPatch, CategoryRead
from shared.http import json_response
from shared.models import Category
from shared.routing import Router, build_routes

COLLECTION = "/api/{user_id}/categories"
ITEM = COLLECTION + "/{category_id}"

router = Router("categories")


def _read(category: Category) -> CategoryRead:
    return CategoryRead.model_validate(category, from_attributes=True)


@router.route("GET", COLLECTION, "List your categories", response=CategoryList)
async def list_categories(call: Call[None, None]) -> Response:
    """Every category of the person, by name."""
    found = await service.list_categories(call.db, user_id=call.user_id)
    return json_response(CategoryList(items=[_read(c) for c in found]))


@router.route(
    "POST",
    COLLECTION,
    "Create a category",
    body=CategoryCreate,
    response=CategoryRead,
    status_code=201,
    errors=(409,),
    idempotency="categories.create",
    response_headers={"Location": "The new category's URL"},
)
async def create_category(call: Call[CategoryCreate, None]) -> Response:
    """Create a category; 409 when the name is taken (case-insensitively)."""
    category = await service.create_category(call.db, user_id=call.user_id, data=call.body)
    location = f"/api/{call.user_id}/categories/{category.id}"
    return json_response(_read(category), status_code=201, headers={"Location": location})


@router.route("GET", ITEM, "Get a category", response=CategoryRead, errors=(404,))
async def get_category(call: Call[None, None]) -> Response:
    """One category of the person's."""
    category = await service.get_category(
        call.db, user_id=call.user_id, category_id=call.ids["category_id"]
    )
    return json_response(_read(category))


async def _update(call: Call[CategoryCreate | CategoryPatch, None]) -> Response:
    category = await service.update_category(
        call.db, user_id=call.user_id, category_id=call.ids["category_id"], changes=call.body
    )
    return json_response(_read(category))


@router.route(
    "PUT", ITEM, "Replace a category", body=CategoryCreate, response=CategoryRead, errors=(404, 409)
)
async def replace_category(call: Call[CategoryCreate, None]) -> Response:
    """Replace a category's name and colour."""
    return await _update(call)


@router.route(
    "PATCH",
    ITEM,
    "Change some fields of a category",
    body=CategoryPatch,
    response=CategoryRead,
    errors=(404, 409),
)
async def patch_category(call: Call[CategoryPatch, None]) -> Response:
    """Change the given fields of a category."""
    return await _update(call)


@router.route(
    "DELETE", ITEM, "Delete a category (its tasks are kept)", status_code=204, errors=(404,)
)
async def delete_category(call: Call[None, None]) -> Response:
    """Delete a category; its tasks are kept and lose their categoryId."""
    category_id = call.ids["category_id"]
    await service.delete_category(call.db, user_id=call.user_id, category_id=category_id)
    return Response(status_code=204)


operations = router.operations
routes = build_routes(operations)
handler = lambda_handler(routes)

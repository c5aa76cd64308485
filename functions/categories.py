"""Categories under /api/{userId}/categories."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import Request
from starlette.responses import Response

from shared import idempotency
from shared.application import lambda_handler
from shared.database import session_scope
from shared.http import authorize_owner, json_response, path_id, read_json
from shared.routing import Operation, build_routes
from shared.schemas import CategoryCreate, CategoryList, CategoryPatch, CategoryRead
from shared.services import categories as service

COLLECTION = "/api/{user_id}/categories"
ITEM = COLLECTION + "/{category_id}"


def _read(category: object) -> CategoryRead:
    return CategoryRead.model_validate(category, from_attributes=True)


async def list_categories(request: Request) -> Response:
    """Every category of the person, by name."""
    principal = await authorize_owner(request)
    async with session_scope() as db:
        found = await service.list_categories(db, user_id=principal.user.id)
        return json_response(CategoryList(items=[_read(c) for c in found]))


async def create_category(request: Request) -> Response:
    """Create a category; 409 when the name is taken (case-insensitively)."""
    principal = await authorize_owner(request)
    data = await read_json(request, CategoryCreate)
    user_id = principal.user.id

    async def work(db: AsyncSession) -> Response:
        category = await service.create_category(db, user_id=user_id, data=data)
        location = f"/api/{user_id}/categories/{category.id}"
        return json_response(_read(category), status_code=201, headers={"Location": location})

    return await idempotency.run_once(
        request, user_id=user_id, operation="categories.create", payload=data, work=work
    )


async def get_category(request: Request) -> Response:
    """One category of the person's."""
    principal = await authorize_owner(request)
    category_id = path_id(request, "category_id")
    async with session_scope() as db:
        category = await service.get_category(
            db, user_id=principal.user.id, category_id=category_id
        )
        return json_response(_read(category))


async def _update(request: Request, *, replace: bool) -> Response:
    principal = await authorize_owner(request)
    category_id = path_id(request, "category_id")
    data = await read_json(request, CategoryCreate if replace else CategoryPatch)
    changes = CategoryPatch.model_validate(data.model_dump(exclude_unset=not replace))
    async with session_scope() as db:
        category = await service.update_category(
            db, user_id=principal.user.id, category_id=category_id, data=changes, replace=replace
        )
        return json_response(_read(category))


async def replace_category(request: Request) -> Response:
    """Replace a category's name and colour."""
    return await _update(request, replace=True)


async def patch_category(request: Request) -> Response:
    """Change the given fields of a category."""
    return await _update(request, replace=False)


async def delete_category(request: Request) -> Response:
    """Delete a category; its tasks are kept and lose their categoryId."""
    principal = await authorize_owner(request)
    category_id = path_id(request, "category_id")
    async with session_scope() as db:
        await service.delete_category(db, user_id=principal.user.id, category_id=category_id)
    return Response(status_code=204)


TAG = "categories"
operations = [
    Operation(
        "GET", COLLECTION, list_categories, "List your categories", TAG, response=CategoryList
    ),
    Operation(
        "POST",
        COLLECTION,
        create_category,
        "Create a category",
        TAG,
        body=CategoryCreate,
        response=CategoryRead,
        status_code=201,
        errors=(409,),
        request_headers={idempotency.HEADER: idempotency.HEADER_DESCRIPTION},
        response_headers={
            "Location": "The new category's URL",
            idempotency.REPLAYED_HEADER: "true when this is the stored first response.",
        },
    ),
    Operation(
        "GET", ITEM, get_category, "Get a category", TAG, response=CategoryRead, errors=(404,)
    ),
    Operation(
        "PUT",
        ITEM,
        replace_category,
        "Replace a category",
        TAG,
        body=CategoryCreate,
        response=CategoryRead,
        errors=(404, 409),
    ),
    Operation(
        "PATCH",
        ITEM,
        patch_category,
        "Change some fields of a category",
        TAG,
        body=CategoryPatch,
        response=CategoryRead,
        errors=(404, 409),
    ),
    Operation(
        "DELETE",
        ITEM,
        delete_category,
        "Delete a category (its tasks are kept)",
        TAG,
        status_code=204,
        errors=(404,),
    ),
]
routes = build_routes(operations)
handler = lambda_handler(routes)

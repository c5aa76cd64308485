"""Wire models of categories."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import StringConstraints

from shared.pagination import ItemList
from shared.schemas import NOT_BLANK, ApiModel, PatchModel, RequestModel, Storable

CategoryName = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=50), Storable, NOT_BLANK
]
Color = Annotated[str, StringConstraints(pattern=r"^#[0-9A-Fa-f]{6}$")]


class CategoryCreate(RequestModel):
    name: CategoryName
    color: Color | None = None


class CategoryPatch(PatchModel):
    not_null = ("name",)

    name: CategoryName | None = None
    color: Color | None = None


class CategoryRead(ApiModel):
    id: int
    user_id: str
    name: str
    color: str | None
    created_at: datetime
    updated_at: datetime


CategoryList = ItemList[CategoryRead]

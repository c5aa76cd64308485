"""Wire models of tags."""

from __future__ import annotations

from pydantic import Field

from shared.pagination import ItemList
from shared.schemas import ApiModel


class TagCount(ApiModel):
    name: str
    count: int = Field(description="How many of your (non-deleted) tasks carry it.")


TagList = ItemList[TagCount]

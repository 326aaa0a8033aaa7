"""Shapes of the category endpoints: create, update, list query and the category itself."""

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from app.models.category import CATEGORY_DESCRIPTION_MAX, CATEGORY_NAME_MAX
from app.schemas.common_schema import (
    NOT_BLANK,
    NOT_SENT,
    PAGE_CURSOR,
    PAGE_LIMIT,
    Links,
    PartialUpdate,
    RequestModel,
    RowId,
)

CategorySort = Literal["name", "-name", "id", "-id", "created_at", "-created_at"]

Name = Annotated[
    str,
    Field(min_length=1, max_length=CATEGORY_NAME_MAX, pattern=NOT_BLANK, examples=["Garden tools"]),
]
Description = Annotated[
    str, Field(max_length=CATEGORY_DESCRIPTION_MAX, examples=["Spades, rakes and shears"])
]
STRICT_INPUT = ConfigDict(extra="forbid", str_strip_whitespace=True)


class CategoryPath(BaseModel):
    """The category named in the URL."""

    category_id: RowId = Field(json_schema_extra={"example": 3})


class CategoryCreate(BaseModel):
    """A new category: a unique name and an optional description."""

    model_config = STRICT_INPUT

    name: Name
    description: Description | None = None


class CategoryUpdate(PartialUpdate):
    """A partial change: only the fields sent change; `description` may be null."""

    model_config = STRICT_INPUT
    nullable_fields = frozenset({"description"})

    name: Name | None = NOT_SENT
    description: Description | None = None


class CategoryListQuery(RequestModel):
    """Order and page of GET /api/categories."""

    model_config = ConfigDict(extra="forbid")

    sort: CategorySort = Field(default="name", description="A field, `-` first for descending")
    limit: int = PAGE_LIMIT
    cursor: str | None = PAGE_CURSOR


class CategoryOut(BaseModel):
    """A category as the API shows it."""

    model_config = ConfigDict(from_attributes=True)

    id: int = Field(examples=[3])
    name: str = Field(examples=["Garden tools"])
    description: str | None = Field(examples=["Spades, rakes and shears"])
    created_at: datetime = Field(examples=["2026-11-23T10:00:00Z"])
    updated_at: datetime = Field(examples=["2026-11-23T10:05:00Z"])


class CategoryData(BaseModel):
    """`{"data": category}`."""

    data: CategoryOut


class CategoryList(BaseModel):
    """One page of categories."""

    data: list[CategoryOut]
    links: Links

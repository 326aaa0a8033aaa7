"""Shapes of the product endpoints: create, update, list query and the product itself.

A price is accepted as a JSON string or number, must be 0 or more with at most two
decimals, and is always shown as a string with two decimals ("12.50").
"""

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PlainSerializer,
    ValidationInfo,
    field_validator,
)

from app.models.product import (
    PRICE_PRECISION,
    PRICE_SCALE,
    PRODUCT_DESCRIPTION_MAX,
    PRODUCT_NAME_MAX,
    SKU_MAX,
)
from app.schemas.common_schema import (
    JSON_INTEGER,
    MAX_ROW_ID,
    NOT_BLANK,
    NOT_SENT,
    PAGE_CURSOR,
    PAGE_LIMIT,
    Links,
    PartialUpdate,
    RequestModel,
    RowId,
)

ProductSort = Literal[
    "name", "-name", "sku", "-sku", "price", "-price", "created_at", "-created_at", "id", "-id"
]

Price = Annotated[
    Decimal,
    Field(
        ge=0,
        max_digits=PRICE_PRECISION,
        decimal_places=PRICE_SCALE,
        allow_inf_nan=False,
        examples=["12.50"],
    ),
]
PriceOut = Annotated[
    Decimal, PlainSerializer(lambda price: f"{price:.2f}", return_type=str, when_used="json")
]
Sku = Annotated[
    str, Field(min_length=1, max_length=SKU_MAX, pattern=NOT_BLANK, examples=["SPADE-001"])
]
Name = Annotated[
    str, Field(min_length=1, max_length=PRODUCT_NAME_MAX, pattern=NOT_BLANK, examples=["Spade"])
]
Description = Annotated[
    str, Field(max_length=PRODUCT_DESCRIPTION_MAX, examples=["A sturdy steel spade."])
]
CategoryIds = Annotated[
    list[Annotated[int, Field(ge=1, le=MAX_ROW_ID), JSON_INTEGER]],
    Field(max_length=100, examples=[[1, 2]]),
]
STRICT_INPUT = ConfigDict(extra="forbid", str_strip_whitespace=True)


class ProductPath(BaseModel):
    """The product named in the URL."""

    product_id: RowId = Field(json_schema_extra={"example": 7})


class ProductCreate(BaseModel):
    """A new product: sku, name and price are required."""

    model_config = STRICT_INPUT

    sku: Sku
    name: Name
    price: Price
    description: Description | None = None
    categories: CategoryIds = Field(default_factory=list)


class ProductUpdate(PartialUpdate):
    """A partial change: only the fields sent change; `categories` replaces the set."""

    model_config = STRICT_INPUT
    nullable_fields = frozenset({"description"})

    sku: Sku | None = NOT_SENT
    name: Name | None = NOT_SENT
    price: Price | None = NOT_SENT
    description: Description | None = None
    categories: CategoryIds | None = NOT_SENT


class ProductListQuery(RequestModel):
    """Search, filters, order and page of GET /api/products."""

    model_config = ConfigDict(extra="forbid")

    q: str | None = Field(
        default=None,
        min_length=1,
        max_length=200,
        description="Full-text search, ranked",
        json_schema_extra={"example": "steel spade"},
    )
    category: RowId | None = Field(
        default=None, description="Only products in it", json_schema_extra={"example": 3}
    )
    min_price: Price | None = None
    max_price: Price | None = None
    sort: ProductSort | None = Field(
        default=None,
        description="A field, `-` first for descending; default: rank with q, else name",
    )
    limit: int = PAGE_LIMIT
    cursor: str | None = PAGE_CURSOR

    @field_validator("max_price")
    @classmethod
    def _check_price_range(cls, value: Decimal | None, info: ValidationInfo) -> Decimal | None:
        minimum = info.data.get("min_price")
        if value is not None and minimum is not None and value < minimum:
            raise ValueError("must not be less than min_price")
        return value


class CategorySummary(BaseModel):
    """A category as shown inside a product."""

    model_config = ConfigDict(from_attributes=True)

    id: int = Field(examples=[3])
    name: str = Field(examples=["Garden tools"])


class ProductOut(BaseModel):
    """A product as the API shows it; `price` is a string with two decimals."""

    model_config = ConfigDict(from_attributes=True)

    id: int = Field(examples=[7])
    sku: str = Field(examples=["SPADE-001"])
    name: str = Field(examples=["Spade"])
    description: str | None = Field(examples=["A sturdy steel spade."])
    price: PriceOut = Field(json_schema_extra={"type": "string", "examples": ["12.50"]})
    categories: list[CategorySummary]
    created_at: datetime = Field(examples=["2026-11-23T10:00:00Z"])
    updated_at: datetime = Field(examples=["2026-11-23T10:05:00Z"])


class ProductData(BaseModel):
    """`{"data": product}`."""

    data: ProductOut


class ProductList(BaseModel):
    """One page of products."""

    data: list[ProductOut]
    links: Links

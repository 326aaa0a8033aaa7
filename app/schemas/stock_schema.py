"""Shapes of a store's stock: add, change (set or adjust) and the stocked items."""

from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from app.models.stock_item import MAX_QUANTITY
from app.schemas.common_schema import JSON_INTEGER, NOT_SENT, Links, RowId

Quantity = Annotated[int, Field(ge=0, le=MAX_QUANTITY, examples=[12]), JSON_INTEGER]
Delta = Annotated[int, Field(ge=-MAX_QUANTITY, le=MAX_QUANTITY, examples=[-3]), JSON_INTEGER]


class StockItemPath(BaseModel):
    """The store and product named in the URL."""

    store_id: RowId = Field(json_schema_extra={"example": 1})
    product_id: RowId = Field(json_schema_extra={"example": 7})


class StockAdd(BaseModel):
    """Start stocking a product; the body is optional and the quantity defaults to 0."""

    # `openapi_extra.required = False` documents the body as optional, and tells
    # app/api/request_body.py to accept a request with no body at all.
    model_config = ConfigDict(
        extra="forbid",
        openapi_extra={"required": False},  # type: ignore[typeddict-unknown-key]
    )

    quantity: Quantity = 0

    @model_validator(mode="before")
    @classmethod
    def _absent_body_is_empty(cls, data: object) -> object:
        # An empty request body reaches validation as None: it means "all defaults".
        return {} if data is None else data


class StockChange(BaseModel):
    """Either set the quantity (`quantity`) or adjust it (`delta`): exactly one of them."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"oneOf": [{"required": ["quantity"]}, {"required": ["delta"]}]},
    )

    quantity: Quantity | None = NOT_SENT
    delta: Delta | None = NOT_SENT

    @field_validator("quantity", "delta", mode="before")
    @classmethod
    def _refuse_null(cls, value: object) -> object:
        if value is None:
            raise ValueError("may not be null; send the one field you mean")
        return value

    @model_validator(mode="after")
    def _exactly_one(self) -> "StockChange":
        if (self.quantity is None) == (self.delta is None):
            raise ValueError("send exactly one of `quantity` (set) or `delta` (adjust)")
        return self


class ProductSummary(BaseModel):
    """The product of a stock item; the full product is at /api/products/<id>."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    sku: str
    name: str
    price: str = Field(examples=["12.50"], description="Two decimals, as a string")

    @field_validator("price", mode="before")
    @classmethod
    def _two_decimals(cls, value: object) -> object:
        return f"{value:.2f}" if isinstance(value, Decimal) else value


class StockItemOut(BaseModel):
    """How many units of a product a store holds."""

    product: ProductSummary
    quantity: int


class StockItemData(BaseModel):
    """`{"data": item}`."""

    data: StockItemOut


class StockList(BaseModel):
    """One page of a store's stock."""

    data: list[StockItemOut]
    links: Links

"""Check one CSV row of a product or stock import, with the same rules as the API.

Text and price rules come from `product_service` and quantity bounds from the stock model,
so a row the API would refuse is refused here with the same message.
"""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from app.common.errors import ValidationError
from app.models.product import (
    PRICE_PRECISION,
    PRICE_SCALE,
    PRODUCT_DESCRIPTION_MAX,
    PRODUCT_NAME_MAX,
    SKU_MAX,
)
from app.models.stock_item import MAX_QUANTITY
from app.services import product_service

CATEGORY_SEPARATOR = ";"
MAX_PRICE = Decimal(10) ** (PRICE_PRECISION - PRICE_SCALE)
_LIMITS = {"sku": SKU_MAX, "name": PRODUCT_NAME_MAX, "description": PRODUCT_DESCRIPTION_MAX}


class RowProblemError(Exception):
    """A row breaks a rule; the message says which field and why."""


@dataclass(frozen=True)
class ProductRow:
    """A checked product row: column values for the upsert, and its category ids."""

    values: dict[str, Any]
    category_ids: tuple[int, ...]


def check_product_row(
    values: dict[str, str], category_ids: dict[str, int], columns: tuple[str, ...]
) -> ProductRow:
    """Normalise and check a product row; `categories` are names separated by `;`.

    Raises:
        RowProblemError: a field is blank, too long or invalid, or a category is unknown.
    """
    try:
        checked: dict[str, Any] = {
            "sku": _text("sku", values["sku"]),
            "name": _text("name", values["name"]),
            "price": _price(values["price"]),
        }
    except ValidationError as error:
        raise RowProblemError(_describe(error)) from None
    if "description" in columns:
        checked["description"] = _description(values["description"])
    ids = _category_ids(values.get("categories", ""), category_ids)
    return ProductRow(checked, ids)


def check_quantity(value: str) -> int:
    """Return a stock quantity read from a CSV field.

    Raises:
        RowProblemError: not a whole number from 0 to MAX_QUANTITY.
    """
    text = value.strip()
    if not text.isdigit() or int(text) > MAX_QUANTITY:
        raise RowProblemError(f"quantity: Give a whole number from 0 to {MAX_QUANTITY}.")
    return int(text)


def _text(field: str, value: str) -> str:
    cleaned = product_service._clean_text(field, value)  # the API's own rule
    if len(cleaned) > _LIMITS[field]:
        raise ValidationError(f"The {field} is too long.", {field: [_too_long(field)]})
    return cleaned


def _price(value: str) -> Decimal:
    try:
        price = product_service._clean_price(Decimal(value.strip()))
    except InvalidOperation:
        raise RowProblemError("price: Give a number such as 12.50.") from None
    if price >= MAX_PRICE:
        raise RowProblemError(f"price: A price is less than {MAX_PRICE}.")
    return price


def _description(value: str) -> str | None:
    cleaned = value.strip()
    if len(cleaned) > PRODUCT_DESCRIPTION_MAX:
        raise RowProblemError(f"description: {_too_long('description')}")
    return cleaned or None


def _category_ids(names: str, known: dict[str, int]) -> tuple[int, ...]:
    wanted = [name.strip() for name in names.split(CATEGORY_SEPARATOR) if name.strip()]
    unknown = [name for name in wanted if name not in known]
    if unknown:
        listed = ", ".join(repr(name) for name in unknown)
        raise RowProblemError(f"categories: Unknown category name(s): {listed}.")
    return tuple(sorted({known[name] for name in wanted}))


def _too_long(field: str) -> str:
    return f"At most {_LIMITS[field]} characters."


def _describe(error: ValidationError) -> str:
    parts = [f"{field}: {' '.join(messages)}" for field, messages in error.errors.items()]
    return "; ".join(parts) or error.detail

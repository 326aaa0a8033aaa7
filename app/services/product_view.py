"""Products as the API shows them, read as rows and built straight into JSON-ready dicts.

The fast path of GET /api/products and GET /api/products/<id>: no ORM objects and no
per-item pydantic validation. Each dict has exactly the shape and the values
`ProductOut.model_validate(product).model_dump(mode="json")` gives (a test compares them):
the price a string with two decimals, timestamps in ISO 8601 with a `Z`, the categories
as `{"id", "name"}` by id. Changes go through `product_service`, with the ORM.
"""

from collections.abc import Sequence
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, NamedTuple

import orjson

from app.common.errors import NotFoundError
from app.common.pagination import Page
from app.repositories import product_reads
from app.repositories.prepared_query import Reader
from app.repositories.product_reads import DETAIL_CATEGORY, PAGE_CATEGORY, SORT_VALUE, VERSION
from app.services.keyset_cursor import cursor_after
from app.services.product_listing import ProductListing, plan_listing
from app.services.product_service import NewProduct

ProductJson = dict[str, Any]
_NAIVE_IS_UTC = orjson.OPT_NAIVE_UTC | orjson.OPT_UTC_Z


class ProductView(NamedTuple):
    """One product as JSON-ready data, and its version (the ETag)."""

    data: ProductJson
    version: int


def read_product(reader: Reader, product_id: int) -> ProductView:
    """Return one product with its categories, in one query.

    Raises:
        NotFoundError: no product has this id.
    """
    rows = product_reads.read_by_id(reader, product_id)
    if not rows:
        raise NotFoundError(f"No product with id {product_id}.")
    [(row, data)] = _products(rows, DETAIL_CATEGORY)
    return ProductView(data, row[VERSION])


def read_products(reader: Reader, listing: ProductListing) -> Page[ProductJson]:
    """Return one page of products, filtered, searched (ranked) and sorted.

    The same page, in the same order and with the same cursor, as
    `product_service.list_products`, in one query (the page joined to its categories).

    Raises:
        ValidationError: the sort is not allowed, or `q` has no words to search for.
        BadRequestError: the cursor is unreadable.
    """
    plan = plan_listing(listing)
    rows = product_reads.read_page(
        reader, plan.filters, plan.field, descending=plan.descending, seek=plan.seek
    )
    products = _products(rows, PAGE_CATEGORY)
    limit = plan.seek.limit
    next_cursor = None
    if len(products) > limit:
        last = products[limit - 1][0]
        next_cursor = cursor_after(plan.token, last[SORT_VALUE], last[0])
    return Page(items=[data for _, data in products[:limit]], next_cursor=next_cursor)


ProductRow = tuple[Any, ...]


def _products(rows: Sequence[ProductRow], category_at: int) -> list[tuple[ProductRow, ProductJson]]:
    """Fold rows (a product's rows together, one per category) into (first row, product)."""
    products: list[tuple[ProductRow, ProductJson]] = []
    current = None
    categories: list[dict[str, Any]] = []
    for row in rows:
        if row[0] != current:
            current = row[0]
            categories = []
            products.append((row, product_json(row, categories)))
        if row[category_at] is not None:
            categories.append({"id": row[category_at], "name": row[category_at + 1]})
    return products


def new_product_json(product: NewProduct) -> ProductJson:
    """A product just created (`product_service.create_product`) as the API shows it.

    What `ProductOut` gives for it, key for key (a test compares the JSON bytes), without
    validating again the values the service has just checked.
    """
    row = (
        product.id,
        product.sku,
        product.name,
        product.description,
        product.price,
        product.created_at,
        product.updated_at,
    )
    return product_json(row, [{"id": each.id, "name": each.name} for each in product.categories])


def product_json(row: Sequence[Any], categories: list[dict[str, Any]]) -> ProductJson:
    """One product row (product_reads.COLUMNS first) as the API shows it."""
    return {
        "id": row[0],
        "sku": row[1],
        "name": row[2],
        "description": row[3],
        "price": price_text(row[4]),
        "categories": categories,
        "created_at": timestamp_text(row[5]),
        "updated_at": timestamp_text(row[6]),
    }


def price_text(price: Decimal | float) -> str:
    """A price as the API shows it: two decimals, as `PriceOut` serialises it.

    Takes the price as the driver gives it: a Decimal (PostgreSQL), or a float or an int
    (SQLite, whose Numeric type would give `Decimal("%.2f" % value)`: the same text).
    """
    return f"{price:.2f}"


def timestamp_text(moment: datetime) -> str:
    """A stored timestamp as the API shows it: ISO 8601 in UTC with `Z`.

    The text `UTCDateTime` and pydantic's JSON mode give (microseconds only when not
    zero). A naive value is UTC (SQLite keeps no zone); an aware one is turned to UTC.
    orjson writes it about 3x faster than `isoformat`, which asks the tzinfo for its offset
    in Python.
    """
    if moment.tzinfo is not None and moment.tzinfo is not UTC:
        moment = moment.astimezone(UTC)
    return orjson.dumps(moment, option=_NAIVE_IS_UTC)[1:-1].decode()

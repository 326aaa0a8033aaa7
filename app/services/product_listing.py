"""The product list's request: what a client asked, checked and planned for the repository.

The API's row reads (`product_view`) and the ORM listing (`product_service`, the
dashboard's) both plan a listing here, so they refuse the same input with the same errors
and their cursors read the same.
"""

import re
from dataclasses import dataclass
from decimal import Decimal

from app.common.errors import ValidationError
from app.common.pagination import DEFAULT_LIMIT
from app.repositories.keyset import Seek
from app.repositories.product_repository import RANK, ProductFilters
from app.services.keyset_cursor import (
    ValueReader,
    parse_sort,
    read_datetime,
    read_decimal,
    read_float,
    read_int,
    read_text,
    seek_from,
)

SORTS: dict[str, ValueReader] = {
    "id": read_int,
    "name": read_text,
    "sku": read_text,
    "price": read_decimal,
    "created_at": read_datetime,
}
DEFAULT_SORT = "name"
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class ProductListing:
    """What a client asked of the product list; `sort` None means rank (with q) or name."""

    q: str | None = None
    category: int | None = None
    min_price: Decimal | None = None
    max_price: Decimal | None = None
    sort: str | None = None
    limit: int = DEFAULT_LIMIT
    cursor: str | None = None


@dataclass(frozen=True)
class ListingPlan:
    """A listing read for the repository: filters, sort field and direction, the seek.

    `token` is the sort as the client named it (or its default), which cursors carry.
    """

    filters: ProductFilters
    field: str
    descending: bool
    seek: Seek
    token: str


def plan_listing(listing: ProductListing) -> ListingPlan:
    """Check a listing and turn it into what the repository's page queries take.

    Raises:
        ValidationError: the sort is not allowed, or `q` has no words to search for.
        BadRequestError: the cursor is unreadable.
    """
    terms = _search_terms(listing.q)
    token = listing.sort or (RANK if terms else DEFAULT_SORT)
    read_value: ValueReader = read_float
    if token == RANK and terms:
        field, descending = RANK, False
    else:
        field, descending = parse_sort(token, SORTS)
        read_value = SORTS[field]
    filters = ProductFilters(
        category_id=listing.category,
        min_price=listing.min_price,
        max_price=listing.max_price,
        search_terms=terms,
    )
    seek = seek_from(listing.cursor, token, read_value, listing.limit)
    return ListingPlan(filters, field, descending, seek, token)


def _search_terms(q: str | None) -> tuple[str, ...]:
    """Split `q` into plain words; words only, so input is never read as query syntax.

    Raises:
        ValidationError: `q` is given but holds no word to search for.
    """
    if q is None:
        return ()
    terms = tuple(_WORD.findall(q))
    if not terms:
        raise ValidationError("Nothing to search for.", {"q": ["Give at least one word."]})
    return terms

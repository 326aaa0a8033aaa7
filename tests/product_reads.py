"""Compare the API's row-based product reads with the ORM path and `ProductOut`.

`product_view` builds the JSON of GET /api/products[/<id>] from rows; the ORM path
(`product_service` + `ProductOut.model_validate(...).model_dump(mode="json")`) is what it
replaced, and still serves the dashboard. These helpers run both on the same session.
"""

from dataclasses import replace
from typing import Any

from sqlalchemy.orm import Session

from app.schemas.product_schema import ProductOut
from app.services import product_service, product_view
from app.services.product_listing import ProductListing

PageSeen = tuple[list[dict[str, Any]], str | None]


def orm_json(session: Session, product_id: int) -> dict[str, Any]:
    """The product as the ORM path shows it, read afresh from the database."""
    session.expire_all()
    product = product_service.get_product(session, product_id)
    return ProductOut.model_validate(product, from_attributes=True).model_dump(mode="json")


def orm_pages(session: Session, listing: ProductListing) -> list[PageSeen]:
    """Every page of `listing` through the ORM path: (items as JSON, next cursor)."""
    session.expire_all()
    pages: list[PageSeen] = []
    cursor = listing.cursor
    while True:
        page = product_service.list_products(session, replace(listing, cursor=cursor))
        items = [
            ProductOut.model_validate(product, from_attributes=True).model_dump(mode="json")
            for product in page.items
        ]
        pages.append((items, page.next_cursor))
        if page.next_cursor is None:
            return pages
        cursor = page.next_cursor


def view_pages(session: Session, listing: ProductListing) -> list[PageSeen]:
    """Every page of `listing` through `product_view`: (items, next cursor)."""
    pages: list[PageSeen] = []
    cursor = listing.cursor
    while True:
        page = product_view.read_products(session, replace(listing, cursor=cursor))
        pages.append((list(page.items), page.next_cursor))
        if page.next_cursor is None:
            return pages
        cursor = page.next_cursor

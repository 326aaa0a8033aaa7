"""Helpers shared by the store, manager and stock API tests."""

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models.stock_item import StockItem
from app.models.store import Store
from tests.api.problems import assert_problem
from tests.factories import StockItemFactory, count_rows

__all__ = ["STORE", "StoreStock", "assert_problem", "count_rows"]

STORE = {
    "name": "Downtown",
    "address": "1 Main Street",
    "city": "Springfield",
    "state": "IL",
    "zip_code": "62701",
}


class StoreStock:
    """The stock of one store, as the tests read and seed it."""

    def __init__(self, session: Session, store: Store) -> None:
        self.session = session
        self.store = store
        self.store_id = store.id

    def url(self, product_id: int) -> str:
        return f"/api/stores/{self.store_id}/stock/{product_id}"

    def add(self, quantity: int = 10) -> int:
        """Stock a new product; return its id."""
        return int(StockItemFactory(store=self.store, quantity=quantity).product_id)

    def quantity(self, product_id: int) -> int | None:
        """The stored quantity, or None when the product is not stocked."""
        self.session.expire_all()
        return self.session.scalar(
            select(StockItem.quantity).where(
                StockItem.store_id == self.store_id, StockItem.product_id == product_id
            )
        )

"""Helpers shared by the store, manager and stock API tests."""

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models.stock_item import StockItem
from app.models.store import Store
from tests.factories import StockItemFactory

PROBLEM = "application/problem+json"
VALIDATION = "urn:stockroom:problem:validation-error"
STORE = {
    "name": "Downtown",
    "address": "1 Main Street",
    "city": "Springfield",
    "state": "IL",
    "zip_code": "62701",
}


def assert_problem(
    response: Any, status: int, fields: set[str] | None = None, kind: str | None = None
) -> dict[str, Any]:
    """Check a problem+json answer: status, type, request id and (for 422) its fields."""
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == PROBLEM
    body: dict[str, Any] = response.get_json()
    assert body["status"] == status
    assert body["request_id"] == response.headers["X-Request-ID"]
    assert body["detail"]
    if kind is not None:
        assert body["type"] == f"urn:stockroom:problem:{kind}"
    if fields is not None:
        assert body["type"] == VALIDATION
        assert set(body["errors"]) == fields
    return body


def count_rows(session: Session, model: type) -> int:
    """Count a table's rows as the database has them now."""
    session.expire_all()
    return session.scalar(select(func.count()).select_from(model)) or 0


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

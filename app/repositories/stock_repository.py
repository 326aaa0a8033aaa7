"""Queries over `stock_items`: a store's stock, and atomic quantity changes."""

from typing import Any

from sqlalchemy import ColumnElement, select, update
from sqlalchemy.orm import Session

from app.models.product import Product
from app.models.stock_item import MAX_QUANTITY, StockItem


def get(session: Session, store_id: int, product_id: int) -> StockItem | None:
    """Return the stock row of this product in this store, or None."""
    stmt = select(StockItem).where(
        StockItem.store_id == store_id, StockItem.product_id == product_id
    )
    return session.scalars(stmt).one_or_none()


def get_with_product(
    session: Session, store_id: int, product_id: int
) -> tuple[StockItem, Product] | None:
    """Return (stock row, product) in one query, or None when the product is not stocked.

    `populate_existing` refreshes a row an atomic UPDATE changed behind the session's back.
    """
    stmt = (
        select(StockItem, Product)
        .join(Product, Product.id == StockItem.product_id)
        .where(StockItem.store_id == store_id, StockItem.product_id == product_id)
        .execution_options(populate_existing=True)
    )
    row = session.execute(stmt).one_or_none()
    return None if row is None else (row[0], row[1])


def list_page(
    session: Session, store_id: int, after_product_id: int | None, limit: int
) -> list[tuple[StockItem, Product]]:
    """Return (stock row, product) pairs by product id, plus one extra row, in one query."""
    stmt = (
        select(StockItem, Product)
        .join(Product, Product.id == StockItem.product_id)
        .where(StockItem.store_id == store_id)
        .order_by(StockItem.product_id)
        .limit(limit + 1)
    )
    if after_product_id is not None:
        stmt = stmt.where(StockItem.product_id > after_product_id)
    return [(item, product) for item, product in session.execute(stmt)]


def add(session: Session, item: StockItem) -> StockItem:
    """Stage a new stock row and flush it (the UNIQUE constraint may refuse it here)."""
    session.add(item)
    session.flush()
    return item


def delete(session: Session, item: StockItem) -> None:
    """Stage the removal of a stock row."""
    session.delete(item)


def set_quantity(
    session: Session, item_key: tuple[int, int], quantity: int, expected_version: int | None
) -> bool:
    """Set the quantity in one UPDATE; tell whether a row matched.

    Args:
        session: the unit of work.
        item_key: (store id, product id).
        quantity: the new quantity.
        expected_version: when given, only a row at this version changes.
    """
    return _update(session, item_key, quantity, None, expected_version)


def add_to_quantity(
    session: Session, item_key: tuple[int, int], delta: int, expected_version: int | None
) -> bool:
    """Add `delta` in one atomic UPDATE that never leaves 0..MAX_QUANTITY; tell whether it did.

    `SET quantity = quantity + :delta WHERE ... AND quantity + :delta BETWEEN 0 AND max`:
    the check and the write are one statement, so concurrent adjustments cannot race
    the quantity below zero.
    """
    new_quantity = StockItem.quantity + delta
    return _update(
        session, item_key, new_quantity, new_quantity.between(0, MAX_QUANTITY), expected_version
    )


def _update(
    session: Session,
    item_key: tuple[int, int],
    new_quantity: int | ColumnElement[Any],
    guard: ColumnElement[bool] | None,
    expected_version: int | None,
) -> bool:
    store_id, product_id = item_key
    stmt = (
        update(StockItem)
        .where(StockItem.store_id == store_id, StockItem.product_id == product_id)
        .values(quantity=new_quantity, version=StockItem.version + 1)
        .returning(StockItem.id)
        .execution_options(synchronize_session=False)
    )
    if guard is not None:
        stmt = stmt.where(guard)
    if expected_version is not None:
        stmt = stmt.where(StockItem.version == expected_version)
    return session.execute(stmt).first() is not None

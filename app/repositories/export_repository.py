"""Batched reads for CSV exports: the catalog and a store's stock, by id, page by page."""

from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal

from sqlalchemy import Row, func, select
from sqlalchemy.orm import Session

from app.models.category import Category
from app.models.product import Product
from app.models.product_category import product_categories
from app.models.stock_item import StockItem

ProductLine = Row[int, str, str, str | None, Decimal]
StockLine = Row[int, str, int]


def count_products(session: Session) -> int:
    """Return how many products the catalog holds."""
    return session.scalar(select(func.count()).select_from(Product)) or 0


def count_stock(session: Session, store_id: int) -> int:
    """Return how many products a store stocks."""
    stmt = select(func.count()).select_from(StockItem).where(StockItem.store_id == store_id)
    return session.scalar(stmt) or 0


def list_product_rows(session: Session, after_id: int, limit: int) -> Sequence[ProductLine]:
    """Return up to `limit` (id, sku, name, description, price) rows with id > after_id."""
    stmt = (
        select(Product.id, Product.sku, Product.name, Product.description, Product.price)
        .where(Product.id > after_id)
        .order_by(Product.id)
        .limit(limit)
    )
    return session.execute(stmt).all()


def map_category_names(session: Session, product_ids: Sequence[int]) -> dict[int, list[str]]:
    """Return {product id: its category names, sorted} for the given products."""
    stmt = (
        select(product_categories.c.product_id, Category.name)
        .join(Category, Category.id == product_categories.c.category_id)
        .where(product_categories.c.product_id.in_(product_ids))
        .order_by(product_categories.c.product_id, Category.name)
    )
    names: dict[int, list[str]] = defaultdict(list)
    for product_id, name in session.execute(stmt):
        names[product_id].append(name)
    return names


def list_stock_rows(
    session: Session, store_id: int, after_product_id: int, limit: int
) -> Sequence[StockLine]:
    """Return up to `limit` (product id, sku, quantity) rows of a store, by product id."""
    stmt = (
        select(StockItem.product_id, Product.sku, StockItem.quantity)
        .join(Product, Product.id == StockItem.product_id)
        .where(StockItem.store_id == store_id, StockItem.product_id > after_product_id)
        .order_by(StockItem.product_id)
        .limit(limit)
    )
    return session.execute(stmt).all()

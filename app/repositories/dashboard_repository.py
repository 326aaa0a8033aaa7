"""Queries only the dashboard needs: low-stock counts per store, and stock searched by words."""

from collections.abc import Sequence

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from app.models.product import Product
from app.models.stock_item import StockItem


def count_low_stock(session: Session, store_ids: Sequence[int], threshold: int) -> dict[int, int]:
    """Return {store id: how many products it holds `threshold` or fewer of}, in one query."""
    if not store_ids:
        return {}
    stmt = (
        select(StockItem.store_id, func.count())
        .where(StockItem.store_id.in_(store_ids), StockItem.quantity <= threshold)
        .group_by(StockItem.store_id)
    )
    return {row[0]: row[1] for row in session.execute(stmt)}


def search_stock_page(
    session: Session,
    store_id: int,
    words: Sequence[str],
    after_product_id: int | None,
    limit: int,
) -> list[tuple[StockItem, Product]]:
    """Return (stock row, product) pairs whose SKU or name holds every word, plus one extra row.

    Words are matched as literal substrings in any letter case (LIKE wildcards escaped).
    """
    stmt = (
        select(StockItem, Product)
        .join(Product, Product.id == StockItem.product_id)
        .where(StockItem.store_id == store_id)
        .order_by(StockItem.product_id)
        .limit(limit + 1)
    )
    for word in words:
        pattern = "%" + _escape_like(word.lower()) + "%"
        stmt = stmt.where(
            or_(
                func.lower(Product.name).like(pattern, escape="\\"),
                func.lower(Product.sku).like(pattern, escape="\\"),
            )
        )
    if after_product_id is not None:
        stmt = stmt.where(StockItem.product_id > after_product_id)
    return [(row[0], row[1]) for row in session.execute(stmt)]


def _escape_like(word: str) -> str:
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")

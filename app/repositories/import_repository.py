"""Bulk lookups and upserts for CSV imports: products by SKU, category links, stock rows.

Upserts are `INSERT ... ON CONFLICT DO UPDATE` in the dialect of the session's database
(SQLite or PostgreSQL), sent as one batched statement per call. They fire the products'
full-text triggers on SQLite (an upsert's UPDATE is an UPDATE); PostgreSQL's search
column is generated, so it follows by itself.
"""

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import Table, delete, insert, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from app.common.clock import utcnow
from app.models.category import Category
from app.models.product import Product
from app.models.product_category import product_categories
from app.models.stock_item import StockItem

# Stay far below SQLite's and PostgreSQL's limits on bound parameters per statement.
LOOKUP_CHUNK = 500


def map_product_ids(session: Session, skus: Iterable[str]) -> dict[str, int]:
    """Return {sku: product id} for the given SKUs that exist."""
    wanted = sorted(set(skus))
    found: dict[str, int] = {}
    for start in range(0, len(wanted), LOOKUP_CHUNK):
        chunk = wanted[start : start + LOOKUP_CHUNK]
        stmt = select(Product.sku, Product.id).where(Product.sku.in_(chunk))
        found.update(session.execute(stmt).all())
    return found


def map_category_ids(session: Session) -> dict[str, int]:
    """Return {name: id} of every category (a catalog has few of them)."""
    return dict(session.execute(select(Category.name, Category.id)).all())


def _upsert(session: Session, table: Table) -> Any:
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    return dialect.insert(table)


def upsert_products(
    session: Session, rows: Sequence[Mapping[str, Any]], columns: Sequence[str]
) -> dict[str, int]:
    """Insert products, or update `columns` of those whose SKU exists; return {sku: id}."""
    if not rows:
        return {}
    table = Product.__table__
    stmt = _upsert(session, table)  # type: ignore[arg-type]
    changes = {name: stmt.excluded[name] for name in columns if name != "sku"}
    stmt = stmt.on_conflict_do_update(
        index_elements=[table.c.sku],
        set_={**changes, "updated_at": utcnow(), "version": table.c.version + 1},
    ).returning(table.c.sku, table.c.id)
    return dict(session.execute(stmt, list(rows)).all())


def replace_category_links(
    session: Session, product_ids: Sequence[int], links: Sequence[tuple[int, int]]
) -> None:
    """Make `links` (product id, category id) the only category links of `product_ids`."""
    for start in range(0, len(product_ids), LOOKUP_CHUNK):
        chunk = product_ids[start : start + LOOKUP_CHUNK]
        session.execute(
            delete(product_categories).where(product_categories.c.product_id.in_(chunk))
        )
    if links:
        rows = [{"product_id": product, "category_id": category} for product, category in links]
        session.execute(insert(product_categories), rows)


def upsert_stock(session: Session, store_id: int, quantities: Mapping[int, int]) -> None:
    """Set the quantity of each product id in a store, adding the rows that are missing."""
    if not quantities:
        return
    table = StockItem.__table__
    stmt = _upsert(session, table)  # type: ignore[arg-type]
    stmt = stmt.on_conflict_do_update(
        index_elements=[table.c.store_id, table.c.product_id],
        set_={
            "quantity": stmt.excluded.quantity,
            "updated_at": utcnow(),
            "version": table.c.version + 1,
        },
    )
    rows = [
        {"store_id": store_id, "product_id": product_id, "quantity": quantity}
        for product_id, quantity in quantities.items()
    ]
    session.execute(stmt, rows)

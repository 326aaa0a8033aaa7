"""Bulk lookups and upserts for CSV imports: products by SKU, category links, stock rows.

Upserts are `INSERT ... ON CONFLICT DO UPDATE` in the dialect of the session's database
(SQLite or PostgreSQL), sent as one batched statement per call. They fire the products'
full-text triggers on SQLite (an upsert's UPDATE is an UPDATE); PostgreSQL's search
column is generated, so it follows by itself.

SQLite gets multi-row VALUES and IN lists of LOOKUP_CHUNK. On PostgreSQL a batch is one
JSON text parameter that the server turns back into rows (`INSERT ... SELECT ... FROM
json_to_recordset(...)`), and a lookup is one `= ANY(array)`. psycopg converts the
`%(name)s` placeholders of a statement with more than 50 of them without a cache, which
for thousands of them costs more than the server's work; and it writes list (array)
parameters element by element in Python, about four times slower than `json.dumps`
(docs/performance.md, "Where the time goes").
"""

import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from sqlalchemy import (
    Column,
    ColumnElement,
    Table,
    Text,
    any_,
    bindparam,
    cast,
    column,
    delete,
    func,
    literal,
    select,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from app.common.clock import utcnow
from app.models.category import Category
from app.models.product import Product
from app.models.product_category import product_categories
from app.models.stock_item import StockItem

# Stay far below SQLite's limit on bound parameters per statement.
LOOKUP_CHUNK = 500
# What a new row of a versioned table gets besides its values (the ORM's defaults).
STAMP_COLUMNS = ("created_at", "updated_at", "version")


def map_product_ids(session: Session, skus: Iterable[str]) -> dict[str, int]:
    """Return {sku: product id} for the given SKUs that exist."""
    found: dict[str, int] = {}
    for condition in _one_of(session, _table(Product).c.sku, sorted(set(skus))):
        found.update(session.execute(select(Product.sku, Product.id).where(condition)).all())
    return found


def map_category_ids(session: Session) -> dict[str, int]:
    """Return {name: id} of every category (a catalog has few of them)."""
    return dict(session.execute(select(Category.name, Category.id)).all())


def upsert_products(
    session: Session, rows: Sequence[Mapping[str, Any]], columns: Sequence[str]
) -> dict[str, int]:
    """Insert products, or update `columns` of those whose SKU exists; return {sku: id}."""
    if not rows:
        return {}
    table = _table(Product)
    stmt, parameters = _insert(session, table, rows, columns)
    changes = {name: stmt.excluded[name] for name in columns if name != "sku"}
    stmt = stmt.on_conflict_do_update(
        index_elements=[table.c.sku],
        set_={**changes, "updated_at": utcnow(), "version": table.c.version + 1},
    ).returning(table.c.sku, table.c.id)
    return dict(session.execute(stmt, parameters).all())


def replace_category_links(
    session: Session, product_ids: Sequence[int], links: Sequence[tuple[int, int]]
) -> None:
    """Make `links` (product id, category id) the only category links of `product_ids`."""
    for condition in _one_of(session, product_categories.c.product_id, product_ids):
        session.execute(delete(product_categories).where(condition))
    if links:
        rows = [{"product_id": product, "category_id": category} for product, category in links]
        stmt, parameters = _insert(session, product_categories, rows, ["product_id", "category_id"])
        session.execute(stmt, parameters)


def upsert_stock(session: Session, store_id: int, quantities: Mapping[int, int]) -> None:
    """Set the quantity of each product id in a store, adding the rows that are missing."""
    if not quantities:
        return
    table = _table(StockItem)
    rows = [
        {"store_id": store_id, "product_id": product_id, "quantity": quantity}
        for product_id, quantity in quantities.items()
    ]
    stmt, parameters = _insert(session, table, rows, ["store_id", "product_id", "quantity"])
    stmt = stmt.on_conflict_do_update(
        index_elements=[table.c.store_id, table.c.product_id],
        set_={
            "quantity": stmt.excluded.quantity,
            "updated_at": utcnow(),
            "version": table.c.version + 1,
        },
    )
    session.execute(stmt, parameters)


def _on_postgresql(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def _table(model: type[Product] | type[StockItem]) -> Table:
    return model.__table__  # type: ignore[return-value]


def _insert(
    session: Session, table: Table, rows: Sequence[Mapping[str, Any]], columns: Sequence[str]
) -> tuple[Any, list[Mapping[str, Any]] | None]:
    """An INSERT of `rows` in the session's dialect, and the parameters to run it with.

    On PostgreSQL the rows are in the statement, as `INSERT ... SELECT ... FROM
    json_to_recordset(...)` typed like `table`'s columns; new rows of a versioned table
    are stamped now, version 1 (what the ORM's defaults give them on SQLite).
    """
    if not _on_postgresql(session):
        return sqlite.insert(table), list(rows)
    payload = json.dumps(
        [{name: row[name] for name in columns} for row in rows], default=str, ensure_ascii=False
    )
    batch = func.json_to_recordset(cast(bindparam(None, payload, type_=Text), postgresql.JSON))
    typed = [column(name, table.c[name].type) for name in columns]
    source = batch.table_valued(*typed).render_derived(name="batch", with_types=True)
    names, values = list(columns), list(source.c)
    if "version" in table.c:
        now = bindparam(None, utcnow(), type_=table.c.created_at.type)
        names += STAMP_COLUMNS
        values += [now, now, literal(1)]
    stmt = postgresql.insert(table).from_select(names, select(*values), include_defaults=False)
    return stmt, None


def _one_of(
    session: Session, target: Column[Any], values: Sequence[Any]
) -> Iterator[ColumnElement[bool]]:
    """Conditions that `target` is one of `values` (none when `values` is empty)."""
    if not values:
        return
    if _on_postgresql(session):
        array = bindparam(None, list(values), type_=postgresql.ARRAY(target.type))
        yield target == any_(array)
        return
    for start in range(0, len(values), LOOKUP_CHUNK):
        yield target.in_(values[start : start + LOOKUP_CHUNK])

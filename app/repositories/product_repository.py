"""Queries over products: lookups, filtered keyset pages and ranked full-text search.

Search uses what migration 0002 built: the FTS5 table `products_fts` ranked by bm25 on
SQLite, the generated `search_vector` column ranked by ts_rank on PostgreSQL. Either way
the rank is a "score" where lower is better, so both sort ascending.
"""

import typing
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any, NamedTuple

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    Double,
    Float,
    Select,
    String,
    Subquery,
    Table,
    bindparam,
    cast,
    column,
    exists,
    func,
    insert,
    literal_column,
    select,
    table,
    text,
)
from sqlalchemy.orm import Session, selectinload

from app.common.clock import utcnow
from app.models.product import Product
from app.models.product_category import product_categories
from app.repositories.keyset import Seek, seek_page, split_page
from app.repositories.prepared_query import PreparedQuery

PRODUCTS = Product.__table__
SORT_COLUMNS: dict[str, ColumnElement[Any]] = {
    "id": PRODUCTS.c.id,
    "name": PRODUCTS.c.name,
    "sku": PRODUCTS.c.sku,
    "price": PRODUCTS.c.price,
    "created_at": PRODUCTS.c.created_at,
}
RANK = "rank"
# bm25 column weights, in FTS column order: sku, name, description.
BM25_WEIGHTS = (10.0, 5.0, 1.0)


@dataclass(frozen=True)
class ProductFilters:
    """What a product list is narrowed to; `search_terms` are plain words, ANDed."""

    category_id: int | None = None
    min_price: Decimal | None = None
    max_price: Decimal | None = None
    search_terms: tuple[str, ...] = ()


def get_by_id(session: Session, product_id: int) -> Product | None:
    """Return the product with this id (categories loaded), or None."""
    return session.get(Product, product_id, options=[selectinload(Product.categories)])


def get_by_sku(session: Session, sku: str) -> Product | None:
    """Return the product with exactly this SKU, or None."""
    return session.scalars(select(Product).where(Product.sku == sku)).one_or_none()


def list_page(
    session: Session, filters: ProductFilters, sort_field: str, *, descending: bool, seek: Seek
) -> tuple[Sequence[tuple[Product, Any]], bool]:
    """Return one page of (product, sort value) rows and whether another page follows.

    `sort_field` is a key of SORT_COLUMNS, or RANK (needs search terms). Categories are
    loaded with one extra query whatever the page size.
    """
    stmt: Select[Any] = select(Product).where(
        *narrowing(filters.category_id, filters.min_price, filters.max_price)
    )
    if filters.search_terms:
        hits = _search_hits(session, filters.search_terms)
        stmt = stmt.join(hits, hits.c.product_id == PRODUCTS.c.id)
        sort_column = hits.c.score if sort_field == RANK else SORT_COLUMNS[sort_field]
    else:
        sort_column = SORT_COLUMNS[sort_field]
    stmt = stmt.add_columns(sort_column).options(selectinload(Product.categories))
    stmt = seek_page(stmt, sort_column, PRODUCTS.c.id, descending=descending, seek=seek)
    rows = [(row[0], row[1]) for row in session.execute(stmt)]
    return split_page(rows, seek.limit)


def narrowing(category_id: Any, min_price: Any, max_price: Any) -> list[ColumnElement[bool]]:
    """The conditions of a product list's filters; a filter given as None adds none.

    Each value is a plain value or a bind parameter (product_reads binds them per request).
    """
    conditions: list[ColumnElement[bool]] = []
    if category_id is not None:
        link = product_categories.c
        conditions.append(
            exists().where(link.product_id == PRODUCTS.c.id, link.category_id == category_id)
        )
    if min_price is not None:
        conditions.append(PRODUCTS.c.price >= min_price)
    if max_price is not None:
        conditions.append(PRODUCTS.c.price <= max_price)
    return conditions


def _search_hits(session: Session, terms: tuple[str, ...]) -> Subquery:
    dialect = session.get_bind().dialect.name
    return search_hits(dialect, bindparam("search", search_text(dialect, terms), type_=String))


def search_hits(dialect: str, search: BindParameter[str]) -> Subquery:
    """(product_id, score) of every product matching `search` (see `search_text`).

    Lower score = better.
    """
    if dialect == "postgresql":
        query = func.plainto_tsquery(literal_column("'simple'::regconfig"), search)
        vector: ColumnElement[Any] = literal_column("products.search_vector")
        # ts_rank is a float4; as float8 the value a cursor carries compares back exactly.
        score: ColumnElement[float] = -cast(func.ts_rank(vector, query), Double)
        hits = select(PRODUCTS.c.id.label("product_id"), score.label("score")).where(
            vector.op("@@")(query)
        )
        return hits.subquery("hits")
    fts = table("products_fts", column("rowid"))
    bm25 = func.bm25(literal_column("products_fts"), *BM25_WEIGHTS, type_=Float)
    hits = select(fts.c.rowid.label("product_id"), bm25.label("score")).where(
        text(f"products_fts MATCH :{search.key}").bindparams(search)
    )
    return hits.subquery("hits")


def search_text(dialect: str, terms: tuple[str, ...]) -> str:
    """The value `search_hits` matches: plain words for plainto_tsquery, each quoted for FTS5.

    Quoting each term means user input is never read as FTS5 query syntax.
    """
    if dialect == "postgresql":
        return " ".join(terms)
    return " ".join(f'"{term}"' for term in terms)


class Generated(NamedTuple):
    """The columns the database (or the column defaults) filled in for a new product."""

    id: int
    version: int
    created_at: datetime
    updated_at: datetime


# Compiled once per dialect and run on the session's connection (PreparedQuery): a create
# needs none of the ORM's execute, nor Core's per-call work. `__table__` is typed as a
# FromClause; an INSERT needs the Table it is.
_PRODUCTS_TABLE = typing.cast(Table, PRODUCTS)
INSERT_ONE = PreparedQuery(
    insert(_PRODUCTS_TABLE).returning(
        PRODUCTS.c.id, PRODUCTS.c.version, PRODUCTS.c.created_at, PRODUCTS.c.updated_at
    ),
    columns=("sku", "name", "description", "price", "created_at", "updated_at", "version"),
)
# The first `version` (VersionedMixin's default): PreparedQuery runs no column defaults,
# so insert_one gives this and the timestamps (TimestampMixin's utcnow) itself.
FIRST_VERSION = 1


def insert_one(session: Session, values: Mapping[str, Any]) -> Generated:
    """Insert one product row (no ORM object) and return what the database generated.

    `values` holds sku, name, description and price; the timestamps are now (both the
    same instant) and the version the first. A taken SKU raises IntegrityError at once
    (the unique constraint is not deferred).
    """
    now = utcnow()
    row_values = {**values, "created_at": now, "updated_at": now, "version": FIRST_VERSION}
    [inserted] = INSERT_ONE.all(session, row_values)
    return Generated._make(inserted)


def delete(session: Session, product: Product) -> None:
    """Stage the removal of a product; its category links go with it (ON DELETE CASCADE)."""
    session.delete(product)


def insert_many(session: Session, rows: Sequence[Mapping[str, Any]]) -> list[int]:
    """Insert product rows in one batched statement (no ORM objects); return their ids."""
    if not rows:
        return []
    return list(session.scalars(insert(Product).returning(Product.id), list(rows)))


def link_many(session: Session, links: Sequence[tuple[int, int]]) -> None:
    """Insert (product_id, category_id) links in one batched statement."""
    if links:
        rows = [{"product_id": product, "category_id": category} for product, category in links]
        session.execute(insert(product_categories), rows)

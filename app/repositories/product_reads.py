"""Product reads as plain rows: the API's list, search and detail, without ORM objects.

Every statement is built once (module level, or once per list shape and kept) with bind
parameters, so a request only binds values: no statement construction. Each is a
`PreparedQuery`, compiled once per dialect and run on the session's connection straight on
the driver's cursor, without `Session.execute`'s ORM bookkeeping or `Connection.execute`'s
per-call setup (see prepared_query). Rows are tuples and start with COLUMNS
(`version` last, for the ETag); a product's categories come in the same statement, one row
per category (by id), or one row with NULL category columns when it has none.

The list narrows and searches with `product_repository`'s own `narrowing` and
`search_hits` (given bind parameters instead of values), sorts and seeks as
`product_repository.list_page` does, as a subquery that the categories are joined to; tests
compare the pages and cursors of the two paths.
"""

from collections.abc import Sequence
from typing import Any, NamedTuple

from sqlalchemy import (
    ColumnElement,
    DateTime,
    Integer,
    Select,
    String,
    bindparam,
    select,
    tuple_,
    type_coerce,
)
from sqlalchemy.types import NullType

from app.models.category import Category
from app.models.product_category import product_categories
from app.repositories.keyset import Seek
from app.repositories.prepared_query import PreparedQuery, Reader, connection_of
from app.repositories.product_repository import (
    PRODUCTS,
    RANK,
    SORT_COLUMNS,
    ProductFilters,
    narrowing,
    search_hits,
    search_text,
)

CATEGORIES = Category.__table__
LINKS = product_categories
# The timestamps are read as plain DateTime: SQLite gives naive datetimes, PostgreSQL aware
# ones, both in UTC as stored. Skipping UTCDateTime's Python conversion of every value
# saves about a third of a page's row processing; `product_view.timestamp_text` reads
# either. The price is read as the driver gives it (NullType: no conversion): a Decimal
# from PostgreSQL, a float or an int from SQLite, where Numeric would make a Decimal of
# `"%.2f" % value` (about 0.5 µs a row); `product_view.price_text` writes all three as
# that same text. The sort value keeps the column's own type, so cursors are unchanged.
COLUMNS = (
    PRODUCTS.c.id,
    PRODUCTS.c.sku,
    PRODUCTS.c.name,
    PRODUCTS.c.description,
    type_coerce(PRODUCTS.c.price, NullType()).label("price"),
    type_coerce(PRODUCTS.c.created_at, DateTime(timezone=True)).label("created_at"),
    type_coerce(PRODUCTS.c.updated_at, DateTime(timezone=True)).label("updated_at"),
    PRODUCTS.c.version,
)
# A detail row is COLUMNS, category id, category name; a page row has the page's sort
# value between COLUMNS and the category.
VERSION = len(COLUMNS) - 1
SORT_VALUE = len(COLUMNS)
DETAIL_CATEGORY = len(COLUMNS)
PAGE_CATEGORY = SORT_VALUE + 1

DETAIL = PreparedQuery(
    select(*COLUMNS, CATEGORIES.c.id, CATEGORIES.c.name)
    .select_from(
        PRODUCTS.outerjoin(LINKS, LINKS.c.product_id == PRODUCTS.c.id).outerjoin(
            CATEGORIES, CATEGORIES.c.id == LINKS.c.category_id
        )
    )
    .where(PRODUCTS.c.id == bindparam("product_id", type_=Integer))
    .order_by(CATEGORIES.c.id)
)


class PageShape(NamedTuple):
    """What decides a list statement's SQL; the values themselves are bound per request."""

    dialect: str
    sort_field: str
    descending: bool
    has_seek: bool
    has_category: bool
    has_min_price: bool
    has_max_price: bool
    has_search: bool


_PAGE_STATEMENTS: dict[PageShape, PreparedQuery] = {}


def read_by_id(reader: Reader, product_id: int) -> Sequence[tuple[Any, ...]]:
    """Return the product's rows (COLUMNS, category id, name); none for an unknown id."""
    return DETAIL.all(reader, {"product_id": product_id})


def read_page(
    reader: Reader, filters: ProductFilters, sort_field: str, *, descending: bool, seek: Seek
) -> Sequence[tuple[Any, ...]]:
    """Return the rows of one page and one more product (to tell whether a page follows).

    Rows are (COLUMNS, sort value, category id, category name), in page order, a product's
    rows together. `sort_field` is a key of SORT_COLUMNS, or RANK (needs search terms).
    """
    connection = connection_of(reader)
    dialect = connection.dialect.name
    shape = PageShape(
        dialect,
        sort_field,
        descending,
        seek.row_id is not None,
        filters.category_id is not None,
        filters.min_price is not None,
        filters.max_price is not None,
        bool(filters.search_terms),
    )
    params: dict[str, Any] = {"limit": seek.limit + 1}
    if shape.has_seek:
        params["after_value"] = seek.value
        params["after_id"] = seek.row_id
    if shape.has_category:
        params["category_id"] = filters.category_id
    if shape.has_min_price:
        params["min_price"] = filters.min_price
    if shape.has_max_price:
        params["max_price"] = filters.max_price
    if shape.has_search:
        params["search"] = search_text(dialect, filters.search_terms)
    return page_query(shape).all(connection, params)


def page_query(shape: PageShape) -> PreparedQuery:
    """The statement of every page of this shape, built on first use and kept."""
    query = _PAGE_STATEMENTS.get(shape)
    if query is None:
        query = _PAGE_STATEMENTS[shape] = PreparedQuery(_page_statement(shape))
    return query


def _page_statement(shape: PageShape) -> Select[Any]:
    """The page (limit + 1 products) as a subquery, joined to the categories of its rows."""
    page = _products_page(shape).subquery("page")
    return (
        select(page, CATEGORIES.c.id, CATEGORIES.c.name)
        .select_from(
            page.outerjoin(LINKS, LINKS.c.product_id == page.c.id).outerjoin(
                CATEGORIES, CATEGORIES.c.id == LINKS.c.category_id
            )
        )
        .order_by(*_order(page.c.sort_value, page.c.id, descending=shape.descending))
        .order_by(CATEGORIES.c.id)
    )


def _products_page(shape: PageShape) -> Select[Any]:
    """Limit + 1 products (COLUMNS and "sort_value") of one page, unordered."""
    if shape.has_search and shape.sort_field == RANK and not _narrowed(shape):
        return _ranked_page(shape)
    price = PRODUCTS.c.price.type
    stmt = select(*COLUMNS).where(
        *narrowing(
            bindparam("category_id", type_=Integer) if shape.has_category else None,
            bindparam("min_price", type_=price) if shape.has_min_price else None,
            bindparam("max_price", type_=price) if shape.has_max_price else None,
        )
    )
    sort_column = SORT_COLUMNS.get(shape.sort_field)
    if shape.has_search:
        hits = search_hits(shape.dialect, bindparam("search", type_=String))
        stmt = stmt.join(hits, hits.c.product_id == PRODUCTS.c.id)
        if shape.sort_field == RANK:
            sort_column = hits.c.score
    if sort_column is None:
        raise ValueError(f"cannot sort by {shape.sort_field!r} without search terms")
    stmt = stmt.add_columns(sort_column.label("sort_value"))
    return _seek(stmt, shape, sort_column, PRODUCTS.c.id)


def _narrowed(shape: PageShape) -> bool:
    return shape.has_category or shape.has_min_price or shape.has_max_price


def _ranked_page(shape: PageShape) -> Select[Any]:
    """A ranked search page with no filter: rank the matches alone, then join the page's rows.

    Joining every match to its product before the sort cost SQLite a third of the search
    (one primary-key lookup per match, 11,000 for a common word at 100k products); the
    full-text table has the id already, so only the page's rows are joined.
    """
    hits = search_hits(shape.dialect, bindparam("search", type_=String))
    ranked = select(hits.c.product_id, hits.c.score)
    page = _seek(ranked, shape, hits.c.score, hits.c.product_id).subquery("ranked")
    return select(*COLUMNS, page.c.score.label("sort_value")).join(
        page, page.c.product_id == PRODUCTS.c.id
    )


def _seek(
    stmt: Select[Any],
    shape: PageShape,
    sort_column: ColumnElement[Any],
    id_column: ColumnElement[Any],
) -> Select[Any]:
    """`stmt` after the cursor's (sort value, id), in page order, limit + 1 rows."""
    if shape.has_seek:
        key = tuple_(sort_column, id_column)
        after = tuple_(
            bindparam("after_value", type_=sort_column.type),
            bindparam("after_id", type_=PRODUCTS.c.id.type),
        )
        stmt = stmt.where(key < after if shape.descending else key > after)
    stmt = stmt.order_by(*_order(sort_column, id_column, descending=shape.descending))
    return stmt.limit(bindparam("limit", type_=Integer))


def _order(
    sort_column: ColumnElement[Any], id_column: ColumnElement[Any], *, descending: bool
) -> tuple[ColumnElement[Any], ColumnElement[Any]]:
    if descending:
        return sort_column.desc(), id_column.desc()
    return sort_column.asc(), id_column.asc()

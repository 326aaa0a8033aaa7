"""Keyset (seek) pagination: order by (sort value, id) and start after the last row seen.

The page cost does not grow with its depth: each page is one indexed range scan that
starts after the previous page's last (sort value, id), never an OFFSET.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, literal, tuple_


@dataclass(frozen=True)
class Seek:
    """Where a page starts and how long it is.

    Attributes:
        value: the sort column's value in the last row of the previous page, or None.
        row_id: the id of that row (the unique tie-breaker), or None on the first page.
        limit: how many rows the page holds.
    """

    value: Any = None
    row_id: int | None = None
    limit: int = 20


def seek_page(
    stmt: Select[Any],
    sort_column: ColumnElement[Any],
    id_column: ColumnElement[int],
    *,
    descending: bool,
    seek: Seek,
) -> Select[Any]:
    """Order `stmt` by (sort column, id), skip to after `seek`, fetch one row extra.

    The extra row tells the caller whether a next page exists without a COUNT query.
    """
    key = tuple_(sort_column, id_column)
    if seek.row_id is not None:
        after = tuple_(_bound(sort_column, seek.value), _bound(id_column, seek.row_id))
        stmt = stmt.where(key < after if descending else key > after)
    if descending:
        stmt = stmt.order_by(sort_column.desc(), id_column.desc())
    else:
        stmt = stmt.order_by(sort_column.asc(), id_column.asc())
    return stmt.limit(seek.limit + 1)


def _bound(column: ColumnElement[Any], value: Any) -> ColumnElement[Any]:
    """Bind `value` with the column's type, so dates and decimals compare as stored."""
    return literal(value, type_=column.type)


def split_page(rows: Sequence[Any], limit: int) -> tuple[Sequence[Any], bool]:
    """Cut the extra row `seek_page` fetched off; tell whether there is a next page."""
    return rows[:limit], len(rows) > limit

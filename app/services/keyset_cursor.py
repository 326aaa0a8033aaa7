"""Sort tokens and cursors for keyset-paginated lists (`sort=-price`, `cursor=...`).

A cursor holds the sort token it was made for, the sort value of the page's last row and
that row's id. A cursor made for another sort, or with a value of the wrong type, is
unreadable (BadRequestError, 400), never a database error.
"""

from collections.abc import Callable, Mapping
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from app.common.errors import BadRequestError, ValidationError
from app.common.ids import MAX_ROW_ID
from app.common.pagination import decode_cursor, encode_cursor
from app.repositories.keyset import Seek

UNREADABLE = "The cursor is not one this API gave out for this sort."

ValueReader = Callable[[Any], Any]


def parse_sort(token: str, allowed: Mapping[str, ValueReader]) -> tuple[str, bool]:
    """Split `-price` into ("price", True); refuse a field not in `allowed`.

    Raises:
        ValidationError: naming `sort` when the field may not be sorted on.
    """
    field = token.removeprefix("-")
    if field not in allowed:
        choices = ", ".join(sorted(allowed))
        raise ValidationError(
            "This list cannot be sorted that way.",
            {"sort": [f"Sort by one of {choices}, with '-' for descending."]},
        )
    return field, token.startswith("-")


def seek_from(cursor: str | None, token: str, read_value: ValueReader, limit: int) -> Seek:
    """Turn a client's cursor for sort `token` into where the next page starts.

    Raises:
        BadRequestError: the cursor is unreadable, or was made for another sort.
    """
    if cursor is None:
        return Seek(limit=limit)
    made_for, value, row_id = decode_cursor(cursor, 3)
    if made_for != token:
        raise BadRequestError(UNREADABLE)
    try:
        return Seek(value=read_value(value), row_id=read_int(row_id), limit=limit)
    except (TypeError, ValueError, InvalidOperation) as error:
        raise BadRequestError(UNREADABLE) from error


def cursor_after(token: str, value: Any, row_id: int) -> str:
    """Make the cursor of the page that starts after the row (`value`, `row_id`)."""
    if isinstance(value, Decimal):
        value = str(value)
    elif isinstance(value, datetime):
        value = value.isoformat()
    return encode_cursor([token, value, row_id])


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def read_int(value: Any) -> int:
    """Read an integer sort value or row id back from a cursor.

    Raises:
        TypeError: the value is not an integer.
        ValueError: no column can hold it: integer columns, ids included, are 32-bit on
            PostgreSQL, which would refuse it with an error (a 500) rather than no rows.
    """
    if not _is_int(value):
        raise TypeError("not an integer")
    if not -MAX_ROW_ID - 1 <= value <= MAX_ROW_ID:
        raise ValueError("out of range")
    return int(value)


def read_row_id(value: Any) -> int:
    """Read a row id back from a cursor: one no database row can have is unreadable (400).

    Raises:
        TypeError: the value is not an integer.
        ValueError: the value is outside 1..MAX_ROW_ID.
    """
    row_id = read_int(value)
    if not 1 <= row_id <= MAX_ROW_ID:
        raise ValueError("not a row id")
    return row_id


def read_text(value: Any) -> str:
    """Read a text sort value back from a cursor."""
    if not isinstance(value, str):
        raise TypeError("not text")
    return value


def read_decimal(value: Any) -> Decimal:
    """Read a decimal sort value (a string in the cursor) back, refusing NaN and infinity."""
    number = Decimal(read_text(value))
    if not number.is_finite():
        raise ValueError("not a finite number")
    return number


def read_datetime(value: Any) -> datetime:
    """Read an aware ISO 8601 timestamp back from a cursor."""
    moment = datetime.fromisoformat(read_text(value))
    if moment.tzinfo is None:
        raise ValueError("naive timestamp")
    return moment


def read_float(value: Any) -> float:
    """Read a search-rank sort value back from a cursor."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError("not a number")
    return float(value)

"""Keyset pagination: opaque cursors and the page a list service returns.

A cursor is the sort key of the last row of a page, JSON-encoded and base64url'd.
It is opaque to clients; an unreadable one is a BadRequestError (400), never a 500.
"""

import base64
import binascii
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

import orjson

from app.common.errors import BadRequestError

ItemT = TypeVar("ItemT")

DEFAULT_LIMIT = 20
MAX_LIMIT = 100

CursorKey = list[str | int | float | None]


def encode_cursor(key: CursorKey) -> str:
    """Encode the sort key of a page's last row as an opaque cursor."""
    return base64.urlsafe_b64encode(orjson.dumps(key)).decode("ascii").rstrip("=")


def decode_cursor(cursor: str, size: int) -> CursorKey:
    """Decode a cursor made by `encode_cursor`, checking it holds `size` values.

    Raises:
        BadRequestError: when the cursor was not made by us or has the wrong shape.
    """
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        key = orjson.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
    except (binascii.Error, ValueError, UnicodeEncodeError) as error:
        raise BadRequestError("The cursor is not one this API gave out.") from error
    is_scalar = (
        [isinstance(part, str | int | float) or part is None for part in key]
        if isinstance(key, list)
        else [False]
    )
    if not isinstance(key, list) or len(key) != size or not all(is_scalar):
        raise BadRequestError("The cursor is not one this API gave out.")
    return key


@dataclass(frozen=True)
class Page(Generic[ItemT]):
    """One page of a list: its items and the cursor of the next page, if any."""

    items: Sequence[ItemT]
    next_cursor: str | None

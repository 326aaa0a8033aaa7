"""A store's stock: list it, and (an admin or the store's managers) add, change, remove.

A quantity never drops below zero: an adjustment is one atomic UPDATE whose WHERE clause
refuses a result outside 0..MAX_QUANTITY, so concurrent adjustments cannot race past it.
"""

from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.common.errors import (
    ConflictError,
    NotFoundError,
    PreconditionFailedError,
    ValidationError,
)
from app.common.pagination import Page
from app.models.product import Product
from app.models.stock_item import MAX_QUANTITY, StockItem
from app.repositories import product_repository, stock_repository
from app.services import store_service
from app.services.access import Actor
from app.services.keyset_cursor import cursor_after, read_row_id, seek_from
from app.services.versioning import STALE_DETAIL, check_version, commit_versioned

STOCK_SORT = "product"


@dataclass(frozen=True)
class StockKey:
    """Which stock row: a product in a store."""

    store_id: int
    product_id: int


@dataclass(frozen=True)
class StockLine:
    """A stocked product and how many units the store holds; `version` is the row's ETag."""

    product: Product
    quantity: int
    version: int


@dataclass(frozen=True)
class QuantityChange:
    """Set the quantity (`quantity`) or adjust it (`delta`): exactly one of the two."""

    quantity: int | None = None
    delta: int | None = None
    expected_version: int | None = None


def list_stock(session: Session, store_id: int, limit: int, cursor: str | None) -> Page[StockLine]:
    """Return one page of the store's stock with each product, by product id.

    Raises:
        NotFoundError: there is no such store.
        BadRequestError: the cursor is unreadable.
    """
    seek = seek_from(cursor, STOCK_SORT, read_row_id, limit)
    rows = stock_repository.list_page(session, store_id, seek.value, limit)
    page, has_more = store_service.split_store_page(session, store_id, rows, limit)
    lines = [_line(item, product) for item, product in page]
    next_cursor = None
    if has_more:
        next_cursor = cursor_after(STOCK_SORT, lines[-1].product.id, lines[-1].product.id)
    return Page(lines, next_cursor)


def get_stock_line(session: Session, key: StockKey) -> StockLine:
    """Return one stocked product of a store.

    Raises:
        NotFoundError: there is no such store, or it does not stock the product.
    """
    found = stock_repository.get_with_product(session, key.store_id, key.product_id)
    if found is None:
        store_service.get_store(session, key.store_id)
        raise _not_stocked(key)
    return _line(*found)


def add_stock(session: Session, actor: Actor, key: StockKey, quantity: int = 0) -> StockLine:
    """Start stocking a product in a store (an admin or the store's manager).

    Raises:
        NotFoundError: there is no such store or product.
        PermissionDeniedError: the actor neither is an admin nor manages the store.
        ConflictError: the store already stocks the product.
        ValidationError: the quantity is outside 0..MAX_QUANTITY.
    """
    _check_quantity("quantity", quantity, 0)
    store_service.get_store(session, key.store_id)
    store_service.require_store_editor(session, actor, key.store_id)
    product = product_repository.get_by_id(session, key.product_id)
    if product is None:
        raise NotFoundError(f"There is no product with id {key.product_id}.")
    if stock_repository.get(session, key.store_id, key.product_id) is not None:
        raise _already_stocked(key)
    item = StockItem(store_id=key.store_id, product_id=key.product_id, quantity=quantity)
    try:
        stock_repository.add(session, item)
    except IntegrityError as error:  # another request stocked it between our check and now
        session.rollback()
        raise _already_stocked(key) from error
    session.commit()
    return _line(item, product)


def change_stock(
    session: Session, actor: Actor, key: StockKey, change: QuantityChange
) -> StockLine:
    """Set or adjust a stocked quantity in one atomic UPDATE; it never drops below zero.

    Raises:
        NotFoundError: there is no such store, or it does not stock the product.
        PermissionDeniedError: the actor neither is an admin nor manages the store.
        ConflictError: the adjustment would take the quantity below zero (or above the max).
        PreconditionFailedError: the row is no longer at `change.expected_version`.
        ValidationError: not exactly one of quantity and delta, or a value out of range.
    """
    item_key = _checked_change(change, key)
    store_service.get_store(session, key.store_id)
    store_service.require_store_editor(session, actor, key.store_id)
    if change.delta is not None:
        is_done = stock_repository.add_to_quantity(
            session, item_key, change.delta, change.expected_version
        )
    else:
        is_done = stock_repository.set_quantity(
            session, item_key, change.quantity or 0, change.expected_version
        )
    if not is_done:
        _explain_refusal(session, key, change)
    session.commit()
    return get_stock_line(session, key)


def remove_stock(
    session: Session, actor: Actor, key: StockKey, expected_version: int | None = None
) -> None:
    """Stop stocking a product in a store (an admin or the store's manager).

    Raises:
        NotFoundError: there is no such store, or it does not stock the product.
        PermissionDeniedError: the actor neither is an admin nor manages the store.
        PreconditionFailedError: the row is no longer at `expected_version`.
    """
    store_service.get_store(session, key.store_id)
    store_service.require_store_editor(session, actor, key.store_id)
    item = stock_repository.get(session, key.store_id, key.product_id)
    if item is None:
        raise _not_stocked(key)
    check_version(item.version, expected_version)
    stock_repository.delete(session, item)
    commit_versioned(session)


def _line(item: StockItem, product: Product) -> StockLine:
    return StockLine(product=product, quantity=item.quantity, version=item.version)


def _checked_change(change: QuantityChange, key: StockKey) -> tuple[int, int]:
    if (change.quantity is None) == (change.delta is None):
        message = "Send exactly one of quantity (set) or delta (adjust)."
        raise ValidationError(message, {"body": [message]})
    if change.quantity is not None:
        _check_quantity("quantity", change.quantity, 0)
    if change.delta is not None:
        _check_quantity("delta", change.delta, -MAX_QUANTITY)
    return key.store_id, key.product_id


def _check_quantity(field: str, value: int, minimum: int) -> None:
    if not minimum <= value <= MAX_QUANTITY:
        message = f"Give a whole number from {minimum} to {MAX_QUANTITY}."
        raise ValidationError(f"{field} is out of range.", {field: [message]})


def _explain_refusal(session: Session, key: StockKey, change: QuantityChange) -> None:
    """Say why the UPDATE matched no row: not stocked, stale version, or out of range."""
    session.rollback()
    item = stock_repository.get(session, key.store_id, key.product_id)
    if item is None:
        raise _not_stocked(key)
    if change.expected_version is not None and item.version != change.expected_version:
        raise PreconditionFailedError(STALE_DETAIL)
    raise ConflictError(
        f"Adjusting the quantity {item.quantity} by {change.delta} would take it "
        f"outside 0..{MAX_QUANTITY}; it never drops below zero."
    )


def _not_stocked(key: StockKey) -> NotFoundError:
    return NotFoundError(f"Store {key.store_id} does not stock product {key.product_id}.")


def _already_stocked(key: StockKey) -> ConflictError:
    return ConflictError(f"Store {key.store_id} already stocks product {key.product_id}.")

"""What only the dashboard shows: "my stores" with low-stock counts, and stock searched by words.

Every change the dashboard makes goes through the same services as the API; this module
only reads, and decides which stores are "mine" (an admin's are all of them).
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session

from app.common.errors import PermissionDeniedError, ValidationError
from app.common.pagination import MAX_LIMIT, Page
from app.models.store import Store
from app.models.user import User
from app.repositories import dashboard_repository, product_repository
from app.repositories.keyset import split_page
from app.services import manager_service, stock_service, store_service, user_service
from app.services.access import Actor
from app.services.keyset_cursor import cursor_after, read_row_id, seek_from
from app.services.stock_service import StockLine

# A product is "low" in a store that holds this many units or fewer.
LOW_STOCK_THRESHOLD = 5
STORE_PAGE_SIZE = 25
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class StorePage:
    """Everything a store's page shows: its stock page, managers, and what the actor may do."""

    store: Store
    stock: Page[StockLine]
    managers: Sequence[User]
    can_edit: bool
    manager_candidates: Sequence[User]


@dataclass(frozen=True)
class StoreSummary:
    """A store on the dashboard and how many of its products run low."""

    store: Store
    low_stock: int


def list_my_stores(
    session: Session, actor: Actor, limit: int, cursor: str | None
) -> Page[StoreSummary]:
    """Return a page of the stores the actor manages (an admin: every store), by name.

    Raises:
        BadRequestError: the cursor is unreadable.
    """
    manager_id = None if actor.is_admin else actor.id
    query = store_service.StoreQuery(manager=manager_id, limit=limit, cursor=cursor)
    page = store_service.list_stores(session, query)
    counts = dashboard_repository.count_low_stock(
        session, [store.id for store in page.items], LOW_STOCK_THRESHOLD
    )
    summaries = [StoreSummary(store, counts.get(store.id, 0)) for store in page.items]
    return Page(summaries, page.next_cursor)


def can_edit_store(session: Session, actor: Actor, store_id: int) -> bool:
    """Tell whether the actor may change this store and its stock (admin or its manager)."""
    try:
        store_service.require_store_editor(session, actor, store_id)
    except PermissionDeniedError:
        return False
    return True


def list_store_stock(
    session: Session, store_id: int, search: str | None, limit: int, cursor: str | None
) -> Page[StockLine]:
    """Return a page of the store's stock, narrowed to products whose SKU or name has the words.

    Raises:
        NotFoundError: there is no such store.
        BadRequestError: the cursor is unreadable.
    """
    words = tuple(_WORD.findall(search or ""))
    if not words:
        return stock_service.list_stock(session, store_id, limit, cursor)
    store_service.get_store(session, store_id)
    token = stock_service.STOCK_SORT
    seek = seek_from(cursor, token, read_row_id, limit)
    rows = dashboard_repository.search_stock_page(session, store_id, words, seek.value, limit)
    page, has_more = split_page(rows, limit)
    lines = [StockLine(product, item.quantity, item.version) for item, product in page]
    next_cursor = None
    if has_more:
        next_cursor = cursor_after(token, lines[-1].product.id, lines[-1].product.id)
    return Page(lines, next_cursor)


def add_stock_by_sku(
    session: Session, actor: Actor, store_id: int, sku: str, quantity: int
) -> StockLine:
    """Start stocking the product with this SKU (exact, trimmed) in a store.

    Raises:
        ValidationError: no product has this SKU (on the `sku` field).
        NotFoundError, PermissionDeniedError, ConflictError: as `stock_service.add_stock`.
    """
    product = product_repository.get_by_sku(session, sku.strip())
    if product is None:
        raise ValidationError("No product has this SKU.", {"sku": ["No product has this SKU."]})
    key = stock_service.StockKey(store_id=store_id, product_id=product.id)
    return stock_service.add_stock(session, actor, key, quantity)


def get_store_page(
    session: Session, actor: Actor, store_id: int, search: str | None, cursor: str | None
) -> StorePage:
    """Return a store's page: stock (searched), managers, and who the admin may add.

    Raises:
        NotFoundError: there is no such store.
        BadRequestError: the cursor is unreadable.
    """
    store = store_service.get_store(session, store_id)
    stock = list_store_stock(session, store_id, search, STORE_PAGE_SIZE, cursor)
    managers = manager_service.list_managers(session, store_id, MAX_LIMIT, None).items
    candidates: Sequence[User] = []
    if actor.is_admin:
        wanted = user_service.UserFilter(is_active=True)
        users = user_service.list_users(session, actor, wanted, MAX_LIMIT, None).items
        manager_ids = {manager.id for manager in managers}
        candidates = [user for user in users if user.id not in manager_ids]
    can_edit = can_edit_store(session, actor, store_id)
    return StorePage(store, stock, managers, can_edit, candidates)


def get_editable_store(session: Session, actor: Actor, store_id: int) -> Store:
    """Return a store the actor may change (to fill its edit form).

    Raises:
        NotFoundError: there is no such store.
        PermissionDeniedError: the actor neither is an admin nor manages the store.
    """
    store = store_service.get_store(session, store_id)
    store_service.require_store_editor(session, actor, store_id)
    return store

"""Stores: list, read, create, change and delete them; who may change a store.

Any signed-in user may read stores. Only an admin creates or deletes one; an admin or
a manager of that very store (a `store_managers` row, nothing else) may change it.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from app.common.errors import (
    BadRequestError,
    NotFoundError,
    PermissionDeniedError,
    ValidationError,
)
from app.common.ids import MAX_ROW_ID
from app.common.pagination import DEFAULT_LIMIT, Page
from app.models.store import (
    STORE_ADDRESS_MAX,
    STORE_CITY_MAX,
    STORE_NAME_MAX,
    STORE_STATE_MAX,
    STORE_ZIP_CODE_MAX,
    Store,
)
from app.repositories import store_manager_repository, store_repository
from app.repositories.keyset import split_page
from app.repositories.store_repository import StoreFilters
from app.services.access import Actor, require_admin
from app.services.keyset_cursor import (
    UNREADABLE,
    ValueReader,
    cursor_after,
    parse_sort,
    read_row_id,
    read_text,
    seek_from,
)
from app.services.versioning import check_version, commit_versioned

FIELD_MAX_LENGTHS = {
    "name": STORE_NAME_MAX,
    "address": STORE_ADDRESS_MAX,
    "city": STORE_CITY_MAX,
    "state": STORE_STATE_MAX,
    "zip_code": STORE_ZIP_CODE_MAX,
}


def split_store_page(
    session: Session, store_id: int, rows: Sequence[Any], limit: int
) -> tuple[Sequence[Any], bool]:
    """Cut a page of one store's managers or stock to `limit`; tell whether more follow.

    An empty page is checked against the store, so a missing store is a 404, not `[]`.

    Raises:
        NotFoundError: there is no such store.
    """
    if not rows:
        get_store(session, store_id)
    return split_page(rows, limit)


SORTS: dict[str, ValueReader] = {
    "name": read_text,
    "city": read_text,
    "state": read_text,
    "id": read_row_id,
}


@dataclass(frozen=True)
class StoreQuery:
    """What a store list asks for: exact-match filters, a sort token and a page."""

    city: str | None = None
    state: str | None = None
    manager: int | None = None
    sort: str = "name"
    limit: int = DEFAULT_LIMIT
    cursor: str | None = None


def list_stores(session: Session, query: StoreQuery) -> Page[Store]:
    """Return one page of stores matching the query, in one SQL query.

    Raises:
        ValidationError: the sort is not one of name, city, state, id (optionally `-`).
        BadRequestError: the cursor is unreadable or was made for another sort.
    """
    field, is_descending = parse_sort(query.sort, SORTS)
    seek = seek_from(query.cursor, query.sort, SORTS[field], query.limit)
    if seek.row_id is not None and not 1 <= seek.row_id <= MAX_ROW_ID:
        raise BadRequestError(UNREADABLE)
    filters = StoreFilters(
        city=_strip(query.city), state=_strip(query.state), manager_id=query.manager
    )
    rows = store_repository.list_page(session, filters, field, descending=is_descending, seek=seek)
    items, has_more = split_page(rows, query.limit)
    next_cursor = None
    if has_more:
        last = items[-1]
        next_cursor = cursor_after(query.sort, getattr(last, field), last.id)
    return Page(items, next_cursor)


def get_store(session: Session, store_id: int) -> Store:
    """Return the store.

    Raises:
        NotFoundError: there is no store with this id.
    """
    store = store_repository.get_by_id(session, store_id)
    if store is None:
        raise NotFoundError(f"There is no store with id {store_id}.")
    return store


def create_store(session: Session, actor: Actor, fields: Mapping[str, str]) -> Store:
    """Create a store from all five fields (admin only).

    Raises:
        PermissionDeniedError: the actor is not an admin.
        ValidationError: a field is missing, blank, too long or unknown.
    """
    require_admin(actor, "create a store")
    store = store_repository.add(session, Store(**_normalised(fields, is_partial=False)))
    session.commit()
    return store


def update_store(
    session: Session,
    actor: Actor,
    store_id: int,
    changes: Mapping[str, str],
    expected_version: int | None = None,
) -> Store:
    """Change some of a store's fields (an admin, or a manager of this store).

    Raises:
        NotFoundError: there is no such store.
        PermissionDeniedError: the actor neither is an admin nor manages this store.
        PreconditionFailedError: the store is no longer at `expected_version`.
        ValidationError: a field is blank, too long or unknown.
    """
    store = get_store(session, store_id)
    require_store_editor(session, actor, store.id)
    check_version(store.version, expected_version)
    for field, value in _normalised(changes, is_partial=True).items():
        setattr(store, field, value)
    commit_versioned(session)
    return store


def delete_store(
    session: Session, actor: Actor, store_id: int, expected_version: int | None = None
) -> None:
    """Delete a store with its manager and stock rows (admin only).

    Raises:
        NotFoundError: there is no such store.
        PermissionDeniedError: the actor is not an admin.
        PreconditionFailedError: the store is no longer at `expected_version`.
    """
    store = get_store(session, store_id)
    require_admin(actor, "delete a store")
    check_version(store.version, expected_version)
    store_repository.delete(session, store)
    commit_versioned(session)


def require_store_editor(session: Session, actor: Actor, store_id: int) -> None:
    """Refuse anyone but an admin or a manager of this store.

    Raises:
        PermissionDeniedError: the actor neither is an admin nor manages the store.
    """
    if actor.is_admin or store_manager_repository.get(session, store_id, actor.id) is not None:
        return
    raise PermissionDeniedError("Only an admin or a manager of this store may do that.")


def _strip(value: str | None) -> str | None:
    """Trim a filter value; a blank one filters nothing."""
    return (value or "").strip() or None


def _normalised(fields: Mapping[str, str], *, is_partial: bool) -> dict[str, str]:
    """Trim every field and check it is known, present (unless partial) and fits."""
    problems: dict[str, list[str]] = {
        field: ["Unknown field."] for field in fields if field not in FIELD_MAX_LENGTHS
    }
    values: dict[str, str] = {}
    for field, max_length in FIELD_MAX_LENGTHS.items():
        if field not in fields:
            if not is_partial:
                problems[field] = ["Field required."]
            continue
        value = str(fields[field]).strip()
        if not value or len(value) > max_length:
            problems[field] = [f"Give between 1 and {max_length} characters."]
        values[field] = value
    if problems:
        raise ValidationError("The store has fields that are missing or invalid.", problems)
    return values

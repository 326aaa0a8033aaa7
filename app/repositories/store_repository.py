"""Queries over stores: look one up, list a filtered page, add and delete."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, select
from sqlalchemy.orm import Session

from app.models.store import Store
from app.models.store_manager import StoreManager
from app.repositories.keyset import Seek, seek_page

SORT_COLUMNS: dict[str, ColumnElement[Any]] = {
    "name": Store.__table__.c.name,
    "city": Store.__table__.c.city,
    "state": Store.__table__.c.state,
    "id": Store.__table__.c.id,
}


@dataclass(frozen=True)
class StoreFilters:
    """Exact-match filters of a store list; None means "any"."""

    city: str | None = None
    state: str | None = None
    manager_id: int | None = None


def get_by_id(session: Session, store_id: int) -> Store | None:
    """Return the store with this id, or None."""
    return session.get(Store, store_id)


def list_page(
    session: Session, filters: StoreFilters, sort_field: str, *, descending: bool, seek: Seek
) -> Sequence[Store]:
    """Return one page of stores (plus one extra row) in one query, whatever its depth."""
    stmt = _filtered(select(Store), filters)
    stmt = seek_page(
        stmt, SORT_COLUMNS[sort_field], Store.__table__.c.id, descending=descending, seek=seek
    )
    return session.scalars(stmt).all()


def _filtered(stmt: Select[Any], filters: StoreFilters) -> Select[Any]:
    if filters.city is not None:
        stmt = stmt.where(Store.city == filters.city)
    if filters.state is not None:
        stmt = stmt.where(Store.state == filters.state)
    if filters.manager_id is not None:
        stmt = stmt.join(StoreManager, StoreManager.store_id == Store.id).where(
            StoreManager.user_id == filters.manager_id
        )
    return stmt


def add(session: Session, store: Store) -> Store:
    """Stage a new store and flush it so it has an id."""
    session.add(store)
    session.flush()
    return store


def delete(session: Session, store: Store) -> None:
    """Stage the deletion; the database removes its manager and stock rows (CASCADE)."""
    session.delete(store)

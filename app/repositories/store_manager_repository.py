"""Queries over `store_managers`: who manages which store."""

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models.store_manager import StoreManager
from app.models.user import User


def get(session: Session, store_id: int, user_id: int) -> StoreManager | None:
    """Return the row that makes `user_id` a manager of `store_id`, or None."""
    return session.get(StoreManager, (store_id, user_id))


def list_users_page(
    session: Session, store_id: int, after_user_id: int | None, limit: int
) -> Sequence[User]:
    """Return the store's managers ordered by user id (plus one extra row), in one query."""
    stmt = (
        select(User)
        .join(StoreManager, StoreManager.user_id == User.id)
        .where(StoreManager.store_id == store_id)
        .order_by(User.id)
        .limit(limit + 1)
    )
    if after_user_id is not None:
        stmt = stmt.where(User.id > after_user_id)
    return session.scalars(stmt).all()


def add(session: Session, store_id: int, user_id: int) -> StoreManager:
    """Stage a new manager row."""
    row = StoreManager(store_id=store_id, user_id=user_id)
    session.add(row)
    return row


def delete(session: Session, row: StoreManager) -> None:
    """Stage the removal of a manager row."""
    session.delete(row)

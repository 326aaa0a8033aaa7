"""Reads the facts a notification mail needs: its recipient and the store it is about."""

from sqlalchemy.orm import Session

from app.models.store import Store
from app.models.user import User


def get_user(session: Session, user_id: int) -> User | None:
    """Return the user with this id, or None when it was deleted meanwhile."""
    return session.get(User, user_id)


def get_store(session: Session, store_id: int) -> Store | None:
    """Return the store with this id, or None when it was deleted meanwhile."""
    return session.get(Store, store_id)

"""What a notification mail says: its recipient and subject matter, as plain data.

Background tasks call these before they render and send a mail. A user or store deleted
between the event and the task gives None: the mail is no longer worth sending.
"""

from dataclasses import dataclass

from sqlalchemy.orm import Session

from app.repositories import notification_repository


@dataclass(frozen=True)
class Recipient:
    """Who a mail goes to."""

    email: str
    name: str | None


@dataclass(frozen=True)
class StoreFacts:
    """The store a manager mail is about."""

    id: int
    name: str
    address: str
    city: str
    state: str
    zip_code: str


@dataclass(frozen=True)
class ManagerChange:
    """A user was made, or stopped being, a manager of a store."""

    recipient: Recipient
    store: StoreFacts


def get_recipient(session: Session, user_id: int) -> Recipient | None:
    """Return the active user's address and name, or None if the user is gone or inactive."""
    user = notification_repository.get_user(session, user_id)
    if user is None or not user.is_active:
        return None
    return Recipient(email=user.email, name=user.name)


def get_manager_change(session: Session, store_id: int, user_id: int) -> ManagerChange | None:
    """Return what a manager-added/removed mail needs, or None if the user or store is gone."""
    recipient = get_recipient(session, user_id)
    store = notification_repository.get_store(session, store_id)
    if recipient is None or store is None:
        return None
    facts = StoreFacts(
        id=store.id,
        name=store.name,
        address=store.address,
        city=store.city,
        state=store.state,
        zip_code=store.zip_code,
    )
    return ManagerChange(recipient=recipient, store=facts)

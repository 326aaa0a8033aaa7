"""Store managers: list them, and (admin only) make or unmake a user a store's manager.

Whom a change concerns is told through the ManagerNotifier port, only after the
transaction has committed, so a rolled-back change never sends a message.
"""

import logging
from collections.abc import Callable

from sqlalchemy.orm import Session

from app.common.errors import ConflictError, NotFoundError
from app.common.pagination import Page
from app.models.user import User
from app.repositories import store_manager_repository, user_repository
from app.services import store_service
from app.services.access import Actor, require_admin
from app.services.keyset_cursor import cursor_after, read_row_id, seek_from
from app.services.ports import ManagerNotifier

logger = logging.getLogger(__name__)

MANAGER_SORT = "id"


def list_managers(session: Session, store_id: int, limit: int, cursor: str | None) -> Page[User]:
    """Return one page of the store's managers, by user id.

    Raises:
        NotFoundError: there is no such store.
        BadRequestError: the cursor is unreadable.
    """
    seek = seek_from(cursor, MANAGER_SORT, read_row_id, limit)
    rows = store_manager_repository.list_users_page(session, store_id, seek.value, limit)
    users, has_more = store_service.split_store_page(session, store_id, rows, limit)
    next_cursor = cursor_after(MANAGER_SORT, users[-1].id, users[-1].id) if has_more else None
    return Page(users, next_cursor)


def get_manager(session: Session, store_id: int, user_id: int) -> User:
    """Return the user when they manage the store.

    Raises:
        NotFoundError: there is no such store, or the user does not manage it.
    """
    store_service.get_store(session, store_id)
    if store_manager_repository.get(session, store_id, user_id) is None:
        raise NotFoundError(f"User {user_id} is not a manager of store {store_id}.")
    return _get_user(session, user_id)


def add_manager(
    session: Session, actor: Actor, store_id: int, user_id: int, notifier: ManagerNotifier
) -> User:
    """Make a user a manager of a store (admin only), then tell them.

    Raises:
        NotFoundError: there is no such store or user.
        PermissionDeniedError: the actor is not an admin.
        ConflictError: the user already manages the store.
    """
    store_service.get_store(session, store_id)
    require_admin(actor, "choose a store's managers")
    user = _get_user(session, user_id)
    if store_manager_repository.get(session, store_id, user_id) is not None:
        raise ConflictError(f"User {user_id} is already a manager of store {store_id}.")
    store_manager_repository.add(session, store_id, user_id)
    session.commit()
    _notify(notifier.manager_added, store_id, user_id)
    return user


def remove_manager(
    session: Session, actor: Actor, store_id: int, user_id: int, notifier: ManagerNotifier
) -> None:
    """Stop a user managing a store (admin only), then tell them.

    Raises:
        NotFoundError: there is no such store, or the user does not manage it.
        PermissionDeniedError: the actor is not an admin.
    """
    store_service.get_store(session, store_id)
    require_admin(actor, "choose a store's managers")
    row = store_manager_repository.get(session, store_id, user_id)
    if row is None:
        raise NotFoundError(f"User {user_id} is not a manager of store {store_id}.")
    store_manager_repository.delete(session, row)
    session.commit()
    _notify(notifier.manager_removed, store_id, user_id)


def _get_user(session: Session, user_id: int) -> User:
    user = user_repository.get_by_id(session, user_id)
    if user is None:
        raise NotFoundError(f"There is no user with id {user_id}.")
    return user


def _notify(send: Callable[[int, int], None], store_id: int, user_id: int) -> None:
    """Tell the user; the change is committed, so a failure to enqueue is logged, not raised."""
    try:
        send(store_id, user_id)
    except Exception:  # the broker being down must not turn a committed change into a 500
        logger.exception("could not notify user %s about store %s", user_id, store_id)

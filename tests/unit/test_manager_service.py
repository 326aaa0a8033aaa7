"""manager_service on a plain SQLite Session, with a fake notifier that records calls."""

import logging

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from app.common.errors import (
    BadRequestError,
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
)
from app.services import manager_service
from tests.factories import StoreFactory, UserFactory


class FakeNotifier:
    """Records each notification and whether its change was committed when it came."""

    def __init__(self, session: Session) -> None:
        self.engine = session.get_bind()
        self.calls: list[tuple[str, int, int, bool]] = []

    def _is_committed(self, store_id: int, user_id: int) -> bool:
        with self.engine.connect() as connection:  # a separate connection sees only commits
            count = connection.scalar(
                text("SELECT count(*) FROM store_managers WHERE store_id = :s AND user_id = :u"),
                {"s": store_id, "u": user_id},
            )
        return bool(count)

    def manager_added(self, store_id: int, user_id: int) -> None:
        self.calls.append(("added", store_id, user_id, self._is_committed(store_id, user_id)))

    def manager_removed(self, store_id: int, user_id: int) -> None:
        self.calls.append(("removed", store_id, user_id, self._is_committed(store_id, user_id)))


class BrokenNotifier:
    def manager_added(self, _store_id: int, _user_id: int) -> None:
        raise ConnectionError("broker down")

    def manager_removed(self, _store_id: int, _user_id: int) -> None:
        raise ConnectionError("broker down")


@pytest.fixture
def notifier(session):
    return FakeNotifier(session)


@pytest.fixture
def user():
    return UserFactory(roles=["manager"])


def test_an_admin_makes_a_user_a_manager_and_they_are_told_after_commit(
    session, admin, user, notifier
) -> None:
    store = StoreFactory()

    added = manager_service.add_manager(session, admin, store.id, user.id, notifier)

    assert added is user
    assert notifier.calls == [("added", store.id, user.id, True)]
    assert manager_service.get_manager(session, store.id, user.id) is user


def test_making_a_manager_twice_is_a_conflict_and_tells_nobody(
    session, admin, user, notifier
) -> None:
    store = StoreFactory(managers=[user])

    with pytest.raises(ConflictError, match="already a manager"):
        manager_service.add_manager(session, admin, store.id, user.id, notifier)

    assert notifier.calls == []


def test_an_unknown_user_cannot_be_made_a_manager(session, admin, notifier) -> None:
    store = StoreFactory()

    with pytest.raises(NotFoundError, match="no user with id 999"):
        manager_service.add_manager(session, admin, store.id, 999, notifier)


def test_nobody_manages_an_unknown_store(session, admin, user, notifier) -> None:
    with pytest.raises(NotFoundError, match="no store"):
        manager_service.add_manager(session, admin, 999, user.id, notifier)


@pytest.mark.parametrize("action", ["add_manager", "remove_manager"])
def test_only_an_admin_chooses_managers_even_the_stores_own_manager_cannot(
    session, user, notifier, action
) -> None:
    store = StoreFactory(managers=[user])
    newcomer = UserFactory()

    with pytest.raises(PermissionDeniedError):
        getattr(manager_service, action)(session, user, store.id, newcomer.id, notifier)

    assert notifier.calls == []


def test_an_admin_removes_a_manager_and_they_are_told_after_commit(
    session, admin, user, notifier
) -> None:
    store = StoreFactory(managers=[user])

    manager_service.remove_manager(session, admin, store.id, user.id, notifier)

    assert notifier.calls == [("removed", store.id, user.id, False)]
    with pytest.raises(NotFoundError):
        manager_service.get_manager(session, store.id, user.id)


def test_removing_someone_who_is_not_a_manager_is_not_found(session, admin, user, notifier) -> None:
    store = StoreFactory()

    with pytest.raises(NotFoundError, match="not a manager"):
        manager_service.remove_manager(session, admin, store.id, user.id, notifier)

    assert notifier.calls == []


def test_a_notifier_that_fails_is_logged_and_the_change_stays(session, admin, user, caplog) -> None:
    store = StoreFactory()

    with caplog.at_level(logging.ERROR, logger="app.services.manager_service"):
        manager_service.add_manager(session, admin, store.id, user.id, BrokenNotifier())

    assert "could not notify user" in caplog.text
    assert manager_service.get_manager(session, store.id, user.id) is user


def test_managers_are_listed_by_user_id_one_page_at_a_time(session) -> None:
    users = [UserFactory() for _ in range(5)]
    store = StoreFactory(managers=users[::-1])
    StoreFactory(managers=[UserFactory()])

    first = manager_service.list_managers(session, store.id, 3, None)
    second = manager_service.list_managers(session, store.id, 3, first.next_cursor)

    assert [user.id for user in first.items] == [user.id for user in users[:3]]
    assert [user.id for user in second.items] == [user.id for user in users[3:]]
    assert second.next_cursor is None


def test_a_store_without_managers_lists_none(session) -> None:
    store = StoreFactory()

    page = manager_service.list_managers(session, store.id, 20, None)

    assert list(page.items) == []


def test_the_managers_of_an_unknown_store_are_not_found(session) -> None:
    with pytest.raises(NotFoundError):
        manager_service.list_managers(session, 999, 20, None)


def test_a_garbled_manager_cursor_is_a_bad_request(session) -> None:
    store = StoreFactory()

    with pytest.raises(BadRequestError):
        manager_service.list_managers(session, store.id, 20, "garbled")

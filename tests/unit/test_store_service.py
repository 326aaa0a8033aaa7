"""store_service on a plain SQLite Session: rules for reading, creating, changing, deleting."""

import pytest
from sqlalchemy import event, func, select, text
from sqlalchemy.orm import Session

from app.common.errors import (
    BadRequestError,
    NotFoundError,
    PermissionDeniedError,
    PreconditionFailedError,
    ValidationError,
)
from app.common.pagination import encode_cursor
from app.models.stock_item import StockItem
from app.models.store import Store
from app.models.store_manager import StoreManager
from app.services import store_service
from app.services.store_service import StoreQuery
from tests.factories import StockItemFactory, StoreFactory, UserFactory

FIELDS = {
    "name": "Downtown",
    "address": "1 Main Street",
    "city": "Springfield",
    "state": "IL",
    "zip_code": "62701",
}


@pytest.fixture
def user():
    return UserFactory(roles=["manager"])


def _count(session: Session, model: type) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


def test_an_admin_creates_a_store_with_trimmed_fields(session, admin) -> None:
    store = store_service.create_store(session, admin, {**FIELDS, "name": "  Downtown  "})

    assert session.get(Store, store.id) is store
    assert store.name == "Downtown"
    assert store.version == 1


def test_a_non_admin_cannot_create_a_store(session, user) -> None:
    with pytest.raises(PermissionDeniedError):
        store_service.create_store(session, user, FIELDS)

    assert _count(session, Store) == 0


@pytest.mark.parametrize("missing", sorted(FIELDS))
def test_every_store_field_is_required_on_create(session, admin, missing) -> None:
    fields = {key: value for key, value in FIELDS.items() if key != missing}

    with pytest.raises(ValidationError) as caught:
        store_service.create_store(session, admin, fields)

    assert caught.value.errors == {missing: ["Field required."]}


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"name": "   "}, "name"),
        ({"zip_code": "1" * 21}, "zip_code"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_blank_too_long_or_unknown_fields_are_refused(session, admin, changes, field) -> None:
    with pytest.raises(ValidationError) as caught:
        store_service.create_store(session, admin, {**FIELDS, **changes})

    assert list(caught.value.errors) == [field]
    assert _count(session, Store) == 0


def test_getting_an_unknown_store_is_not_found(session) -> None:
    with pytest.raises(NotFoundError, match="no store with id 999"):
        store_service.get_store(session, 999)


def test_an_admin_changes_any_store(session, admin) -> None:
    store = StoreFactory()

    changed = store_service.update_store(session, admin, store.id, {"city": " Shelbyville "})

    assert changed.city == "Shelbyville"
    assert changed.version == 2


def test_a_manager_changes_the_store_they_manage(session, user) -> None:
    store = StoreFactory(managers=[user])

    changed = store_service.update_store(session, user, store.id, {"name": "Uptown"})

    assert changed.name == "Uptown"


def test_a_manager_cannot_change_a_store_they_do_not_manage(session, user) -> None:
    StoreFactory(managers=[user])
    other = StoreFactory(name="Other")

    with pytest.raises(PermissionDeniedError):
        store_service.update_store(session, user, other.id, {"name": "Mine now"})

    session.rollback()
    assert session.get(Store, other.id).name == "Other"


def test_an_update_against_an_old_version_fails_its_precondition(session, admin) -> None:
    store = StoreFactory()
    store_service.update_store(session, admin, store.id, {"name": "Second"})

    with pytest.raises(PreconditionFailedError):
        store_service.update_store(session, admin, store.id, {"name": "Third"}, 1)

    session.rollback()
    assert session.get(Store, store.id).name == "Second"


def test_a_writer_that_loses_a_race_fails_its_precondition(session, admin) -> None:
    store = StoreFactory()

    def someone_else_writes_first(*_args: object) -> None:
        with session.get_bind().connect() as other:
            other.execute(text("UPDATE stores SET version = version + 1"))
            other.commit()

    event.listen(session, "before_flush", someone_else_writes_first, once=True)

    with pytest.raises(PreconditionFailedError):
        store_service.update_store(session, admin, store.id, {"name": "Lost"})


def test_deleting_a_store_removes_its_managers_and_stock(session, admin, user) -> None:
    store = StoreFactory(managers=[user])
    StockItemFactory(store=store)
    kept = StockItemFactory()

    store_service.delete_store(session, admin, store.id)

    assert session.get(Store, store.id) is None
    assert _count(session, StoreManager) == 0
    assert session.scalars(select(StockItem.id)).all() == [kept.id]


def test_a_manager_cannot_delete_their_store(session, user) -> None:
    store = StoreFactory(managers=[user])

    with pytest.raises(PermissionDeniedError):
        store_service.delete_store(session, user, store.id)


def test_a_delete_against_an_old_version_fails_its_precondition(session, admin) -> None:
    store = StoreFactory()

    with pytest.raises(PreconditionFailedError):
        store_service.delete_store(session, admin, store.id, expected_version=7)


def test_deleting_an_unknown_store_is_not_found(session, admin) -> None:
    with pytest.raises(NotFoundError):
        store_service.delete_store(session, admin, 404)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (StoreQuery(city="Shelbyville"), ["B"]),
        (StoreQuery(state="  OH "), ["C"]),
        (StoreQuery(city="Springfield", state="IL"), ["A"]),
        (StoreQuery(sort="-name"), ["C", "B", "A"]),
        (StoreQuery(sort="city"), ["C", "B", "A"]),
        (StoreQuery(sort="-id"), ["C", "B", "A"]),
    ],
)
def test_stores_are_filtered_and_sorted(session, query, expected) -> None:
    StoreFactory(name="A", city="Springfield", state="IL")
    StoreFactory(name="B", city="Shelbyville", state="IL")
    StoreFactory(name="C", city="Capital City", state="OH")

    page = store_service.list_stores(session, query)

    assert [store.name for store in page.items] == expected


def test_stores_are_filtered_by_manager(session, user) -> None:
    StoreFactory(name="Theirs")
    StoreFactory(name="Mine", managers=[user])

    page = store_service.list_stores(session, StoreQuery(manager=user.id))

    assert [store.name for store in page.items] == ["Mine"]


@pytest.mark.parametrize("sort", ["name", "-name", "city", "-state", "id"])
def test_paging_through_stores_visits_each_once(session, sort) -> None:
    for index in range(7):
        StoreFactory(name=f"Store {index % 3}", city=f"City {index % 2}", state="IL")
    seen: list[int] = []
    cursor = None
    for _ in range(4):
        page = store_service.list_stores(session, StoreQuery(sort=sort, limit=3, cursor=cursor))
        seen += [store.id for store in page.items]
        cursor = page.next_cursor
        if cursor is None:
            break

    assert sorted(seen) == sorted(session.scalars(select(Store.id)))
    assert len(seen) == 7


@pytest.mark.parametrize(
    "cursor",
    ["not-a-cursor", encode_cursor(["city", "x", 1]), encode_cursor(["name", 5, 1]), "%%%"],
)
def test_an_unreadable_cursor_is_a_bad_request(session, cursor) -> None:
    with pytest.raises(BadRequestError):
        store_service.list_stores(session, StoreQuery(sort="name", cursor=cursor))


def test_an_unknown_sort_is_a_validation_error(session) -> None:
    with pytest.raises(ValidationError) as caught:
        store_service.list_stores(session, StoreQuery(sort="zip_code"))

    assert list(caught.value.errors) == ["sort"]

"""dashboard_service and the dashboard's sign-in service functions, on a plain SQLite Session."""

import pytest
from sqlalchemy.orm import Session

from app.common.errors import (
    AuthenticationError,
    BadRequestError,
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
    ValidationError,
)
from app.models.user import User
from app.services import auth_service, dashboard_service
from tests.factories import (
    DEFAULT_PASSWORD,
    ProductFactory,
    StockItemFactory,
    StoreFactory,
    UserFactory,
)


def test_a_manager_s_stores_are_only_those_they_manage(session: Session, manager: User) -> None:
    mine = StoreFactory(name="Mine", managers=[manager])
    StoreFactory(name="Theirs")

    page = dashboard_service.list_my_stores(session, manager, 20, None)

    assert [summary.store.id for summary in page.items] == [mine.id]


def test_an_admin_s_stores_are_all_stores(session: Session, admin: User) -> None:
    StoreFactory(name="A")
    StoreFactory(name="B")

    page = dashboard_service.list_my_stores(session, admin, 20, None)

    assert [summary.store.name for summary in page.items] == ["A", "B"]


def test_low_stock_counts_products_at_or_under_the_threshold(session: Session, admin: User) -> None:
    store = StoreFactory()
    threshold = dashboard_service.LOW_STOCK_THRESHOLD
    for quantity in (0, threshold, threshold + 1):
        StockItemFactory(store=store, quantity=quantity)

    [summary] = dashboard_service.list_my_stores(session, admin, 20, None).items

    assert summary.low_stock == 2


def test_my_stores_are_paginated(session: Session, admin: User) -> None:
    for _ in range(3):
        StoreFactory()

    first = dashboard_service.list_my_stores(session, admin, 2, None)
    second = dashboard_service.list_my_stores(session, admin, 2, first.next_cursor)

    assert len(first.items) == 2
    assert len(second.items) == 1
    assert second.next_cursor is None


@pytest.mark.parametrize(
    ("search", "expected"),
    [("oak", ["Oak spade"]), ("OAK-1", ["Oak spade"]), ("steel RAKE", ["Steel rake"]), ("", None)],
)
def test_stock_search_matches_every_word_in_sku_or_name(
    session: Session, search: str, expected: list[str] | None
) -> None:
    store = StoreFactory()
    StockItemFactory(store=store, product=ProductFactory(sku="OAK-1", name="Oak spade"))
    StockItemFactory(store=store, product=ProductFactory(sku="RK-2", name="Steel rake"))

    page = dashboard_service.list_store_stock(session, store.id, search, 20, None)

    names = [line.product.name for line in page.items]
    assert names == (expected or ["Oak spade", "Steel rake"])


def test_stock_search_treats_like_wildcards_as_plain_text(session: Session) -> None:
    store = StoreFactory()
    StockItemFactory(store=store, product=ProductFactory(name="Ten percent"))

    page = dashboard_service.list_store_stock(session, store.id, "100%_off", 20, None)

    assert page.items == []


def test_stock_search_is_paginated(session: Session) -> None:
    store = StoreFactory()
    for number in range(3):
        StockItemFactory(store=store, product=ProductFactory(name=f"Lamp {number}"))

    first = dashboard_service.list_store_stock(session, store.id, "lamp", 2, None)
    second = dashboard_service.list_store_stock(session, store.id, "lamp", 2, first.next_cursor)

    assert [line.product.name for line in first.items + second.items] == [
        "Lamp 0",
        "Lamp 1",
        "Lamp 2",
    ]
    assert second.next_cursor is None


def test_stock_search_of_an_unknown_store_is_not_found(session: Session) -> None:
    with pytest.raises(NotFoundError):
        dashboard_service.list_store_stock(session, 999, "lamp", 20, None)


def test_stock_search_refuses_an_unreadable_cursor(session: Session) -> None:
    store = StoreFactory()

    with pytest.raises(BadRequestError):
        dashboard_service.list_store_stock(session, store.id, "lamp", 20, "garbage")


def test_a_store_page_shows_candidates_only_to_an_admin(
    session: Session, admin: User, manager: User
) -> None:
    store = StoreFactory(managers=[manager])
    other = UserFactory()

    as_admin = dashboard_service.get_store_page(session, admin, store.id, None, None)
    as_manager = dashboard_service.get_store_page(session, manager, store.id, None, None)

    assert {user.id for user in as_admin.manager_candidates} == {admin.id, other.id}
    assert as_manager.manager_candidates == []
    assert as_manager.can_edit is True


def test_a_manager_cannot_edit_a_store_they_do_not_manage(session: Session, manager: User) -> None:
    store = StoreFactory()

    assert dashboard_service.can_edit_store(session, manager, store.id) is False
    with pytest.raises(PermissionDeniedError):
        dashboard_service.get_editable_store(session, manager, store.id)


def test_adding_stock_by_sku_stocks_the_product(session: Session, manager: User) -> None:
    store = StoreFactory(managers=[manager])
    ProductFactory(sku="OAK-1")

    line = dashboard_service.add_stock_by_sku(session, manager, store.id, " OAK-1 ", 4)

    assert (line.product.sku, line.quantity) == ("OAK-1", 4)


def test_adding_stock_by_an_unknown_sku_names_the_sku_field(
    session: Session, manager: User
) -> None:
    store = StoreFactory(managers=[manager])

    with pytest.raises(ValidationError) as raised:
        dashboard_service.add_stock_by_sku(session, manager, store.id, "NOPE", 1)

    assert raised.value.errors == {"sku": ["No product has this SKU."]}


def test_adding_stock_twice_is_a_conflict(session: Session, manager: User) -> None:
    store = StoreFactory(managers=[manager])
    StockItemFactory(store=store, product=ProductFactory(sku="OAK-1"))

    with pytest.raises(ConflictError):
        dashboard_service.add_stock_by_sku(session, manager, store.id, "OAK-1", 1)


def test_dashboard_sign_in_accepts_the_right_password_in_any_email_case(
    session: Session, manager: User
) -> None:
    user = auth_service.sign_in_to_dashboard(session, manager.email.upper(), DEFAULT_PASSWORD)

    assert user.id == manager.id
    assert user.last_login_at is not None


@pytest.mark.parametrize("case", ["wrong password", "unknown email", "deactivated"])
def test_dashboard_sign_in_refuses_bad_credentials_alike(
    session: Session, manager: User, case: str
) -> None:
    email, password = manager.email, DEFAULT_PASSWORD
    if case == "wrong password":
        password = "not it at all"
    elif case == "unknown email":
        email = "nobody@example.com"
    else:
        manager.is_active = False
        session.commit()

    with pytest.raises(AuthenticationError, match=r"The email or password is not correct\."):
        auth_service.sign_in_to_dashboard(session, email, password)


@pytest.mark.parametrize("is_active", [True, False])
def test_a_session_user_is_loaded_only_while_active(
    session: Session, manager: User, is_active: bool
) -> None:
    manager.is_active = is_active
    session.commit()

    loaded = auth_service.get_session_user(session, auth_service.session_key(manager))

    assert (loaded is not None) == is_active


def test_a_new_password_ends_sessions_signed_in_with_the_old_one(
    session: Session, manager: User
) -> None:
    key = auth_service.session_key(manager)
    manager.password_hash = "$argon2id$another"
    session.commit()

    assert auth_service.get_session_user(session, key) is None


@pytest.mark.parametrize("key", ["999.abc", "", "x.y", "1"])
def test_an_unknown_or_unreadable_session_key_loads_nobody(
    session: Session, manager: User, key: str
) -> None:
    assert auth_service.get_session_user(session, key) is None

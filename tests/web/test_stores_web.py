"""The dashboard, a store's page, and the store forms (create, edit, delete, managers)."""

from email.message import EmailMessage

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from app.models.store import Store
from app.models.user import User
from tests.factories import ProductFactory, StockItemFactory, UserFactory

FIELDS = {"name": "Dock", "address": "1 Pier", "city": "Bay", "state": "CA", "zip_code": "9"}


def _outbox(app: Flask) -> list[EmailMessage]:
    messages: list[EmailMessage] = app.extensions["mail"].outbox
    return messages


def test_a_manager_sees_only_their_stores_with_low_stock_counts(
    manager_client: FlaskClient, store: Store, other_store: Store
) -> None:
    StockItemFactory(store=store, quantity=5)
    StockItemFactory(store=store, quantity=6)

    page = manager_client.get("/").get_data(as_text=True)

    assert "Main Street" in page
    assert "Harbour" not in page
    assert "1 low on stock" in page


def test_an_admin_sees_every_store(
    admin_client: FlaskClient, store: Store, other_store: Store
) -> None:
    page = admin_client.get("/").get_data(as_text=True)

    assert "Main Street" in page
    assert "Harbour" in page


def test_a_store_page_lists_its_stock_and_managers(
    manager_client: FlaskClient, store: Store
) -> None:
    StockItemFactory(store=store, product=ProductFactory(name="Oak spade"), quantity=7)

    page = manager_client.get(f"/stores/{store.id}").get_data(as_text=True)

    assert "Oak spade" in page
    assert 'value="7"' in page
    assert "manager@example.com" in page


def test_the_stock_search_narrows_the_list(manager_client: FlaskClient, store: Store) -> None:
    StockItemFactory(store=store, product=ProductFactory(name="Oak spade"))
    StockItemFactory(store=store, product=ProductFactory(name="Steel rake"))

    page = manager_client.get(f"/stores/{store.id}", query_string={"q": "oak"}).get_data(
        as_text=True
    )

    assert "Oak spade" in page
    assert "Steel rake" not in page


def test_the_stock_list_is_paginated(manager_client: FlaskClient, store: Store) -> None:
    for _ in range(26):
        StockItemFactory(store=store)

    first = manager_client.get(f"/stores/{store.id}").get_data(as_text=True)

    assert first.count("data-product=") == 25
    assert "Next page" in first


def test_another_stores_page_has_no_edit_controls_for_a_manager(
    manager_client: FlaskClient, other_store: Store
) -> None:
    StockItemFactory(store=other_store)

    page = manager_client.get(f"/stores/{other_store.id}").get_data(as_text=True)

    assert "data-stock-form" not in page
    assert "Edit store" not in page


def test_a_manager_edits_their_own_store(manager_client: FlaskClient, store: Store) -> None:
    response = manager_client.post(f"/stores/{store.id}/edit", data={**FIELDS, "name": "New"})

    assert response.status_code == 302
    assert "New" in manager_client.get(f"/stores/{store.id}").get_data(as_text=True)


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_manager_gets_403_on_another_stores_edit_page(
    manager_client: FlaskClient, other_store: Store, method: str
) -> None:
    response = manager_client.open(f"/stores/{other_store.id}/edit", method=method, data=FIELDS)

    assert response.status_code == 403
    assert response.mimetype == "text/html"
    assert "You may not do that" in response.get_data(as_text=True)


def test_an_unknown_store_is_a_404_page_with_the_request_id(admin_client: FlaskClient) -> None:
    response = admin_client.get("/stores/999", headers={"X-Request-ID": "req-404"})

    page = response.get_data(as_text=True)
    assert response.status_code == 404
    assert "We could not find that page" in page
    assert "req-404" in page


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "", "Fill this in."),
        ("city", "x" * 101, "Give between 1 and 100 characters."),
        ("zip_code", "   ", "Fill this in."),
    ],
)
def test_a_store_form_with_an_error_shows_it_by_the_field_and_keeps_what_was_typed(
    admin_client: FlaskClient, field: str, value: str, message: str
) -> None:
    response = admin_client.post("/stores/new", data={**FIELDS, field: value})

    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert f'id="{field}-errors"' in page
    assert message in page
    assert 'value="1 Pier"' in page


def test_an_admin_creates_a_store(admin_client: FlaskClient) -> None:
    response = admin_client.post("/stores/new", data=FIELDS)

    assert response.status_code == 302
    assert "Dock" in admin_client.get(response.headers["Location"]).get_data(as_text=True)


def test_a_manager_may_not_create_a_store(manager_client: FlaskClient) -> None:
    assert manager_client.get("/stores/new").status_code == 403


def test_an_admin_deletes_a_store(admin_client: FlaskClient, other_store: Store) -> None:
    response = admin_client.post(f"/stores/{other_store.id}/delete")

    assert response.status_code == 302
    assert admin_client.get(f"/stores/{other_store.id}").status_code == 404


def test_assigning_a_manager_emails_them(
    admin_client: FlaskClient, app: Flask, other_store: Store
) -> None:
    user = UserFactory(email="new.manager@example.com", roles=["manager"])

    response = admin_client.post(f"/stores/{other_store.id}/managers", data={"user_id": user.id})

    assert response.status_code == 302
    assert ["new.manager@example.com" in message["To"] for message in _outbox(app)] == [True]
    assert "new.manager@example.com" in admin_client.get(response.headers["Location"]).get_data(
        as_text=True
    )


def test_assigning_a_manager_twice_says_so(
    admin_client: FlaskClient, store: Store, manager: User
) -> None:
    admin_client.post(f"/stores/{store.id}/managers", data={"user_id": manager.id})

    page = admin_client.get(f"/stores/{store.id}").get_data(as_text=True)

    assert "is already a manager" in page


def test_unassigning_a_manager_emails_them(
    admin_client: FlaskClient, app: Flask, store: Store, manager: User
) -> None:
    response = admin_client.post(f"/stores/{store.id}/managers/{manager.id}/delete")

    assert response.status_code == 302
    assert [manager.email in message["To"] for message in _outbox(app)] == [True]


def test_a_manager_may_not_assign_managers(
    manager_client: FlaskClient, store: Store, session: Session
) -> None:
    user = UserFactory()

    response = manager_client.post(f"/stores/{store.id}/managers", data={"user_id": user.id})

    assert response.status_code == 403


def test_a_form_holding_the_nul_character_is_refused_and_nothing_changes(
    manager_client: FlaskClient, store: Store, session: Session
) -> None:
    name_before = store.name

    response = manager_client.post(
        f"/stores/{store.id}/edit",
        data={
            "name": "Bad\x00name",
            "address": store.address,
            "city": store.city,
            "state": store.state,
            "zip_code": store.zip_code,
        },
    )

    assert response.status_code == 400
    assert "Text may not contain the NUL character." in response.get_data(as_text=True)
    session.expire_all()
    assert session.get(Store, store.id).name == name_before


def test_a_query_holding_the_nul_character_is_a_400_page(
    manager_client: FlaskClient, store: Store
) -> None:
    response = manager_client.get(f"/stores/{store.id}?q=spade%00")

    assert response.status_code == 400
    assert response.mimetype == "text/html"

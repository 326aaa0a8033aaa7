"""/api/stores changes: admins create and delete stores; admins and a store's own
managers change it. Bad input is refused with nothing written."""

from collections.abc import Callable
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from app.models.stock_item import StockItem
from app.models.store import Store
from app.models.store_manager import StoreManager
from tests.api.store_helpers import STORE, assert_problem, count_rows
from tests.factories import StockItemFactory, UserFactory

Headers = dict[str, str]


def _name(client: FlaskClient, headers: Headers, store: Store) -> str:
    name: str = client.get(f"/api/stores/{store.id}", headers=headers).get_json()["data"]["name"]
    return name


def test_an_admin_creates_a_store(client: FlaskClient, admin_headers: Headers) -> None:
    response = client.post("/api/stores", headers=admin_headers, json=STORE)

    assert response.status_code == 201
    data = response.get_json()["data"]
    assert {key: data[key] for key in STORE} == STORE
    assert response.headers["Location"] == f"/api/stores/{data['id']}"
    assert client.get(response.headers["Location"], headers=admin_headers).status_code == 200


def test_a_manager_cannot_create_a_store(
    client: FlaskClient, session: Session, manager_headers: Headers
) -> None:
    response = client.post("/api/stores", headers=manager_headers, json=STORE)

    assert_problem(response, 403, kind="forbidden")
    assert count_rows(session, Store) == 0


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({}, set(STORE)),
        ({**STORE, "zip_code": None}, {"zip_code"}),
        ({**STORE, "name": "   "}, {"name"}),
        ({**STORE, "city": "x" * 101}, {"city"}),
        ({**STORE, "state": 7}, {"state"}),
        ({**STORE, "id": 5}, {"id"}),
        ({**STORE, "version": 9}, {"version"}),
    ],
)
def test_an_invalid_store_is_a_422_and_nothing_is_written(
    client: FlaskClient,
    session: Session,
    admin_headers: Headers,
    body: dict[str, Any],
    fields: set[str],
) -> None:
    response = client.post("/api/stores", headers=admin_headers, json=body)

    assert_problem(response, 422, fields)
    assert count_rows(session, Store) == 0


def test_a_malformed_json_body_is_a_400(client: FlaskClient, admin_headers: Headers) -> None:
    response = client.post(
        "/api/stores",
        headers={**admin_headers, "Content-Type": "application/json"},
        data='{"name": ',
    )

    assert_problem(response, 400)


def test_a_body_that_is_not_json_is_a_415(client: FlaskClient, admin_headers: Headers) -> None:
    response = client.post("/api/stores", headers=admin_headers, data=STORE)

    assert_problem(response, 415)


def test_an_admin_changes_any_store(
    client: FlaskClient, admin_headers: Headers, store: Store
) -> None:
    response = client.patch(
        f"/api/stores/{store.id}", headers=admin_headers, json={"city": "Shelbyville"}
    )

    assert response.status_code == 200
    assert response.get_json()["data"]["city"] == "Shelbyville"
    assert response.get_json()["data"]["name"] == "Mine"
    assert response.headers["ETag"] == '"2"'


def test_a_manager_changes_their_own_store(
    client: FlaskClient, manager_headers: Headers, store: Store
) -> None:
    response = client.patch(
        f"/api/stores/{store.id}", headers=manager_headers, json={"name": "Still mine"}
    )

    assert response.status_code == 200
    assert response.get_json()["data"]["name"] == "Still mine"


@pytest.mark.parametrize("caller", ["manager", "plain user"])
def test_only_an_admin_or_its_own_manager_changes_a_store(
    client: FlaskClient,
    manager_headers: Headers,
    auth_headers_for: Callable[..., Headers],
    other_store: Store,
    caller: str,
) -> None:
    headers = manager_headers if caller == "manager" else auth_headers_for(UserFactory())

    response = client.patch(
        f"/api/stores/{other_store.id}", headers=headers, json={"name": "Stolen"}
    )

    assert_problem(response, 403, kind="forbidden")
    assert _name(client, manager_headers, other_store) == "Theirs"


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({"name": None}, {"name"}),
        ({"name": ""}, {"name"}),
        ({"zip_code": "1" * 21}, {"zip_code"}),
        ({"name": "Sneaky", "manager_ids": [1]}, {"manager_ids"}),
    ],
)
def test_an_invalid_change_is_a_422_and_nothing_is_written(
    client: FlaskClient,
    admin_headers: Headers,
    store: Store,
    body: dict[str, Any],
    fields: set[str],
) -> None:
    response = client.patch(f"/api/stores/{store.id}", headers=admin_headers, json=body)

    assert_problem(response, 422, fields)
    assert _name(client, admin_headers, store) == "Mine"


def test_a_change_with_a_stale_if_match_is_a_412(
    client: FlaskClient, session: Session, admin_headers: Headers, store: Store
) -> None:
    url = f"/api/stores/{store.id}"
    client.patch(url, headers=admin_headers, json={"name": "Second"})

    response = client.patch(
        url, headers={**admin_headers, "If-Match": '"1"'}, json={"name": "Third"}
    )

    assert_problem(response, 412, kind="precondition-failed")
    session.expire_all()
    assert session.get(Store, store.id).name == "Second"


def test_a_change_with_the_current_if_match_succeeds(
    client: FlaskClient, admin_headers: Headers, store: Store
) -> None:
    response = client.patch(
        f"/api/stores/{store.id}",
        headers={**admin_headers, "If-Match": '"1"'},
        json={"name": "Second"},
    )

    assert response.status_code == 200


def test_an_admin_deletes_a_store_with_its_managers_and_stock(
    client: FlaskClient, session: Session, admin_headers: Headers, store: Store
) -> None:
    StockItemFactory(store=store)
    StockItemFactory(store=store)
    kept = StockItemFactory()

    response = client.delete(f"/api/stores/{store.id}", headers=admin_headers)

    assert response.status_code == 204
    assert response.data == b""
    assert count_rows(session, Store) == 1  # the store of `kept`
    assert count_rows(session, StoreManager) == 0
    assert count_rows(session, StockItem) == 1
    assert session.get(StockItem, kept.id) is not None


def test_a_manager_cannot_delete_their_store(
    client: FlaskClient, session: Session, manager_headers: Headers, store: Store
) -> None:
    response = client.delete(f"/api/stores/{store.id}", headers=manager_headers)

    assert_problem(response, 403, kind="forbidden")
    assert count_rows(session, Store) == 1


def test_a_delete_with_a_stale_if_match_is_a_412(
    client: FlaskClient, session: Session, admin_headers: Headers, store: Store
) -> None:
    response = client.delete(
        f"/api/stores/{store.id}", headers={**admin_headers, "If-Match": '"5"'}
    )

    assert_problem(response, 412)
    assert count_rows(session, Store) == 1


def test_a_retried_create_with_the_same_idempotency_key_makes_one_store(
    client: FlaskClient, session: Session, admin_headers: Headers
) -> None:
    headers = {**admin_headers, "Idempotency-Key": "create-downtown-1"}
    first = client.post("/api/stores", headers=headers, json=STORE)

    retry = client.post("/api/stores", headers=headers, json=STORE)

    assert retry.status_code == 201
    assert retry.headers["Idempotent-Replayed"] == "true"
    assert retry.headers["Location"] == first.headers["Location"]
    assert count_rows(session, Store) == 1

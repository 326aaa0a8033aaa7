"""/api/stores/<id>/stock changes: an admin or the store's managers set, adjust
(atomically, never below zero) and remove stock; deleting a product or store removes it."""

from collections.abc import Callable
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models.product import Product
from app.models.stock_item import StockItem
from tests.api.store_helpers import StoreStock, assert_problem
from tests.factories import ProductFactory, StockItemFactory, StoreFactory

Headers = dict[str, str]


@pytest.mark.parametrize(
    "case", [("PUT", None), ("PATCH", {"delta": 1}), ("DELETE", None)], ids=str
)
def test_a_manager_of_another_store_cannot_change_its_stock(
    client: FlaskClient,
    auth_headers_for: Callable[..., Headers],
    other_manager,
    stock: StoreStock,
    case: tuple[str, dict[str, int] | None],
) -> None:
    method, body = case
    StoreFactory(managers=[other_manager])
    product_id = ProductFactory().id if method == "PUT" else stock.add(10)

    response = client.open(
        stock.url(product_id), method=method, headers=auth_headers_for(other_manager), json=body
    )

    assert_problem(response, 403, kind="forbidden")
    assert stock.quantity(product_id) == (None if method == "PUT" else 10)


@pytest.mark.parametrize("case", [(10, 5, 15), (10, -3, 7), (10, -10, 0), (0, 0, 0)], ids=str)
def test_a_delta_adjusts_the_quantity(
    client: FlaskClient, manager_headers: Headers, stock: StoreStock, case: tuple[int, int, int]
) -> None:
    start, delta, result = case
    product_id = stock.add(start)

    response = client.patch(stock.url(product_id), headers=manager_headers, json={"delta": delta})

    assert response.status_code == 200
    assert response.get_json()["data"]["quantity"] == result
    assert response.headers["ETag"] == '"2"'
    assert stock.quantity(product_id) == result


@pytest.mark.parametrize("case", [(10, -11), (0, -1), (1, -1_000_000_000)], ids=str)
def test_a_delta_below_zero_is_a_409_and_the_quantity_stays(
    client: FlaskClient, manager_headers: Headers, stock: StoreStock, case: tuple[int, int]
) -> None:
    start, delta = case
    product_id = stock.add(start)

    response = client.patch(stock.url(product_id), headers=manager_headers, json={"delta": delta})

    body = assert_problem(response, 409, kind="conflict")
    assert "below zero" in body["detail"]
    assert stock.quantity(product_id) == start


def test_successive_deltas_add_up_and_stop_at_zero(
    client: FlaskClient, manager_headers: Headers, stock: StoreStock
) -> None:
    url = stock.url(stock.add(3))

    statuses = [
        client.patch(url, headers=manager_headers, json={"delta": -1}).status_code for _ in range(5)
    ]

    assert statuses == [200, 200, 200, 409, 409]
    assert client.get(url, headers=manager_headers).get_json()["data"]["quantity"] == 0


def test_a_quantity_sets_the_stock(
    client: FlaskClient, admin_headers: Headers, stock: StoreStock
) -> None:
    product_id = stock.add(10)

    response = client.patch(stock.url(product_id), headers=admin_headers, json={"quantity": 2})

    assert response.get_json()["data"]["quantity"] == 2
    assert stock.quantity(product_id) == 2


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({}, {"body"}),
        ({"quantity": 1, "delta": 1}, {"body"}),
        ({"quantity": None, "delta": None}, {"quantity", "delta"}),
        ({"quantity": 3, "delta": None}, {"delta"}),
        ({"quantity": 3.5}, {"quantity"}),
        ({"quantity": -5}, {"quantity"}),
        ({"delta": "2"}, {"delta"}),
        ({"delta": 1, "note": "restock"}, {"note"}),
    ],
)
def test_an_invalid_stock_change_is_a_422_and_nothing_is_written(
    client: FlaskClient,
    manager_headers: Headers,
    stock: StoreStock,
    body: dict[str, Any],
    fields: set[str],
) -> None:
    product_id = stock.add(10)

    response = client.patch(stock.url(product_id), headers=manager_headers, json=body)

    assert_problem(response, 422, fields)
    assert stock.quantity(product_id) == 10


def test_a_change_without_a_body_is_a_415(
    client: FlaskClient, manager_headers: Headers, stock: StoreStock
) -> None:
    response = client.patch(stock.url(stock.add()), headers=manager_headers)

    assert_problem(response, 415)


@pytest.mark.parametrize("method", ["PATCH", "DELETE"])
def test_changing_a_product_the_store_does_not_stock_is_a_404(
    client: FlaskClient, manager_headers: Headers, stock: StoreStock, product: Product, method: str
) -> None:
    response = client.open(
        stock.url(product.id), method=method, headers=manager_headers, json={"delta": 1}
    )

    body = assert_problem(response, 404, kind="not-found")
    assert "does not stock" in body["detail"]


def test_a_change_with_a_stale_if_match_is_a_412(
    client: FlaskClient, manager_headers: Headers, stock: StoreStock
) -> None:
    product_id = stock.add(10)
    client.patch(stock.url(product_id), headers=manager_headers, json={"delta": 1})

    response = client.patch(
        stock.url(product_id), headers={**manager_headers, "If-Match": '"1"'}, json={"delta": 1}
    )

    assert_problem(response, 412, kind="precondition-failed")
    assert stock.quantity(product_id) == 11


def test_a_manager_removes_a_product_from_their_store(
    client: FlaskClient, session: Session, manager_headers: Headers, stock: StoreStock
) -> None:
    product_id = stock.add()

    response = client.delete(stock.url(product_id), headers=manager_headers)

    assert response.status_code == 204
    assert response.data == b""
    assert stock.quantity(product_id) is None
    assert session.get(Product, product_id) is not None


def test_a_removal_with_a_stale_if_match_is_a_412(
    client: FlaskClient, admin_headers: Headers, stock: StoreStock
) -> None:
    product_id = stock.add(10)

    response = client.delete(stock.url(product_id), headers={**admin_headers, "If-Match": '"3"'})

    assert_problem(response, 412)
    assert stock.quantity(product_id) == 10


def test_deleting_a_product_removes_its_stock_in_every_store(
    client: FlaskClient, session: Session, admin_headers: Headers, stock: StoreStock, product
) -> None:
    StockItemFactory(store=stock.store, product=product)
    StockItemFactory(store=StoreFactory(), product=product)
    kept = StockItemFactory(store=stock.store)

    response = client.delete(f"/api/products/{product.id}", headers=admin_headers)

    assert response.status_code == 204
    session.expire_all()
    assert session.scalars(select(StockItem.id)).all() == [kept.id]


def test_deleting_a_store_removes_its_stock_rows(
    client: FlaskClient, session: Session, admin_headers: Headers, stock: StoreStock
) -> None:
    stock.add()
    kept = StockItemFactory()

    client.delete(f"/api/stores/{stock.store_id}", headers=admin_headers)

    session.expire_all()
    assert session.scalars(select(StockItem.id)).all() == [kept.id]

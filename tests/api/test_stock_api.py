"""/api/stores/<id>/stock reads and additions: anyone signed in reads a store's stock;
an admin or the store's managers add a product to it."""

from collections.abc import Callable
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from app.models.product import Product
from app.models.stock_item import StockItem
from tests.api.store_helpers import StoreStock, assert_problem, count_rows
from tests.factories import ProductFactory, StockItemFactory, StoreFactory
from tests.pages import assert_pages_cost_alike, walk_pages

Headers = dict[str, str]
SPADE = {"sku": "SPADE-1", "name": "Spade", "price": "12.50"}


def test_anyone_signed_in_lists_a_stores_stock_with_each_product(
    client: FlaskClient, other_manager, stock: StoreStock, product: Product, auth_headers_for
) -> None:
    StockItemFactory(store=stock.store, product=product, quantity=4)

    response = client.get(
        f"/api/stores/{stock.store_id}/stock", headers=auth_headers_for(other_manager)
    )

    assert response.status_code == 200
    assert response.get_json() == {
        "data": [{"product": {"id": product.id, **SPADE}, "quantity": 4}],
        "links": {"next": None},
    }


def test_following_links_next_visits_every_stocked_product_once(
    client: FlaskClient, manager_headers: Headers, stock: StoreStock
) -> None:
    product_ids = [stock.add(quantity) for quantity in range(5)]
    StockItemFactory()
    url = f"/api/stores/{stock.store_id}/stock?limit=2"

    seen = [item["product"]["id"] for item in walk_pages(client, url, manager_headers)]

    assert seen == product_ids


@pytest.mark.parametrize("limit", [1, 20, 100])
def test_a_stock_list_costs_the_same_few_queries_at_any_size_and_depth(
    client: FlaskClient,
    manager_headers: Headers,
    stock: StoreStock,
    count_queries: Callable[..., Any],
    limit: int,
) -> None:
    for _ in range(2 * limit + 1):
        stock.add()
    url = f"/api/stores/{stock.store_id}/stock?limit={limit}"

    assert_pages_cost_alike(client, url, manager_headers, count_queries, limit)


@pytest.mark.parametrize(
    ("query", "status"), [("limit=0", 422), ("limit=101", 422), ("cursor=x", 400), ("q=a", 422)]
)
def test_an_invalid_stock_list_query_is_refused(
    client: FlaskClient, manager_headers: Headers, stock: StoreStock, query: str, status: int
) -> None:
    response = client.get(f"/api/stores/{stock.store_id}/stock?{query}", headers=manager_headers)

    assert_problem(response, status)


def test_the_stock_of_an_unknown_store_is_a_404(
    client: FlaskClient, manager_headers: Headers
) -> None:
    assert_problem(client.get("/api/stores/999/stock", headers=manager_headers), 404)


def test_an_empty_store_lists_no_stock(
    client: FlaskClient, manager_headers: Headers, stock: StoreStock
) -> None:
    response = client.get(f"/api/stores/{stock.store_id}/stock", headers=manager_headers)

    assert response.get_json() == {"data": [], "links": {"next": None}}


def test_one_stocked_product_is_readable_with_its_etag(
    client: FlaskClient, manager_headers: Headers, stock: StoreStock
) -> None:
    response = client.get(stock.url(stock.add(3)), headers=manager_headers)

    assert response.get_json()["data"]["quantity"] == 3
    assert response.headers["ETag"] == '"1"'


@pytest.mark.parametrize(("tag", "status"), [('"1"', 304), ('W/"1"', 304), ('"2"', 200)])
def test_a_stock_item_the_client_already_has_is_not_modified(
    client: FlaskClient, manager_headers: Headers, stock: StoreStock, tag: str, status: int
) -> None:
    url = stock.url(stock.add(3))

    response = client.get(url, headers={**manager_headers, "If-None-Match": tag})

    assert response.status_code == status
    assert response.headers["ETag"] == '"1"'
    assert (response.get_data() == b"") is (status == 304)


def test_a_product_the_store_does_not_stock_is_a_404(
    client: FlaskClient, manager_headers: Headers, stock: StoreStock, product: Product
) -> None:
    assert_problem(client.get(stock.url(product.id), headers=manager_headers), 404)


@pytest.mark.parametrize(
    "case",
    [
        ({}, 0),
        ({"json": {}}, 0),
        ({"data": "", "content_type": "application/json"}, 0),
        ({"json": {"quantity": 7}}, 7),
    ],
    ids=["no body", "empty object", "empty json body", "a quantity"],
)
def test_a_manager_adds_a_product_to_their_store(
    client: FlaskClient,
    manager_headers: Headers,
    stock: StoreStock,
    product: Product,
    case: tuple[dict[str, Any], int],
) -> None:
    request_options, quantity = case

    response = client.put(stock.url(product.id), headers=manager_headers, **request_options)

    assert response.status_code == 201, response.get_json()
    assert response.get_json()["data"] == {
        "product": {"id": product.id, **SPADE},
        "quantity": quantity,
    }
    assert response.headers["Location"] == stock.url(product.id)
    assert stock.quantity(product.id) == quantity


def test_an_admin_adds_a_product_to_any_store(
    client: FlaskClient, admin_headers: Headers, product: Product
) -> None:
    other = StoreFactory()

    response = client.put(f"/api/stores/{other.id}/stock/{product.id}", headers=admin_headers)

    assert response.status_code == 201


def test_adding_a_product_twice_is_a_409(
    client: FlaskClient, manager_headers: Headers, stock: StoreStock
) -> None:
    product_id = stock.add(4)

    response = client.put(stock.url(product_id), headers=manager_headers, json={"quantity": 9})

    assert_problem(response, 409, kind="conflict")
    assert stock.quantity(product_id) == 4


def test_adding_an_unknown_product_is_a_404(
    client: FlaskClient, session: Session, manager_headers: Headers, stock: StoreStock
) -> None:
    response = client.put(stock.url(999), headers=manager_headers)

    assert_problem(response, 404, kind="not-found")
    assert count_rows(session, StockItem) == 0


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({"quantity": -1}, {"quantity"}),
        ({"quantity": "5"}, {"quantity"}),
        ({"quantity": 1.5}, {"quantity"}),
        ({"quantity": 1_000_000_001}, {"quantity"}),
        ({"quantity": 1, "price": 3}, {"price"}),
    ],
)
def test_an_invalid_stock_addition_is_a_422_and_nothing_is_written(
    client: FlaskClient,
    manager_headers: Headers,
    stock: StoreStock,
    body: dict[str, Any],
    fields: set[str],
) -> None:
    product_id = ProductFactory().id

    response = client.put(stock.url(product_id), headers=manager_headers, json=body)

    assert_problem(response, 422, fields)
    assert stock.quantity(product_id) is None


def test_a_stock_body_that_is_not_json_is_a_415(
    client: FlaskClient, manager_headers: Headers, stock: StoreStock, product: Product
) -> None:
    response = client.put(stock.url(product.id), headers=manager_headers, data={"quantity": "1"})

    assert_problem(response, 415)
    assert stock.quantity(product.id) is None


def test_a_malformed_stock_body_is_a_400(
    client: FlaskClient, manager_headers: Headers, stock: StoreStock, product: Product
) -> None:
    response = client.put(
        stock.url(product.id),
        headers=manager_headers,
        data='{"quantity": ',
        content_type="application/json",
    )

    assert_problem(response, 400)

"""GET /api/products: ranked full-text search, filters, sorts, keyset pages, query counts."""

import itertools
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import insert

from app.extensions import db
from app.models.category import Category
from app.models.product import Product
from app.models.product_category import product_categories
from tests.api.problems import Headers, assert_problem
from tests.factories import CategoryFactory, ProductFactory
from tests.pages import assert_pages_cost_alike, walk_pages


def skus(client: FlaskClient, headers: Headers, query: str) -> list[str]:
    response = client.get(f"/api/products?{query}", headers=headers)
    assert response.status_code == 200, response.get_json()
    return [item["sku"] for item in response.get_json()["data"]]


def test_search_ranks_the_best_match_first(client: FlaskClient, manager_headers: Headers) -> None:
    ProductFactory(sku="B", name="Bucket", description="Carries a shovel")
    ProductFactory(sku="S", name="Shovel", description="Steel")
    ProductFactory(sku="R", name="Rake", description="Steel")

    assert skus(client, manager_headers, "q=shovel") == ["S", "B"]


def test_search_follows_a_change_made_through_the_api(
    client: FlaskClient, admin_headers: Headers
) -> None:
    product = ProductFactory(sku="P", name="Bucket")

    client.patch(f"/api/products/{product.id}", json={"name": "Pail"}, headers=admin_headers)

    assert skus(client, admin_headers, "q=bucket") == []
    assert skus(client, admin_headers, "q=pail") == ["P"]


def test_search_forgets_a_product_deleted_through_the_api(
    client: FlaskClient, admin_headers: Headers
) -> None:
    product = ProductFactory(sku="P", name="Bucket")

    client.delete(f"/api/products/{product.id}", headers=admin_headers)

    assert skus(client, admin_headers, "q=bucket") == []


def test_search_combines_with_the_category_and_price_filters(
    client: FlaskClient, manager_headers: Headers
) -> None:
    garden = CategoryFactory()
    ProductFactory(sku="A", name="Steel spade", price=Decimal("20"), categories=[garden])
    ProductFactory(sku="B", name="Steel spade", price=Decimal("5"), categories=[garden])
    ProductFactory(sku="C", name="Steel spade", price=Decimal("20"))
    ProductFactory(sku="D", name="Plastic spade", price=Decimal("20"), categories=[garden])

    query = f"q=steel&category={garden.id}&min_price=10&max_price=20.00"

    assert skus(client, manager_headers, query) == ["A"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("sort=price", ["C", "A", "B"]),
        ("sort=-price", ["B", "A", "C"]),
        ("sort=sku", ["A", "B", "C"]),
        ("sort=-name", ["A", "C", "B"]),
        ("", ["B", "C", "A"]),
    ],
)
def test_the_list_is_sorted_as_asked(
    client: FlaskClient, manager_headers: Headers, query: str, expected: list[str]
) -> None:
    ProductFactory(sku="A", name="Cart", price=Decimal("5.00"))
    ProductFactory(sku="B", name="Axe", price=Decimal("9.99"))
    ProductFactory(sku="C", name="Broom", price=Decimal("0.50"))

    assert skus(client, manager_headers, query) == expected


@pytest.mark.parametrize("query", ["sort=price", "sort=-created_at", "q=steel", "min_price=1"])
def test_following_next_links_yields_every_product_exactly_once(
    client: FlaskClient, manager_headers: Headers, query: str
) -> None:
    created = {
        ProductFactory(name=f"Steel tool {index % 3}", price=Decimal(index % 4 + 1)).id
        for index in range(11)
    }
    url = f"/api/products?limit=3&{query}"

    seen = [item["id"] for item in walk_pages(client, url, manager_headers)]

    assert sorted(seen) == sorted(created)
    assert len(seen) == 11


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("limit=0", "limit"),
        ("limit=101", "limit"),
        ("limit=-1", "limit"),
        ("sort=colour", "sort"),
        ("sort=description", "sort"),
        ("min_price=-1", "min_price"),
        ("max_price=1.001", "max_price"),
        ("min_price=10&max_price=5", "max_price"),
        ("category=abc", "category"),
        ("q=", "q"),
        ("q=%21%21%21", "q"),
    ],
)
def test_a_bad_list_query_is_a_422_never_clamped(
    client: FlaskClient, manager_headers: Headers, query: str, field: str
) -> None:
    response = client.get(f"/api/products?{query}", headers=manager_headers)

    assert_problem(response, 422, {field})


@pytest.mark.parametrize(
    "cursor",
    [
        "garbage!",
        "WyJuYW1lIiwiYSIsMV0",  # ["name","a",1]: made for another sort than price
        "WyJwcmljZSIsImFiYyIsMV0",  # ["price","abc",1]: not a price
    ],
)
def test_an_unreadable_cursor_is_a_400(
    client: FlaskClient, manager_headers: Headers, cursor: str
) -> None:
    response = client.get(f"/api/products?sort=price&cursor={cursor}", headers=manager_headers)

    body = assert_problem(response, 400)
    assert body["type"] == "urn:stockroom:problem:bad-request"


def _many_products(count: int) -> None:
    """Insert `count` products, each in two categories, in a few statements."""
    session = db.session()
    categories = [Category(name=f"Group {index}") for index in range(2)]
    session.add_all(categories)
    session.flush()
    products = [
        Product(sku=f"BULK-{index:04d}", name=f"Steel item {index}", price=Decimal(index % 9))
        for index in range(count)
    ]
    session.add_all(products)
    session.flush()
    links = [
        {"product_id": product.id, "category_id": category.id}
        for product in products
        for category in categories
    ]
    session.execute(insert(product_categories), links)
    session.commit()


@pytest.mark.parametrize(
    ("limit", "query"),
    list(itertools.product([1, 20, 100], ["", "sort=-price&category=1", "q=steel"])),
)
def test_a_list_page_costs_at_most_three_queries_whatever_its_size_or_depth(
    client: FlaskClient,
    manager_headers: Headers,
    count_queries: Callable[..., Any],
    limit: int,
    query: str,
) -> None:
    _many_products(2 * limit + 1)
    url = f"/api/products?limit={limit}&{query}"

    page = assert_pages_cost_alike(client, url, manager_headers, count_queries, limit)

    assert all(len(item["categories"]) == 2 for item in page)

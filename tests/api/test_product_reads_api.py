"""GET /api/products[/<id>] answer from rows: same JSON as the ORM path, in fewer queries."""

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from app.services.product_listing import ProductListing
from tests.api.problems import Headers, assert_problem
from tests.factories import CategoryFactory, ProductFactory
from tests.product_reads import orm_json, orm_pages, view_pages


@pytest.fixture
def catalog() -> None:
    """Nine products, a third of them steel spades (the search word), none to two categories."""
    garden, tools = CategoryFactory(name="Garden"), CategoryFactory(name="Tools")
    for number in range(9):
        ProductFactory(
            name=f"Spade {number}" if number % 3 == 0 else f"Rake {number}",
            description="Steel spade" if number % 2 else None,
            price=Decimal(number) * Decimal("2.50"),
            categories=[tools, garden][: number % 3],
        )


def test_a_product_is_read_in_one_query_after_the_token(
    client: FlaskClient, session: Session, manager_headers: Headers, count_queries: Any
) -> None:
    product = ProductFactory(categories=[CategoryFactory(), CategoryFactory()])
    client.get(f"/api/products/{product.id}", headers=manager_headers)

    with count_queries() as counter:
        response = client.get(f"/api/products/{product.id}", headers=manager_headers)

    assert response.status_code == 200
    assert response.get_json() == {"data": orm_json(session, product.id)}
    assert response.headers["ETag"] == f'"{product.version}"'
    assert counter.count == 2, counter.statements


def test_an_unknown_product_is_the_same_404_problem(
    client: FlaskClient, manager_headers: Headers
) -> None:
    response = client.get("/api/products/424242", headers=manager_headers)

    assert_problem(response, 404)
    assert response.get_json()["detail"] == "No product with id 424242."


@pytest.mark.usefixtures("catalog")
def test_a_list_page_is_read_in_one_query_after_the_token(
    client: FlaskClient, manager_headers: Headers, count_queries: Callable[..., Any]
) -> None:
    client.get("/api/products?limit=4", headers=manager_headers)

    with count_queries() as counter:
        response = client.get("/api/products?limit=4", headers=manager_headers)

    assert len(response.get_json()["data"]) == 4
    assert counter.count == 2, counter.statements


@pytest.mark.usefixtures("catalog")
def test_a_list_page_answers_the_orm_paths_json(
    client: FlaskClient, session: Session, manager_headers: Headers
) -> None:
    response = client.get("/api/products?limit=4&sort=-price", headers=manager_headers)

    [(items, cursor)] = orm_pages(session, ProductListing(limit=4, sort="-price"))[:1]
    assert response.get_json()["data"] == items
    assert f"cursor={cursor}" in response.get_json()["links"]["next"]


@pytest.mark.usefixtures("catalog")
@pytest.mark.parametrize(
    "listing",
    [
        ProductListing(q="spade", limit=2),
        ProductListing(q="steel spade", limit=1),
        ProductListing(q="spade", sort="-price", limit=2),
        ProductListing(q="spade", category=1, limit=1),
        ProductListing(q="spade", min_price=Decimal("5"), max_price=Decimal("15"), limit=1),
        ProductListing(q="nothing"),
    ],
    ids=["rank", "two-words", "by-price", "category", "price-range", "no-match"],
)
def test_search_pages_match_the_orm_listing(session: Session, listing: ProductListing) -> None:
    assert view_pages(session, listing) == orm_pages(session, listing)

"""Row-based product reads on PostgreSQL: the same JSON, pages and cursors as the ORM path."""

from decimal import Decimal

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import text
from sqlalchemy.orm import Session

from app.extensions import db
from app.models.user import User
from app.services import auth_service, product_view
from app.services.product_listing import ProductListing
from tests.factories import CategoryFactory, ProductFactory
from tests.product_reads import orm_json, orm_pages, view_pages

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("factories")]


@pytest.fixture
def session(pg_app: Flask) -> Session:
    """The PostgreSQL app's session; `factories` (tests/conftest.py) binds to it."""
    return db.session()


@pytest.fixture
def catalog(factories: None) -> None:
    """Nine products, some shovels (the search word), none to two categories."""
    garden, tools = CategoryFactory(name="Garden"), CategoryFactory(name="Tools")
    for number in range(9):
        ProductFactory(
            name=f"Shovel {number}" if number % 3 == 0 else f"Rake {number}",
            description="Steel shovel head" if number % 2 else None,
            price=Decimal(number) * Decimal("2.50"),
            categories=[tools, garden][: number % 3],
        )


@pytest.mark.parametrize(
    "price", [Decimal("0.00"), Decimal("99999.99"), Decimal("12.5")], ids=["zero", "max", "half"]
)
def test_a_product_reads_exactly_as_product_out_shows_it(session: Session, price: Decimal) -> None:
    categories = [CategoryFactory(name="B"), CategoryFactory(name="A")]
    product = ProductFactory(price=price, description=None, categories=categories[::-1])

    view = product_view.read_product(session, product.id)

    assert view.data == orm_json(session, product.id)
    assert view.version == product.version


@pytest.mark.usefixtures("catalog")
@pytest.mark.parametrize(
    "listing",
    [
        ProductListing(limit=2),
        ProductListing(sort="-created_at", limit=4),
        ProductListing(sort="price", category=1, limit=1),
        ProductListing(sort="-name", min_price=Decimal("5"), max_price=Decimal("15"), limit=1),
        ProductListing(q="shovel", limit=2),
        ProductListing(q="steel shovel", limit=1),
        ProductListing(q="steel shovel", sort="-price", limit=1),
        ProductListing(q="shovel", min_price=Decimal("5"), limit=1),
    ],
    ids=[
        "name",
        "newest",
        "category",
        "price-range",
        "rank",
        "rank-two-words",
        "search-by-price",
        "rank-priced",
    ],
)
def test_pages_and_cursors_match_the_orm_listing(session: Session, listing: ProductListing) -> None:
    assert view_pages(session, listing) == orm_pages(session, listing)


def test_the_api_answers_a_product_as_the_orm_path_shows_it(
    pg_app: Flask, session: Session, admin: User
) -> None:
    product = ProductFactory(categories=[CategoryFactory()])
    pair = auth_service.issue_tokens(session, admin, auth_service.TokenLifetimes())
    client: FlaskClient = pg_app.test_client()
    headers = {"Authorization": f"Bearer {pair.access_token}"}

    response = client.get(f"/api/products/{product.id}", headers=headers)

    assert response.status_code == 200
    assert response.get_json() == {"data": orm_json(session, product.id)}


def test_timestamps_read_in_another_time_zone_are_still_shown_in_utc(session: Session) -> None:
    product = ProductFactory(categories=[])
    session.execute(text("SET TIME ZONE 'America/New_York'"))

    data = product_view.read_product(session, product.id).data

    assert data["created_at"].endswith("Z")
    assert data == orm_json(session, product.id)

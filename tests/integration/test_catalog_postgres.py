"""The catalog on PostgreSQL: tsvector search ranked and in sync, keyset pages, price rules."""

from decimal import Decimal

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.extensions import db
from app.models.product import Product
from app.models.user import User
from app.services import auth_service, product_service
from app.services.product_listing import ProductListing
from tests.factories import CategoryFactory, ProductFactory
from tests.pages import walk_pages

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("factories")]


@pytest.fixture
def session(pg_app: Flask) -> Session:
    """The PostgreSQL app's session; `factories` (tests/conftest.py) binds to it."""
    return db.session()


@pytest.fixture
def client(pg_app: Flask, session: Session, admin: User) -> FlaskClient:
    pair = auth_service.issue_tokens(session, admin, auth_service.TokenLifetimes())
    client = pg_app.test_client()
    client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {pair.access_token}"
    return client


def search(session: Session, q: str, **options: object) -> list[str]:
    page = product_service.list_products(session, ProductListing(q=q, **options))  # type: ignore[arg-type]
    return [product.sku for product in page.items]


def test_search_ranks_a_name_match_above_a_description_match(session: Session) -> None:
    ProductFactory(sku="B", name="Bucket", description="Carries a shovel")
    ProductFactory(sku="S", name="Shovel", description="Steel")
    ProductFactory(sku="R", name="Rake", description="Steel")

    assert search(session, "shovel") == ["S", "B"]


def test_search_vector_follows_updates_and_deletes(session: Session, admin: User) -> None:
    bucket = ProductFactory(sku="P", name="Bucket")
    gone = ProductFactory(sku="G", name="Bucket")

    product_service.update_product(session, admin, bucket.id, {"name": "Pail"})
    product_service.delete_product(session, admin, gone.id)

    assert search(session, "bucket") == []
    assert search(session, "pail") == ["P"]


def test_search_input_is_never_read_as_tsquery_syntax(session: Session) -> None:
    ProductFactory(sku="A", name="Bucket or pail")

    assert search(session, "bucket & | ! ( :* pail") == ["A"]


def test_walking_ranked_results_through_the_api_yields_every_match_once(
    client: FlaskClient,
) -> None:
    created = {
        ProductFactory(name="Shovel " * (index % 3 + 1), price=Decimal(index)).id
        for index in range(8)
    }
    ProductFactory(name="Bucket")

    seen = [item["id"] for item in walk_pages(client, "/api/products?q=shovel&limit=3")]

    assert sorted(seen) == sorted(created)


@pytest.mark.parametrize("sort", ["price", "-price", "created_at", "-created_at", "-name"])
def test_walking_sorted_pages_through_the_api_yields_every_product_once(
    client: FlaskClient, sort: str
) -> None:
    garden = CategoryFactory()
    created = {
        ProductFactory(price=Decimal(index % 3), categories=[garden]).id for index in range(7)
    }
    url = f"/api/products?sort={sort}&limit=2&category={garden.id}"

    seen = [item["id"] for item in walk_pages(client, url)]

    assert sorted(seen) == sorted(created)


def test_the_database_refuses_a_negative_price(session: Session) -> None:
    session.add(Product(sku="NEG", name="Negative", price=Decimal("-1.00")))

    with pytest.raises(IntegrityError, match="ck_products_price_not_negative"):
        session.commit()
    session.rollback()


def test_a_price_round_trips_exactly_as_two_decimals(client: FlaskClient) -> None:
    response = client.post(
        "/api/products", json={"sku": "BIG", "name": "Big", "price": "9999999999.99"}
    )

    assert response.status_code == 201
    assert response.get_json()["data"]["price"] == "9999999999.99"


def test_the_search_column_is_a_generated_tsvector_with_a_gin_index(session: Session) -> None:
    row = session.execute(
        text(
            "SELECT a.attgenerated, format_type(a.atttypid, a.atttypmod), "
            "(SELECT am.amname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
            " JOIN pg_am am ON am.oid = c.relam "
            " WHERE c.relname = 'ix_products_search_vector') "
            "FROM pg_attribute a WHERE a.attrelid = 'products'::regclass "
            "AND a.attname = 'search_vector'"
        )
    ).one()

    assert tuple(row) == ("s", "tsvector", "gin")

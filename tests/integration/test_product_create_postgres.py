"""POST /api/products on PostgreSQL: the unique constraint settles a SKU race; search follows."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.extensions import db
from app.models.product import Product
from app.models.user import User
from app.services import auth_service
from tests.factories import CategoryFactory

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("factories")]

ATTEMPTS = 20


@pytest.fixture
def session(pg_app: Flask) -> Session:
    """The PostgreSQL app's session; `factories` (tests/conftest.py) binds to it."""
    return db.session()


@pytest.fixture
def bearer(session: Session, admin: User) -> str:
    pair = auth_service.issue_tokens(session, admin, auth_service.TokenLifetimes())
    return f"Bearer {pair.access_token}"


@pytest.fixture
def client(pg_app: Flask, bearer: str) -> FlaskClient:
    client = pg_app.test_client()
    client.environ_base["HTTP_AUTHORIZATION"] = bearer
    return client


def test_twenty_concurrent_creates_of_one_sku_make_one_product_and_409s(
    pg_app: Flask, session: Session, bearer: str
) -> None:
    garden = CategoryFactory()
    start = threading.Barrier(ATTEMPTS)
    body = {"sku": "RACE-1", "name": "Raced", "price": "5.00", "categories": [garden.id]}

    def attempt(_index: int) -> tuple[int, str]:
        client = pg_app.test_client()
        start.wait()
        response = client.post("/api/products", json=body, headers={"Authorization": bearer})
        return response.status_code, response.get_json().get("detail", "")

    with ThreadPoolExecutor(max_workers=ATTEMPTS) as pool:
        results = list(pool.map(attempt, range(ATTEMPTS)))

    statuses = sorted(status for status, _ in results)
    assert statuses == [201] + [409] * (ATTEMPTS - 1), results
    details = {detail for status, detail in results if status == 409}
    assert details == {"A product with SKU 'RACE-1' already exists."}
    session.rollback()
    assert session.scalar(select(func.count()).select_from(Product)) == 1


def test_the_201_is_what_a_get_answers_and_search_finds_it(client: FlaskClient) -> None:
    garden = CategoryFactory(name="Garden")
    created = client.post(
        "/api/products",
        json={
            "sku": "TROWEL-1",
            "name": "Trowel",
            "description": "Plants bulbs",
            "price": "9999999999.99",
            "categories": [garden.id],
        },
    )

    read = client.get(created.headers["Location"])
    found = client.get("/api/products?q=bulbs")

    assert created.status_code == 201
    assert (created.data, created.headers["ETag"]) == (read.data, read.headers["ETag"])
    assert [item["id"] for item in found.get_json()["data"]] == [created.get_json()["data"]["id"]]

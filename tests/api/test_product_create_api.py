"""POST /api/products: one INSERT ... RETURNING, answered from what was written.

The 201 must be the very bytes a later GET answers (body, ETag and Location), a taken
SKU the same 409 as before, and no error may leave a row or a link behind.
"""

from collections.abc import Callable
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models.product import Product
from app.models.product_category import product_categories
from tests.api.problems import Headers, assert_problem
from tests.factories import CategoryFactory, ProductFactory, count_rows

VALID = {"sku": "SPADE-1", "name": "Spade", "price": "12.5"}


def count_links(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(product_categories)) or 0


@pytest.mark.parametrize(
    "extra",
    [{}, {"description": "Digs deep", "categories": "both"}, {"description": None}],
    ids=["plain", "with-categories", "null-description"],
)
def test_the_201_is_byte_for_byte_what_a_get_answers(
    client: FlaskClient, admin_headers: Headers, extra: dict[str, Any]
) -> None:
    garden, tools = CategoryFactory(name="Garden"), CategoryFactory(name="Tools")
    if extra.get("categories") == "both":
        extra = {**extra, "categories": [tools.id, garden.id, tools.id]}

    created = client.post("/api/products", json={**VALID, **extra}, headers=admin_headers)
    location = created.headers["Location"]
    read = client.get(location, headers=admin_headers)

    assert created.status_code == 201
    assert read.status_code == 200
    assert created.data == read.data
    assert created.headers["ETag"] == read.headers["ETag"] == '"1"'
    assert location == f"/api/products/{created.get_json()['data']['id']}"
    assert created.mimetype == "application/json"


def test_a_create_without_categories_is_the_token_check_and_one_insert(
    client: FlaskClient, admin_headers: Headers, count_queries: Callable[..., Any]
) -> None:
    with count_queries() as counter:
        response = client.post("/api/products", json=VALID, headers=admin_headers)

    assert response.status_code == 201
    inserts = [sql for sql in counter.statements if sql.lstrip().upper().startswith("INSERT")]
    assert len(inserts) == 1, counter.statements
    assert "RETURNING" in inserts[0].upper()
    assert not [sql for sql in counter.statements if "FROM products" in sql], counter.statements


def test_a_taken_sku_is_the_same_409_as_before_and_writes_nothing(
    client: FlaskClient, session: Session, admin_headers: Headers
) -> None:
    garden = CategoryFactory()
    ProductFactory(sku="SPADE-1")
    links_before = count_links(session)

    response = client.post(
        "/api/products", json={**VALID, "sku": " SPADE-1 ", "categories": [garden.id]},
        headers=admin_headers,
    )  # fmt: skip

    body = assert_problem(response, 409, kind="conflict")
    assert body["detail"] == "A product with SKU 'SPADE-1' already exists."
    assert count_rows(session, Product) == 1
    assert count_links(session) == links_before


def test_after_a_409_the_next_create_succeeds(
    client: FlaskClient, session: Session, admin_headers: Headers
) -> None:
    ProductFactory(sku="SPADE-1")

    assert_problem(client.post("/api/products", json=VALID, headers=admin_headers), 409)
    response = client.post("/api/products", json={**VALID, "sku": "SPADE-2"}, headers=admin_headers)

    assert response.status_code == 201
    assert count_rows(session, Product) == 2


def test_an_unknown_category_is_a_422_before_the_sku_is_tried(
    client: FlaskClient, session: Session, admin_headers: Headers
) -> None:
    ProductFactory(sku="SPADE-1")

    response = client.post(
        "/api/products", json={**VALID, "categories": [999]}, headers=admin_headers
    )

    assert_problem(response, 422, {"categories"})
    assert count_rows(session, Product) == 1


def test_a_created_product_is_found_by_search_at_once(
    client: FlaskClient, admin_headers: Headers
) -> None:
    ProductFactory(sku="RAKE-1", name="Rake")
    created = client.post(
        "/api/products",
        json={**VALID, "name": "Trowel", "description": "Plants bulbs"},
        headers=admin_headers,
    )

    found = client.get("/api/products?q=bulbs", headers=admin_headers)

    assert [item["id"] for item in found.get_json()["data"]] == [created.get_json()["data"]["id"]]

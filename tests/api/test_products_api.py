"""/api/products: reads and ranked search for anyone signed in, changes for admins."""

from decimal import Decimal
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from app.models.category import Category
from app.models.product import Product
from tests.api.problems import Headers, assert_problem
from tests.factories import CategoryFactory, ProductFactory, count_rows

VALID = {"sku": "SPADE-1", "name": "Spade", "price": "12.5"}


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/api/products"),
        ("GET", "/api/products/1"),
        ("POST", "/api/products"),
        ("PATCH", "/api/products/1"),
        ("DELETE", "/api/products/1"),
    ],
)
def test_an_anonymous_caller_gets_401_on_every_product_route(
    client: FlaskClient, session: Session, method: str, path: str
) -> None:
    ProductFactory()

    response = client.open(path, method=method, json=VALID)

    assert_problem(response, 401)
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert count_rows(session, Product) == 1


def test_a_manager_reads_a_product_with_its_categories_and_price_as_text(
    client: FlaskClient, manager_headers: Headers
) -> None:
    garden = CategoryFactory(name="Garden")
    product = ProductFactory(sku="SPADE-1", price=Decimal("12.5"), categories=[garden])

    response = client.get(f"/api/products/{product.id}", headers=manager_headers)

    assert response.status_code == 200
    data = response.get_json()["data"]
    assert set(data) == {
        "id", "sku", "name", "description", "price", "categories", "created_at", "updated_at"
    }  # fmt: skip
    assert data["price"] == "12.50"
    assert data["categories"] == [{"id": garden.id, "name": "Garden"}]


@pytest.mark.parametrize(
    ("method", "suffix"), [("POST", ""), ("PATCH", "/{id}"), ("DELETE", "/{id}")]
)
def test_a_manager_may_not_change_products(
    client: FlaskClient, session: Session, manager_headers: Headers, method: str, suffix: str
) -> None:
    product = ProductFactory(name="Spade")
    path = "/api/products" + suffix.format(id=product.id)

    response = client.open(
        path, method=method, json={**VALID, "sku": "NEW"}, headers=manager_headers
    )

    assert_problem(response, 403)
    assert count_rows(session, Product) == 1
    assert session.get(Product, product.id).name == "Spade"  # type: ignore[union-attr]


@pytest.mark.parametrize(("price", "shown"), [("12.5", "12.50"), (12.5, "12.50"), (0, "0.00")])
def test_an_admin_creates_a_product_with_a_price_given_as_text_or_number(
    client: FlaskClient, admin_headers: Headers, price: Any, shown: str
) -> None:
    garden = CategoryFactory(name="Garden")

    response = client.post(
        "/api/products",
        json={**VALID, "price": price, "description": "Digs", "categories": [garden.id]},
        headers=admin_headers,
    )

    assert response.status_code == 201
    data = response.get_json()["data"]
    assert data["price"] == shown
    assert (data["sku"], data["name"], data["description"]) == ("SPADE-1", "Spade", "Digs")
    assert data["categories"] == [{"id": garden.id, "name": "Garden"}]
    assert response.headers["Location"].endswith(f"/api/products/{data['id']}")


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({"name": "Spade", "price": "1"}, {"sku"}),
        ({"sku": "A", "price": "1"}, {"name"}),
        ({"sku": "A", "name": "Spade"}, {"price"}),
        ({**VALID, "price": "abc"}, {"price"}),
        ({**VALID, "price": True}, {"price"}),
        ({**VALID, "price": None}, {"price"}),
        ({**VALID, "name": 5}, {"name"}),
        ({**VALID, "categories": ["garden"]}, {"categories.0"}),
        ({**VALID, "categories": 3}, {"categories"}),
        ({**VALID, "colour": "green"}, {"colour"}),
        ({**VALID, "sku": "S" * 65}, {"sku"}),
        ({**VALID, "name": "N" * 201}, {"name"}),
        ({**VALID, "description": "D" * 5001}, {"description"}),
        ({**VALID, "price": "-0.01"}, {"price"}),
        ({**VALID, "price": -1}, {"price"}),
        ({**VALID, "price": "1.005"}, {"price"}),
        ({**VALID, "price": 1.005}, {"price"}),
        ({**VALID, "price": "NaN"}, {"price"}),
        ({**VALID, "categories": [999]}, {"categories"}),
    ],
)
def test_invalid_product_input_is_a_422_naming_the_field_and_writes_nothing(
    client: FlaskClient,
    session: Session,
    admin_headers: Headers,
    body: dict[str, Any],
    fields: set[str],
) -> None:
    response = client.post("/api/products", json=body, headers=admin_headers)

    assert_problem(response, 422, fields)
    assert count_rows(session, Product) == 0


def test_a_duplicate_sku_is_a_409(
    client: FlaskClient, session: Session, admin_headers: Headers
) -> None:
    ProductFactory(sku="SPADE-1")

    response = client.post("/api/products", json=VALID, headers=admin_headers)

    body = assert_problem(response, 409)
    assert body["type"] == "urn:stockroom:problem:conflict"
    assert count_rows(session, Product) == 1


def test_an_admin_changes_the_price_and_replaces_the_categories(
    client: FlaskClient, admin_headers: Headers
) -> None:
    first, second = CategoryFactory(), CategoryFactory()
    product = ProductFactory(name="Spade", categories=[first])

    response = client.patch(
        f"/api/products/{product.id}",
        json={"price": 7, "categories": [second.id]},
        headers=admin_headers,
    )

    assert response.status_code == 200
    data = response.get_json()["data"]
    assert (data["name"], data["price"]) == ("Spade", "7.00")
    assert [category["id"] for category in data["categories"]] == [second.id]


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({"name": None}, {"name"}),
        ({"price": None}, {"price"}),
        ({"price": "0.001"}, {"price"}),
        ({"sku": ""}, {"sku"}),
        ({"name": "Fork", "colour": "green"}, {"colour"}),
        ({"name": "Fork", "categories": [999]}, {"categories"}),
    ],
)
def test_an_invalid_product_change_is_a_422_and_changes_nothing(
    client: FlaskClient,
    session: Session,
    admin_headers: Headers,
    body: dict[str, Any],
    fields: set[str],
) -> None:
    product = ProductFactory(name="Spade")

    response = client.patch(f"/api/products/{product.id}", json=body, headers=admin_headers)

    assert_problem(response, 422, fields)
    session.expire_all()
    assert session.get(Product, product.id).name == "Spade"  # type: ignore[union-attr]


def test_changing_to_a_taken_sku_is_a_409(client: FlaskClient, admin_headers: Headers) -> None:
    ProductFactory(sku="TAKEN")
    product = ProductFactory()

    response = client.patch(
        f"/api/products/{product.id}", json={"sku": "TAKEN"}, headers=admin_headers
    )

    assert_problem(response, 409)


def test_an_admin_deletes_a_product(
    client: FlaskClient, session: Session, admin_headers: Headers
) -> None:
    category = CategoryFactory()
    product = ProductFactory(categories=[category])

    response = client.delete(f"/api/products/{product.id}", headers=admin_headers)

    assert response.status_code == 204
    assert response.data == b""
    assert_problem(client.get(f"/api/products/{product.id}", headers=admin_headers), 404)
    session.expire_all()
    assert session.get(Category, category.id) is not None


@pytest.mark.parametrize("method", ["GET", "PATCH", "DELETE"])
def test_an_unknown_product_is_a_404(
    client: FlaskClient, admin_headers: Headers, method: str
) -> None:
    response = client.open(
        "/api/products/999", method=method, json={"name": "x"}, headers=admin_headers
    )

    assert_problem(response, 404)

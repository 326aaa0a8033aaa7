"""The server accepts exactly what the OpenAPI document says, found by Schemathesis.

Ids past the 32-bit range every database holds are a 422 (not a 500), a JSON `null` body
is not "no body", integers in bodies follow JSON Schema (3.0 is one, "3" is not), and
partial-update fields that refuse null are documented as not nullable.
"""

from typing import Any

import pytest
from flask.testing import FlaskClient

from app.schemas.common_schema import MAX_ROW_ID
from tests.api.problems import Headers, assert_problem
from tests.factories import CategoryFactory, ProductFactory, StoreFactory

TOO_BIG = MAX_ROW_ID + 1


@pytest.mark.parametrize(
    "url",
    [
        f"/api/categories/{TOO_BIG}",
        f"/api/products/{TOO_BIG}",
        f"/api/products?category={TOO_BIG}",
        f"/api/stores/{TOO_BIG}",
    ],
)
def test_an_id_past_the_row_id_range_is_a_422_not_a_server_error(
    client: FlaskClient, admin_headers: Headers, url: str
) -> None:
    response = client.get(url, headers=admin_headers)

    assert_problem(response, 422)


def test_the_largest_64_bit_id_is_simply_not_found(
    client: FlaskClient, admin_headers: Headers
) -> None:
    response = client.get(f"/api/categories/{MAX_ROW_ID}", headers=admin_headers)

    assert_problem(response, 404)


def test_a_product_with_a_category_id_past_the_row_id_range_is_a_422(
    client: FlaskClient, admin_headers: Headers
) -> None:
    body = {"sku": "S-1", "name": "Spade", "price": "1.00", "categories": [TOO_BIG]}

    response = client.post("/api/products", json=body, headers=admin_headers)

    assert_problem(response, 422, {"categories.0"})


@pytest.mark.parametrize(("value", "is_accepted"), [(1.0, True), ("1", False), (True, False)])
def test_category_ids_are_json_integers(
    client: FlaskClient, admin_headers: Headers, value: Any, is_accepted: bool
) -> None:
    category = CategoryFactory()
    assert category.id == 1
    body = {"sku": "S-1", "name": "Spade", "price": "1.00", "categories": [value]}

    response = client.post("/api/products", json=body, headers=admin_headers)

    if is_accepted:
        assert response.status_code == 201
        assert [c["id"] for c in response.get_json()["data"]["categories"]] == [1]
    else:
        assert_problem(response, 422, {"categories.0"})


@pytest.mark.parametrize("body", [{"name": "   "}, {"sku": "\t"}])
def test_a_blank_name_or_sku_is_a_422(
    client: FlaskClient, admin_headers: Headers, body: dict[str, str]
) -> None:
    product = ProductFactory()

    response = client.patch(f"/api/products/{product.id}", json=body, headers=admin_headers)

    assert_problem(response, 422, set(body))


def test_a_null_body_where_the_body_is_optional_is_a_422(
    client: FlaskClient, admin_headers: Headers
) -> None:
    store, product = StoreFactory(), ProductFactory()

    response = client.put(
        f"/api/stores/{store.id}/stock/{product.id}",
        data="null",
        content_type="application/json",
        headers=admin_headers,
    )

    body = assert_problem(response, 422, {"body"})
    assert body["errors"]["body"] == ["must be a JSON object"]


def test_no_body_where_the_body_is_optional_still_means_the_defaults(
    client: FlaskClient, admin_headers: Headers
) -> None:
    store, product = StoreFactory(), ProductFactory()

    response = client.put(f"/api/stores/{store.id}/stock/{product.id}", headers=admin_headers)

    assert response.status_code == 201
    assert response.get_json()["data"]["quantity"] == 0


def test_a_stock_quantity_written_as_4_point_0_is_the_integer_4(
    client: FlaskClient, admin_headers: Headers
) -> None:
    store, product = StoreFactory(), ProductFactory()

    response = client.put(
        f"/api/stores/{store.id}/stock/{product.id}", json={"quantity": 4.0}, headers=admin_headers
    )

    assert response.status_code == 201
    assert response.get_json()["data"]["quantity"] == 4


@pytest.mark.parametrize(
    ("schema", "not_nullable", "nullable"),
    [
        ("CategoryUpdate", {"name"}, {"description"}),
        ("ProductUpdate", {"sku", "name", "price", "categories"}, {"description"}),
        ("StoreUpdate", {"name", "address", "city", "state", "zip_code"}, set()),
        ("StockChange", {"quantity", "delta"}, set()),
    ],
)
def test_partial_update_fields_that_refuse_null_are_documented_as_not_nullable(
    client: FlaskClient, schema: str, not_nullable: set[str], nullable: set[str]
) -> None:
    properties = client.get("/api/openapi.json").get_json()["components"]["schemas"][schema][
        "properties"
    ]

    def allows_null(field: str) -> bool:
        return {"type": "null"} in properties[field].get("anyOf", [])

    assert {field for field in properties if allows_null(field)} == nullable
    assert not any("default" in properties[field] for field in not_nullable)

from decimal import Decimal
from typing import Any

import pytest
from flask.testing import FlaskClient

from app.common.ids import MAX_ROW_ID
from tests.api.catalog_assertions import assert_problem
from tests.factories import ProductFactory, StockItemFactory, StoreFactory

Headers = dict[str, str]


def _export(client: FlaskClient, headers: Headers, body: dict[str, Any]) -> Any:
    return client.post("/api/exports", json=body, headers=headers)


def test_an_export_answers_202_with_the_location_of_its_job(
    client: FlaskClient, admin_headers: Headers
) -> None:
    ProductFactory(sku="SP-1")

    response = _export(client, admin_headers, {"kind": "products"})

    assert response.status_code == 202
    job = response.get_json()["data"]
    assert response.headers["Location"] == f"/api/jobs/{job['id']}"
    assert (job["kind"], job["status"]) == ("export_products", "succeeded")
    assert job["result"] == {"rows": 1, "filename": "products.csv"}


def test_the_exported_catalog_downloads_as_a_csv_attachment(
    client: FlaskClient, admin_headers: Headers
) -> None:
    ProductFactory(sku="SP-1", name="Spade", description=None, price=Decimal("2.5"))
    location = _export(client, admin_headers, {"kind": "products"}).headers["Location"]

    response = client.get(f"{location}/file", headers=admin_headers)

    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == 'attachment; filename="products.csv"'
    assert response.data == b"sku,name,description,price,categories\r\nSP-1,Spade,,2.50,\r\n"


def test_a_stores_stock_exports_as_csv(client: FlaskClient, admin_headers: Headers) -> None:
    store = StoreFactory()
    StockItemFactory(store=store, product=ProductFactory(sku="SP-1"), quantity=4)
    body = {"kind": "stock", "store_id": store.id}
    location = _export(client, admin_headers, body).headers["Location"]

    response = client.get(f"{location}/file", headers=admin_headers)

    assert response.data == b"sku,quantity\r\nSP-1,4\r\n"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kind": "orders"}, "kind"),
        ({}, "kind"),
        ({"kind": "products", "colour": "red"}, "colour"),
        ({"kind": "stock"}, "store_id"),
        ({"kind": "stock", "store_id": None}, "store_id"),
        ({"kind": "products", "store_id": 1}, "store_id"),
        ({"kind": "stock", "store_id": "1"}, "store_id"),
        ({"kind": "stock", "store_id": True}, "store_id"),
        ({"kind": "stock", "store_id": 0}, "store_id"),
        ({"kind": "stock", "store_id": MAX_ROW_ID + 1}, "store_id"),
    ],
)
def test_a_bad_export_request_is_refused_with_422(
    client: FlaskClient, admin_headers: Headers, body: dict[str, Any], field: str
) -> None:
    response = _export(client, admin_headers, body)

    assert_problem(response, 422, {field})


def test_an_export_of_an_unknown_store_is_404(client: FlaskClient, admin_headers: Headers) -> None:
    response = _export(client, admin_headers, {"kind": "stock", "store_id": 999})

    assert_problem(response, 404)


def test_a_form_body_is_refused_with_415(client: FlaskClient, admin_headers: Headers) -> None:
    response = client.post("/api/exports", data={"kind": "products"}, headers=admin_headers)

    assert_problem(response, 415)


def test_a_manager_may_not_export(client: FlaskClient, manager_headers: Headers) -> None:
    response = _export(client, manager_headers, {"kind": "products"})

    assert_problem(response, 403)

import io
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.common.ids import MAX_ROW_ID
from app.models.product import Product
from tests.api.catalog_assertions import assert_problem
from tests.factories import StoreFactory

Headers = dict[str, str]
GOOD_CSV = b"sku,name,price\nSP-1,Spade,12.5\nRK-1,Rake,3\n"


def _form(content: bytes = GOOD_CSV, **fields: Any) -> dict[str, Any]:
    return {"kind": "products", **fields, "file": (io.BytesIO(content), "catalog.csv")}


def _post(client: FlaskClient, headers: Headers, data: dict[str, Any]) -> Any:
    return client.post(
        "/api/imports", data=data, headers=headers, content_type="multipart/form-data"
    )


def test_an_import_answers_202_with_the_location_of_its_job(
    client: FlaskClient, admin_headers: Headers
) -> None:
    response = _post(client, admin_headers, _form())

    assert response.status_code == 202
    job = response.get_json()["data"]
    assert response.headers["Location"] == f"/api/jobs/{job['id']}"
    assert (job["kind"], job["status"]) == ("import_products", "succeeded")
    assert job["progress"] == {"done": 2, "total": 2}
    assert job["errors"] == []
    assert job["result"] == {"rows": 2, "written": 2, "created": 2, "updated": 0, "skipped": 0}


def test_imported_products_are_found_by_full_text_search(
    client: FlaskClient, admin_headers: Headers
) -> None:
    _post(client, admin_headers, _form(b"sku,name,price\nSP-1,Spade,1\n"))
    _post(client, admin_headers, _form(b"sku,name,price\nSP-1,Shovel,1\n"))

    found = client.get("/api/products?q=shovel", headers=admin_headers).get_json()["data"]
    gone = client.get("/api/products?q=spade", headers=admin_headers).get_json()["data"]

    assert [product["sku"] for product in found] == ["SP-1"]
    assert gone == []


def test_a_file_with_a_bad_row_reports_its_line_and_writes_nothing(
    client: FlaskClient, admin_headers: Headers, session: Session
) -> None:
    response = _post(client, admin_headers, _form(b"sku,name,price\nA-1,Spade,1\nB-2,Rake,x\n"))

    job = client.get(response.headers["Location"], headers=admin_headers).get_json()["data"]
    assert job["status"] == "failed"
    assert job["errors"] == [{"line": 3, "message": "price: Give a number such as 12.50."}]
    assert job["error_count"] == 1
    assert session.scalars(select(Product.sku)).all() == []


def test_skip_invalid_writes_only_the_good_rows(
    client: FlaskClient, admin_headers: Headers, session: Session
) -> None:
    data = _form(b"sku,name,price\nA-1,Spade,1\nB-2,Rake,x\n", skip_invalid="true")

    job = _post(client, admin_headers, data).get_json()["data"]

    assert (job["status"], job["error_count"]) == ("succeeded", 1)
    assert session.scalars(select(Product.sku)).all() == ["A-1"]


def test_a_stock_import_needs_its_store(client: FlaskClient, admin_headers: Headers) -> None:
    response = _post(client, admin_headers, _form(b"sku,quantity\n", kind="stock"))

    body = assert_problem(response, 422, {"store_id"})
    assert body["errors"]["store_id"] == ["Field required for stock."]


def test_a_stock_import_into_a_store_answers_202(
    client: FlaskClient, admin_headers: Headers
) -> None:
    store = StoreFactory()

    response = _post(
        client, admin_headers, _form(b"sku,quantity\n", kind="stock", store_id=store.id)
    )

    assert response.status_code == 202
    assert response.get_json()["data"]["kind"] == "import_stock"


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"kind": "orders", "file": (io.BytesIO(GOOD_CSV), "a.csv")}, "kind"),
        ({"kind": "products"}, "file"),
        ({**_form(), "colour": "red"}, "colour"),
        ({**_form(), "store_id": "0"}, "store_id"),
        ({**_form(), "kind": "stock", "store_id": "true"}, "store_id"),
        ({**_form(), "kind": "stock", "store_id": "7.5"}, "store_id"),
        ({**_form(), "kind": "stock", "store_id": "null"}, "store_id"),
        ({**_form(), "kind": "stock", "store_id": str(MAX_ROW_ID + 1)}, "store_id"),
        ({**_form(), "store_id": "1"}, "store_id"),
        ({**_form(), "skip_invalid": "0"}, "skip_invalid"),
        ({**_form(), "skip_invalid": "yes"}, "skip_invalid"),
    ],
)
def test_a_bad_form_is_refused_with_422(
    client: FlaskClient, admin_headers: Headers, data: dict[str, Any], field: str
) -> None:
    response = _post(client, admin_headers, data)

    assert_problem(response, 422, {field})


def test_a_stock_import_into_an_unknown_store_is_404(
    client: FlaskClient, admin_headers: Headers
) -> None:
    response = _post(client, admin_headers, _form(b"sku,quantity\n", kind="stock", store_id=99))

    assert_problem(response, 404)


def test_a_json_body_is_refused_with_415(client: FlaskClient, admin_headers: Headers) -> None:
    response = client.post("/api/imports", json={"kind": "products"}, headers=admin_headers)

    assert_problem(response, 415)


def test_a_file_over_the_size_limit_is_refused_with_413(
    client: FlaskClient, admin_headers: Headers
) -> None:
    # Built by hand: the test client would spool a large form to a temporary file.
    boundary = "stockroom-boundary"
    body = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n'
        f"Content-Type: text/csv\r\n\r\nsku,name,price\n{'x' * (16 * 1024 * 1024)}\r\n"
        f"--{boundary}--\r\n"
    ).encode()

    response = client.post(
        "/api/imports",
        data=body,
        headers=admin_headers,
        content_type=f"multipart/form-data; boundary={boundary}",
    )

    assert_problem(response, 413)


def test_a_manager_may_not_import(client: FlaskClient, manager_headers: Headers) -> None:
    response = _post(client, manager_headers, _form())

    assert_problem(response, 403)


def test_an_anonymous_caller_gets_401(client: FlaskClient) -> None:
    response = _post(client, {}, _form())

    assert_problem(response, 401)

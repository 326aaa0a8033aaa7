"""CSV imports from the dashboard: the upload form, the job page and its progress JSON."""

from io import BytesIO

from flask.testing import FlaskClient

from app.models.store import Store
from app.models.user import User
from tests.factories import ProductFactory
from tests.web.conftest import SignedIn

PRODUCTS_CSV = b"sku,name,price\nOAK-1,Oak spade,24.50\nRAK-1,Steel rake,18.00\n"


def _upload(content: bytes, **fields: object) -> dict[str, object]:
    return {"kind": "products", "file": (BytesIO(content), "products.csv"), **fields}


def test_an_admin_imports_products_and_sees_the_finished_job(admin_client: FlaskClient) -> None:
    response = admin_client.post("/imports", data=_upload(PRODUCTS_CSV))

    assert response.status_code == 302
    page = admin_client.get(response.headers["Location"]).get_data(as_text=True)
    assert "succeeded" in page
    assert "Oak spade" in admin_client.get("/catalog").get_data(as_text=True)


def test_the_progress_endpoint_answers_the_job_as_json(admin_client: FlaskClient) -> None:
    location = admin_client.post("/imports", data=_upload(PRODUCTS_CSV)).headers["Location"]

    job = admin_client.get(f"{location}/progress").get_json()

    assert job["status"] == "succeeded"
    assert job["progress"] == {"done": 2, "total": 2}


def test_a_bad_row_fails_the_job_and_is_listed_by_line(admin_client: FlaskClient) -> None:
    content = b"sku,name,price\nOAK-1,Oak spade,cheap\n"

    location = admin_client.post("/imports", data=_upload(content)).headers["Location"]

    page = admin_client.get(location).get_data(as_text=True)
    assert "failed" in page
    assert "Line 2:" in page


def test_stock_needs_a_store_and_says_so_by_the_field(admin_client: FlaskClient) -> None:
    response = admin_client.post("/imports", data=_upload(b"sku,quantity\n", kind="stock"))

    assert response.status_code == 422
    assert 'id="store_id-errors"' in response.get_data(as_text=True)


def test_a_stock_import_fills_the_store(admin_client: FlaskClient, store: Store) -> None:
    ProductFactory(sku="OAK-1", name="Oak spade")
    content = b"sku,quantity\nOAK-1,9\n"

    admin_client.post("/imports", data=_upload(content, kind="stock", store_id=str(store.id)))

    assert 'value="9"' in admin_client.get(f"/stores/{store.id}").get_data(as_text=True)


def test_the_upload_form_needs_a_file(admin_client: FlaskClient) -> None:
    response = admin_client.post("/imports", data={"kind": "products"})

    assert response.status_code == 422
    assert "Choose a CSV file." in response.get_data(as_text=True)


def test_a_manager_may_not_import(manager_client: FlaskClient) -> None:
    assert manager_client.get("/imports").status_code == 403


def test_someone_else_s_job_is_404(
    admin_client: FlaskClient, signed_in: SignedIn, manager: User
) -> None:
    location = admin_client.post("/imports", data=_upload(PRODUCTS_CSV)).headers["Location"]

    assert signed_in(manager).get(location).status_code == 404

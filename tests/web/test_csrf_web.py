"""With CSRF on (as outside the test suite), a dashboard form needs its token."""

import re
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from app.models.store import Store
from tests.factories import ProductFactory, StockItemFactory

TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


@pytest.fixture
def app_overrides() -> dict[str, Any]:
    return {"WTF_CSRF_ENABLED": True}


def _token(client: FlaskClient, path: str) -> str:
    match = TOKEN.search(client.get(path).get_data(as_text=True))
    assert match is not None
    return match.group(1)


def test_a_form_posted_without_its_csrf_token_is_refused_with_a_400_page(
    admin_client: FlaskClient,
) -> None:
    response = admin_client.post("/stores/new", data={"name": "No token"})

    assert response.status_code == 400
    assert response.mimetype == "text/html"
    assert "CSRF" in response.get_data(as_text=True)


def test_a_form_posted_with_its_csrf_token_is_accepted(admin_client: FlaskClient) -> None:
    fields = {"name": "Dock", "address": "1 Pier", "city": "Bay", "state": "CA", "zip_code": "1"}
    token = _token(admin_client, "/stores/new")

    response = admin_client.post("/stores/new", data={**fields, "csrf_token": token})

    assert response.status_code == 302


def test_sign_in_without_a_csrf_token_is_refused(client: FlaskClient) -> None:
    response = client.post("/sign-in", data={"email": "a@b.c", "password": "x"})

    assert response.status_code == 400


def test_the_stock_script_may_send_the_token_in_a_header(
    manager_client: FlaskClient, store: Store, session: Session
) -> None:
    item = StockItemFactory(store=store, product=ProductFactory(), quantity=2)
    token = _token(manager_client, "/sign-in")

    response = manager_client.post(
        f"/stores/{store.id}/stock/{item.product_id}",
        data={"delta": "1"},
        headers={"Accept": "application/json", "X-CSRFToken": token},
    )

    assert response.status_code == 200
    assert response.get_json()["quantity"] == 3


def test_the_api_needs_no_csrf_token(client: FlaskClient) -> None:
    response = client.post("/api/auth/tokens", json={"email": "a@b.c", "password": "x"})

    assert response.status_code == 401
    assert response.mimetype == "application/problem+json"

"""Text holding the NUL character is a 422: PostgreSQL cannot store it (found by Schemathesis)."""

import json

from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models.store import Store
from tests.api.problems import Headers, assert_problem

STORE = {"name": "Quay", "address": "2 Quay", "city": "Bath", "state": "ME", "zip_code": "04530"}


def _post_store(client: FlaskClient, headers: Headers, **fields: object) -> object:
    body = json.dumps({**STORE, **fields})
    return client.post(
        "/api/stores", data=body, headers={**headers, "Content-Type": "application/json"}
    )


def test_a_nul_character_in_a_body_field_is_a_422_naming_it_and_nothing_is_written(
    client: FlaskClient, admin_headers: Headers, session: Session
) -> None:
    before = session.scalar(select(func.count()).select_from(Store))

    response = _post_store(client, admin_headers, address="\x00 Main St", city="Ba\x00th")

    body = assert_problem(response, 422, fields={"address", "city"}, kind="validation-error")
    assert body["errors"]["address"] == ["must not contain the NUL character (U+0000)"]
    assert session.scalar(select(func.count()).select_from(Store)) == before


def test_a_nul_character_inside_a_list_names_its_position(
    client: FlaskClient, admin_headers: Headers
) -> None:
    response = client.post(
        "/api/products",
        json={"sku": "N-1", "name": "Nul", "price": "1.00", "tags": ["ok", "bad\x00"]},
        headers=admin_headers,
    )

    assert_problem(response, 422, fields={"tags.1"})


def test_the_escaped_text_backslash_u0000_is_ordinary_text(
    client: FlaskClient, admin_headers: Headers
) -> None:
    response = _post_store(client, admin_headers, address="C:\\u0000 street")

    assert response.status_code == 201
    assert response.get_json()["data"]["address"] == "C:\\u0000 street"


def test_a_nul_character_in_a_query_parameter_is_a_422_naming_it(
    client: FlaskClient, admin_headers: Headers
) -> None:
    response = client.get("/api/products?q=spade%00", headers=admin_headers)

    assert_problem(response, 422, fields={"q"})

import io
from typing import Any

import pytest
from flask.testing import FlaskClient

from tests.api.catalog_assertions import assert_problem

Headers = dict[str, str]


def _import(client: FlaskClient, headers: Headers) -> str:
    data = {"kind": "products", "file": (io.BytesIO(b"sku,name,price\nA-1,Spade,1\n"), "a.csv")}
    response = client.post(
        "/api/imports", data=data, headers=headers, content_type="multipart/form-data"
    )
    location: str = response.headers["Location"]
    return location


def _export(client: FlaskClient, headers: Headers) -> str:
    response = client.post("/api/exports", json={"kind": "products"}, headers=headers)
    location: str = response.headers["Location"]
    return location


def test_a_job_has_the_documented_shape(client: FlaskClient, admin_headers: Headers) -> None:
    location = _import(client, admin_headers)

    response = client.get(location, headers=admin_headers)

    assert response.status_code == 200
    job: dict[str, Any] = response.get_json()["data"]
    assert set(job) == {
        "id", "kind", "status", "progress", "errors", "error_count", "result",
        "created_at", "updated_at",
    }  # fmt: skip
    assert job["progress"] == {"done": 1, "total": 1}


def test_an_unknown_job_is_404(client: FlaskClient, admin_headers: Headers) -> None:
    assert_problem(client.get("/api/jobs/999", headers=admin_headers), 404)


@pytest.mark.parametrize("suffix", ["", "/file"])
def test_a_job_of_someone_else_is_404_for_a_manager(
    client: FlaskClient, admin_headers: Headers, manager_headers: Headers, suffix: str
) -> None:
    location = _export(client, admin_headers)

    response = client.get(location + suffix, headers=manager_headers)

    assert_problem(response, 404)


def test_an_import_job_has_no_file(client: FlaskClient, admin_headers: Headers) -> None:
    location = _import(client, admin_headers)

    assert_problem(client.get(f"{location}/file", headers=admin_headers), 404)


@pytest.mark.parametrize("suffix", ["", "/file"])
def test_an_anonymous_caller_gets_401(
    client: FlaskClient, admin_headers: Headers, suffix: str
) -> None:
    location = _export(client, admin_headers)

    assert_problem(client.get(location + suffix), 401)

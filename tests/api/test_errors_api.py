"""Every API error is an RFC 9457 problem: 400, 404, 405, 413, 415, 422 and 500.

A probe blueprint, registered only on this module's app, gives a JSON-body route with a
strict pydantic schema and a route that crashes.
"""

import json
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask, Response
from flask.testing import FlaskClient
from flask_openapi3.blueprint import APIBlueprint
from pydantic import BaseModel, ConfigDict, Field

from app.api.auth import public
from app.api.responses import render_data
from tests.conftest import make_test_app

BODY_LIMIT = 256
VALIDATION_TYPE = "urn:stockroom:problem:validation-error"


class ItemIn(BaseModel):
    """A strict body: unknown fields are refused."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1)
    quantity: int = Field(ge=0)


probe = APIBlueprint("error_probe", __name__, url_prefix="/api/error-probe")


@probe.post("/items")
@public
def create_item(body: ItemIn) -> Response:
    """Echo a valid item."""
    return render_data(body.model_dump(), 201)


@probe.get("/crash")
@public
def crash() -> Response:
    """Fail the way a bug would."""
    raise RuntimeError("database password is hunter2")


@pytest.fixture
def app() -> Iterator[Flask]:
    """An app with the probe routes and a small body limit."""
    app = make_test_app("sqlite://", MAX_CONTENT_LENGTH=BODY_LIMIT)
    app.register_api(probe)  # type: ignore[attr-defined]
    with app.app_context():
        yield app


def assert_problem(response: Any, status: int, title: str) -> dict[str, Any]:
    """Check the problem+json shape every error shares; return the body."""
    assert response.status_code == status
    assert response.mimetype == "application/problem+json"
    body: dict[str, Any] = response.get_json()
    assert body["status"] == status
    assert body["title"] == title
    assert body["detail"]
    assert body["type"]
    assert body["request_id"] == response.headers["X-Request-ID"]
    return body


def test_an_unknown_api_path_is_a_404_problem(client: FlaskClient) -> None:
    response = client.get("/api/nope")

    body = assert_problem(response, 404, "Not Found")
    assert body["type"] == "about:blank"


def test_a_wrong_method_is_a_405_problem_with_allow(client: FlaskClient) -> None:
    response = client.delete("/api/health")

    assert_problem(response, 405, "Method Not Allowed")
    allowed = {method.strip() for method in response.headers["Allow"].split(",")}
    assert allowed == {"GET", "HEAD", "OPTIONS"}


def test_a_body_over_the_limit_is_a_413_problem(client: FlaskClient) -> None:
    payload = json.dumps({"name": "x" * BODY_LIMIT, "quantity": 1})

    response = client.post("/api/error-probe/items", data=payload, content_type="application/json")

    assert_problem(response, 413, "Request Entity Too Large")


@pytest.mark.parametrize("payload", ['{"name": "x",', "{'name': 'x'}", ""])
def test_malformed_json_is_a_400_problem(client: FlaskClient, payload: str) -> None:
    response = client.post("/api/error-probe/items", data=payload, content_type="application/json")

    body = assert_problem(response, 400, "Bad request")
    assert body["type"] == "urn:stockroom:problem:bad-request"
    assert body["detail"] == "The request body is not valid JSON."


@pytest.mark.parametrize(
    ("data", "content_type"),
    [
        ('{"name": "x", "quantity": 1}', "text/plain"),
        ("name=x&quantity=1", "application/x-www-form-urlencoded"),
        ('{"name": "x", "quantity": 1}', None),
    ],
)
def test_a_body_that_is_not_json_is_a_415_problem(
    client: FlaskClient, data: str, content_type: str | None
) -> None:
    response = client.post("/api/error-probe/items", data=data, content_type=content_type)

    body = assert_problem(response, 415, "Unsupported Media Type")
    assert body["detail"] == "Send this request body as application/json."


def test_invalid_fields_are_a_422_problem_listing_messages_by_field(
    client: FlaskClient,
) -> None:
    response = client.post("/api/error-probe/items", json={"name": "", "quantity": -1})

    body = assert_problem(response, 422, "Validation failed")
    assert body["type"] == VALIDATION_TYPE
    assert body["errors"] == {
        "name": ["String should have at least 1 character"],
        "quantity": ["Input should be greater than or equal to 0"],
    }


def test_an_unknown_field_is_a_422_problem(client: FlaskClient) -> None:
    response = client.post(
        "/api/error-probe/items", json={"name": "x", "quantity": 1, "is_admin": True}
    )

    body = assert_problem(response, 422, "Validation failed")
    assert body["errors"] == {"is_admin": ["Extra inputs are not permitted"]}


def test_a_missing_field_is_a_422_problem(client: FlaskClient) -> None:
    response = client.post("/api/error-probe/items", json={"name": "x"})

    body = assert_problem(response, 422, "Validation failed")
    assert body["errors"] == {"quantity": ["Field required"]}


def test_a_json_body_that_is_not_an_object_is_a_422_problem(client: FlaskClient) -> None:
    response = client.post("/api/error-probe/items", json=[{"name": "x", "quantity": 1}])

    body = assert_problem(response, 422, "Validation failed")
    assert list(body["errors"]) == ["body"]


def test_a_valid_body_reaches_the_route(client: FlaskClient) -> None:
    response = client.post("/api/error-probe/items", json={"name": "x", "quantity": 2})

    assert response.status_code == 201
    assert response.get_json() == {"data": {"name": "x", "quantity": 2}}


def test_an_unhandled_exception_is_a_500_problem_without_internals(
    client: FlaskClient,
) -> None:
    response = client.get("/api/error-probe/crash")

    body = assert_problem(response, 500, "Internal server error")
    text = response.get_data(as_text=True)
    assert "Traceback" not in text
    assert "hunter2" not in text
    assert "quote the request_id" in body["detail"]


def test_an_unhandled_exception_logs_its_stack_with_the_request_id(
    client: FlaskClient, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()

    response = client.get("/api/error-probe/crash", headers={"X-Request-ID": "crash-1"})

    lines = [json.loads(line) for line in capsys.readouterr().err.splitlines()]
    [line] = [line for line in lines if line["logger"] == "app.api.errors"]
    assert line["level"] == "ERROR"
    assert line["request_id"] == response.headers["X-Request-ID"] == "crash-1"
    assert line["exc"].startswith("Traceback")
    assert "RuntimeError: database password is hunter2" in line["exc"]


def test_an_error_outside_the_api_stays_html(client: FlaskClient) -> None:
    response = client.get("/nope")

    assert response.status_code == 404
    assert response.mimetype == "text/html"

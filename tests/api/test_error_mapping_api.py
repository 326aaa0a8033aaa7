"""Which status each error becomes: domain errors, database errors, 401 and 429.

A probe blueprint, registered only on this module's app, raises the error a test names.
"""

from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask, Response, abort
from flask.testing import FlaskClient
from flask_openapi3.blueprint import APIBlueprint
from pydantic import BaseModel
from sqlalchemy.exc import OperationalError, ProgrammingError

from app.api.auth import public
from app.common import errors
from app.extensions import limiter
from tests.conftest import make_test_app

DOMAIN_ERRORS: dict[str, errors.StockroomError] = {
    "bad-request": errors.BadRequestError("The cursor cannot be read."),
    "unauthorized": errors.AuthenticationError("The token has expired."),
    "forbidden": errors.PermissionDeniedError("Only admins may do this."),
    "not-found": errors.NotFoundError("No store with id 42."),
    "conflict": errors.ConflictError("That SKU is taken."),
    "precondition-failed": errors.PreconditionFailedError("The store changed meanwhile."),
    "validation-error": errors.ValidationError("Bad input.", {"price": ["Must be >= 0."]}),
    "precondition-required": errors.PreconditionRequiredError("Send If-Match."),
    "service-unavailable": errors.ServiceUnavailableError("The broker is down.", 7),
}
DATABASE_ERRORS = {
    "refused": OperationalError("SELECT 1", {}, Exception("could not connect to server")),
    "syntax": ProgrammingError("SELEC 1", {}, Exception("syntax error at or near SELEC")),
}


class NamePath(BaseModel):
    """The name of the error to raise."""

    name: str


probe = APIBlueprint("mapping_probe", __name__, url_prefix="/api/mapping-probe")


@probe.get("/domain/<name>")
@public
def raise_domain_error(path: NamePath) -> Response:
    """Raise the named domain error, as a service would."""
    raise DOMAIN_ERRORS[path.name]


@probe.get("/database/<name>")
@public
def raise_database_error(path: NamePath) -> Response:
    """Raise the named database error, as SQLAlchemy would."""
    raise DATABASE_ERRORS[path.name]


@probe.get("/unauthorized")
@public
def refuse() -> Response:
    """Abort with a bare Werkzeug 401."""
    abort(401)


@probe.get("/limited")
@public
# A route limit, not RATELIMIT_DEFAULT: the limiter is one object shared by every app in
# the process, and the first app that sets default limits keeps them.
@limiter.limit("2/minute")
def limited() -> Response:
    """Answer, at most twice a minute."""
    return Response(status=204)


def crash_page() -> str:
    """A dashboard page with a bug in it."""
    raise RuntimeError("page internals")


@pytest.fixture
def app(app_overrides: dict[str, Any]) -> Iterator[Flask]:
    """An app with the probe routes."""
    app = make_test_app("sqlite://", **app_overrides)
    app.register_api(probe)  # type: ignore[attr-defined]
    app.add_url_rule("/crash-page", "crash_page", crash_page)
    with app.app_context():
        yield app


@pytest.mark.parametrize(
    ("name", "status"),
    [
        ("bad-request", 400),
        ("unauthorized", 401),
        ("forbidden", 403),
        ("not-found", 404),
        ("conflict", 409),
        ("precondition-failed", 412),
        ("validation-error", 422),
        ("precondition-required", 428),
        ("service-unavailable", 503),
    ],
)
def test_each_domain_error_becomes_its_status(client: FlaskClient, name: str, status: int) -> None:
    response = client.get(f"/api/mapping-probe/domain/{name}")

    assert response.status_code == status
    assert response.mimetype == "application/problem+json"
    body = response.get_json()
    assert body["status"] == status
    assert body["type"] == f"urn:stockroom:problem:{name}"
    assert body["title"] == DOMAIN_ERRORS[name].title
    assert body["detail"] == DOMAIN_ERRORS[name].detail
    assert body["request_id"] == response.headers["X-Request-ID"]


def test_a_domain_validation_error_lists_its_field_errors(client: FlaskClient) -> None:
    response = client.get("/api/mapping-probe/domain/validation-error")

    assert response.get_json()["errors"] == {"price": ["Must be >= 0."]}


def test_an_authentication_error_asks_for_a_bearer_token(client: FlaskClient) -> None:
    response = client.get("/api/mapping-probe/domain/unauthorized")

    assert response.headers["WWW-Authenticate"] == 'Bearer realm="stockroom"'


def test_a_bare_401_on_the_api_asks_for_a_bearer_token(client: FlaskClient) -> None:
    response = client.get("/api/mapping-probe/unauthorized")

    assert response.status_code == 401
    assert response.mimetype == "application/problem+json"
    assert response.headers["WWW-Authenticate"] == 'Bearer realm="stockroom"'


def test_an_unavailable_service_says_when_to_retry(client: FlaskClient) -> None:
    response = client.get("/api/mapping-probe/domain/service-unavailable")

    assert response.headers["Retry-After"] == "7"


def test_a_lost_database_connection_is_a_503_problem(client: FlaskClient) -> None:
    response = client.get("/api/mapping-probe/database/refused")

    assert response.status_code == 503
    assert response.mimetype == "application/problem+json"
    assert response.headers["Retry-After"] == "5"
    assert response.get_json()["type"] == "urn:stockroom:problem:service-unavailable"


def test_any_other_database_error_is_a_500_problem_without_the_sql(client: FlaskClient) -> None:
    response = client.get("/api/mapping-probe/database/syntax")

    assert response.status_code == 500
    assert response.mimetype == "application/problem+json"
    assert "SELEC" not in response.get_data(as_text=True)


@pytest.mark.parametrize("app_overrides", [{"RATELIMIT_ENABLED": True}])
def test_going_over_the_rate_limit_is_a_429_problem_with_retry_after(
    client: FlaskClient,
) -> None:
    responses = [client.get("/api/mapping-probe/limited") for _ in range(3)]

    assert [response.status_code for response in responses] == [204, 204, 429]
    limited = responses[-1]
    assert limited.mimetype == "application/problem+json"
    assert limited.get_json()["status"] == 429
    assert int(limited.headers["Retry-After"]) > 0
    assert limited.headers["X-RateLimit-Limit"] == "2"
    assert limited.headers["X-RateLimit-Remaining"] == "0"


def test_a_crash_outside_the_api_is_an_html_500_without_internals(client: FlaskClient) -> None:
    response = client.get("/crash-page")

    assert response.status_code == 500
    assert response.mimetype == "text/html"
    assert "page internals" not in response.get_data(as_text=True)

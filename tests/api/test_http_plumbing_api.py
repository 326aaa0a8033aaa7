"""HTTP plumbing on every response: request ids, security headers, method override.

A probe blueprint, registered only on this module's app, answers with the method it saw.
"""

import re
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask, Response, request
from flask.testing import FlaskClient
from flask_openapi3.blueprint import APIBlueprint

from app.api.auth import public
from app.api.responses import render_data
from app.http.security_headers import API_CSP, COMMON_HEADERS, HSTS, PAGE_CSP, PAGE_HEADERS
from tests.conftest import make_test_app

MADE_ID = re.compile(r"^[0-9a-f]{32}$")

probe = APIBlueprint("plumbing_probe", __name__, url_prefix="/api/plumbing-probe")


def echo_method() -> Response:
    """Answer with the method the route saw."""
    return render_data({"method": request.method})


for verb in ("get", "post", "put", "patch", "delete"):
    getattr(probe, verb)("/echo", operation_id=f"echo_{verb}")(public(echo_method))


@pytest.fixture
def app(app_overrides: dict[str, Any]) -> Iterator[Flask]:
    """An app with the probe routes."""
    app = make_test_app("sqlite://", **app_overrides)
    app.register_api(probe)  # type: ignore[attr-defined]
    with app.app_context():
        yield app


def test_a_request_id_is_made_when_none_is_sent(client: FlaskClient) -> None:
    response = client.get("/api/health")

    assert MADE_ID.match(response.headers["X-Request-ID"])


def test_each_request_gets_its_own_id(client: FlaskClient) -> None:
    first = client.get("/api/health").headers["X-Request-ID"]
    second = client.get("/api/health").headers["X-Request-ID"]

    assert first != second


def test_a_safe_request_id_from_the_caller_is_echoed(client: FlaskClient) -> None:
    response = client.get("/api/health", headers={"X-Request-ID": "lb-7:trace_42.A-b"})

    assert response.headers["X-Request-ID"] == "lb-7:trace_42.A-b"


@pytest.mark.parametrize(
    "unsafe", ["two words", "x" * 129, "<script>alert(1)</script>", "a;b=c", '"quoted"']
)
def test_an_unsafe_request_id_is_replaced_by_a_made_one(client: FlaskClient, unsafe: str) -> None:
    response = client.get("/api/health", headers={"X-Request-ID": unsafe})

    assert MADE_ID.match(response.headers["X-Request-ID"])


def test_a_request_id_ending_in_a_newline_is_replaced(client: FlaskClient) -> None:
    response = client.get("/api/health", environ_base={"HTTP_X_REQUEST_ID": "abc\n"})

    assert response.status_code == 200
    assert MADE_ID.match(response.headers["X-Request-ID"])


@pytest.mark.parametrize("path", ["/api/nope", "/nope", "/metrics", "/api/docs"])
def test_every_kind_of_response_carries_a_request_id(client: FlaskClient, path: str) -> None:
    response = client.get(path, headers={"X-Request-ID": "abc-1"})

    assert response.headers["X-Request-ID"] == "abc-1"


@pytest.mark.parametrize("path", ["/api/health", "/api/nope", "/api/openapi.json", "/metrics"])
def test_api_and_machine_responses_get_the_strict_csp(client: FlaskClient, path: str) -> None:
    response = client.get(path)

    assert response.headers["Content-Security-Policy"] == API_CSP
    for name, value in COMMON_HEADERS.items():
        assert response.headers[name] == value
    for name in PAGE_HEADERS:  # document-only headers: nothing for a browser to apply
        assert name not in response.headers


@pytest.mark.parametrize("path", ["/api/docs", "/nope"])
def test_html_pages_get_the_page_csp(client: FlaskClient, path: str) -> None:
    response = client.get(path)

    assert response.mimetype == "text/html"
    assert response.headers["Content-Security-Policy"] == PAGE_CSP
    for name, value in {**COMMON_HEADERS, **PAGE_HEADERS}.items():
        assert response.headers[name] == value


def test_hsts_is_off_while_cookies_may_travel_over_http(client: FlaskClient) -> None:
    assert "Strict-Transport-Security" not in client.get("/api/health").headers


def test_hsts_is_on_when_cookies_are_https_only() -> None:
    secure = make_test_app("sqlite://", SESSION_COOKIE_SECURE=True)

    response = secure.test_client().get("/api/health")

    assert response.headers["Strict-Transport-Security"] == HSTS


@pytest.mark.parametrize("wanted", ["PUT", "PATCH", "DELETE", "patch"])
def test_a_post_with_a_method_override_runs_as_that_method(
    client: FlaskClient, wanted: str
) -> None:
    response = client.post("/api/plumbing-probe/echo", headers={"X-HTTP-Method-Override": wanted})

    assert response.status_code == 200
    assert response.get_json() == {"data": {"method": wanted.upper()}}


def test_a_get_with_a_method_override_stays_a_get(client: FlaskClient) -> None:
    response = client.get("/api/plumbing-probe/echo", headers={"X-HTTP-Method-Override": "DELETE"})

    assert response.get_json() == {"data": {"method": "GET"}}


@pytest.mark.parametrize("wanted", ["GET", "TRACE", "CONNECT"])
def test_a_post_cannot_be_overridden_to_another_method(client: FlaskClient, wanted: str) -> None:
    response = client.post("/api/plumbing-probe/echo", headers={"X-HTTP-Method-Override": wanted})

    assert response.get_json() == {"data": {"method": "POST"}}


def test_a_plain_post_stays_a_post(client: FlaskClient) -> None:
    response = client.post("/api/plumbing-probe/echo")

    assert response.get_json() == {"data": {"method": "POST"}}

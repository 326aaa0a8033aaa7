"""The plumbing middleware's observers (access log, metrics), header rules, and sessions."""

import logging
from typing import Any

import orjson
import pytest
from flask import Flask, session
from flask.testing import FlaskClient
from prometheus_client import REGISTRY

from app.http.json_logging import ACCESS_LOGGER, JsonFormatter
from app.http.security_headers import API_CSP, PAGE_CSP, finish_headers
from tests.conftest import make_test_app

FIXED = [("X-Frame-Options", "DENY")]


@pytest.fixture
def app_overrides() -> dict[str, Any]:
    return {"ACCESS_LOG": True}


def access_records(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [record for record in caplog.records if record.name == ACCESS_LOGGER]


def test_each_request_logs_one_access_line_with_its_request_id(
    client: FlaskClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger=ACCESS_LOGGER):
        response = client.get("/api/health", headers={"X-Request-ID": "trace-1"})

    [record] = access_records(caplog)
    fields = orjson.loads(JsonFormatter().format(record))
    assert fields["msg"] == "request"
    assert fields["method"] == "GET"
    assert fields["path"] == "/api/health"
    assert fields["status"] == 200
    assert fields["request_id"] == response.headers["X-Request-ID"] == "trace-1"
    assert fields["duration_ms"] >= 0


def test_an_unknown_path_is_logged_with_its_status(
    client: FlaskClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger=ACCESS_LOGGER):
        client.get("/api/nope")

    [record] = access_records(caplog)
    assert (record.path, record.status) == ("/api/nope", 404)  # type: ignore[attr-defined]


def test_no_access_line_is_logged_when_the_access_log_is_off(
    caplog: pytest.LogCaptureFixture,
) -> None:
    quiet = make_test_app("sqlite://", ACCESS_LOG=False)

    with caplog.at_level(logging.INFO, logger=ACCESS_LOGGER):
        quiet.test_client().get("/api/health")

    assert access_records(caplog) == []


def requests_counted(endpoint: str, status: str) -> float:
    labels = {"method": "GET", "endpoint": endpoint, "status": status}
    return REGISTRY.get_sample_value("stockroom_http_requests_total", labels) or 0.0


@pytest.mark.parametrize(
    ("path", "endpoint", "status"),
    [("/api/health", "api.health.get_health", "200"), ("/api/nope", "unmatched", "404")],
)
def test_each_request_is_counted_by_endpoint_and_status(
    client: FlaskClient, path: str, endpoint: str, status: str
) -> None:
    before = requests_counted(endpoint, status)

    client.get(path)

    assert requests_counted(endpoint, status) == before + 1


def test_a_security_header_the_view_set_is_replaced_not_doubled() -> None:
    headers = finish_headers(FIXED, [("x-frame-options", "SAMEORIGIN")])

    assert [value for name, value in headers if name.lower() == "x-frame-options"] == ["DENY"]


def test_a_json_response_keeps_a_page_header_its_view_set() -> None:
    page_only = [("Referrer-Policy", "no-referrer")]
    given = [("Content-Type", "application/json"), ("Referrer-Policy", "same-origin")]

    headers = finish_headers(FIXED, given, page_only)

    assert [value for name, value in headers if name == "Referrer-Policy"] == ["same-origin"]


def test_an_html_response_gets_the_page_headers_in_place_of_the_views() -> None:
    page_only = [("Referrer-Policy", "no-referrer")]
    given = [("Content-Type", "text/html; charset=utf-8"), ("referrer-policy", "unsafe-url")]

    headers = finish_headers(FIXED, given, page_only)

    assert [v for n, v in headers if n.lower() == "referrer-policy"] == ["no-referrer"]


def test_a_csp_the_view_set_is_kept() -> None:
    own = "default-src 'self'"

    headers = dict(finish_headers(FIXED, [("Content-Security-Policy", own)]))

    assert headers["Content-Security-Policy"] == own


@pytest.mark.parametrize(
    ("content_type", "csp"),
    [("text/html; charset=utf-8", PAGE_CSP), ("application/json", API_CSP), (None, API_CSP)],
)
def test_the_csp_follows_the_content_type(content_type: str | None, csp: str) -> None:
    given = [("Content-Type", content_type)] if content_type else []

    assert dict(finish_headers(FIXED, given))["Content-Security-Policy"] == csp


@pytest.fixture
def counting_app() -> Flask:
    app = make_test_app("sqlite://")

    def count_visits() -> dict[str, int]:
        session["visits"] = session.get("visits", 0) + 1
        return {"visits": session["visits"]}

    app.add_url_rule("/visits", "visits", count_visits)
    return app


def test_a_session_cookie_still_round_trips(counting_app: Flask) -> None:
    client = counting_app.test_client()

    client.get("/visits")
    response = client.get("/visits")

    assert response.get_json() == {"visits": 2}


def test_a_cookie_signed_with_an_old_key_is_not_trusted(counting_app: Flask) -> None:
    client = counting_app.test_client()
    client.get("/visits")

    counting_app.secret_key = "another-secret-key-that-is-long-enough-1234"
    response = client.get("/visits")

    assert response.get_json() == {"visits": 1}


def test_a_request_without_cookies_gets_no_session_cookie(client: FlaskClient) -> None:
    response = client.get("/api/health")

    assert "Set-Cookie" not in response.headers
    assert "Vary" not in response.headers

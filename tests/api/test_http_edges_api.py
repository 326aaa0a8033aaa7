"""HTTP plumbing at its edges: proxies, rate-limit keys, views' own headers, forms, JSON.

A probe blueprint, registered only on this module's app, shows what a view sees.
"""

import hashlib
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from flask import Flask, Response, request
from flask.testing import FlaskClient
from flask_openapi3.blueprint import APIBlueprint
from pydantic import BaseModel

from app.api.auth import public
from app.api.responses import render_data
from app.extensions import rate_limit_key
from app.http.json_provider import dumps_bytes
from tests.conftest import make_test_app

probe = APIBlueprint("edge_probe", __name__, url_prefix="/api/edge-probe")


class NoteForm(BaseModel):
    """A form with one field."""

    note: str


@probe.get("/client")
@public
def describe_client() -> Response:
    """Answer with the caller's address and scheme as the app sees them."""
    return render_data({"remote_addr": request.remote_addr, "scheme": request.scheme})


@probe.get("/framed")
@public
def framed_page() -> Response:
    """Answer with a view-chosen CSP and frame policy."""
    return Response(
        "<p>hi</p>",
        mimetype="text/html",
        headers={"Content-Security-Policy": "default-src 'self'", "X-Frame-Options": "SAMEORIGIN"},
    )


@probe.post("/notes")
@public
def create_note(form: NoteForm) -> Response:
    """Echo a form field."""
    return render_data({"note": form.note}, 201)


@pytest.fixture
def app(app_overrides: dict[str, Any]) -> Iterator[Flask]:
    """An app with the probe routes."""
    app = make_test_app("sqlite://", **app_overrides)
    app.register_api(probe)  # type: ignore[attr-defined]
    with app.app_context():
        yield app


FORWARDED = {"X-Forwarded-For": "203.0.113.9", "X-Forwarded-Proto": "https"}


def test_forwarded_headers_are_ignored_without_proxy_fix(client: FlaskClient) -> None:
    response = client.get("/api/edge-probe/client", headers=FORWARDED)

    assert response.get_json()["data"] == {"remote_addr": "127.0.0.1", "scheme": "http"}


@pytest.mark.parametrize("app_overrides", [{"PROXY_FIX_X_FOR": 1}])
def test_forwarded_headers_are_trusted_with_proxy_fix(client: FlaskClient) -> None:
    response = client.get("/api/edge-probe/client", headers=FORWARDED)

    assert response.get_json()["data"] == {"remote_addr": "203.0.113.9", "scheme": "https"}


def test_rate_limits_key_a_bearer_caller_by_a_hash_of_the_token(app: Flask) -> None:
    with app.test_request_context(headers={"Authorization": "Bearer secret-token"}):
        key = rate_limit_key()

    assert key == "token:" + hashlib.sha256(b"secret-token").hexdigest()[:32]
    assert "secret-token" not in key


@pytest.mark.parametrize("authorization", [None, "Basic dXNlcjpwYXNz", "Bearer"])
def test_rate_limits_key_other_callers_by_address(app: Flask, authorization: str | None) -> None:
    headers = {"Authorization": authorization} if authorization else {}

    with app.test_request_context(headers=headers, environ_base={"REMOTE_ADDR": "198.51.100.4"}):
        assert rate_limit_key() == "ip:198.51.100.4"


def test_a_view_keeps_its_own_csp_but_not_a_weaker_frame_policy(client: FlaskClient) -> None:
    response = client.get("/api/edge-probe/framed")

    assert response.headers["Content-Security-Policy"] == "default-src 'self'"
    assert response.headers.getlist("X-Frame-Options") == ["DENY"]


def test_a_form_route_accepts_a_form(client: FlaskClient) -> None:
    response = client.post("/api/edge-probe/notes", data={"note": "hello"})

    assert response.status_code == 201
    assert response.get_json() == {"data": {"note": "hello"}}


def test_a_form_route_refuses_json_with_a_415_problem(client: FlaskClient) -> None:
    response = client.post("/api/edge-probe/notes", json={"note": "hello"})

    assert response.status_code == 415
    assert response.mimetype == "application/problem+json"
    assert response.get_json()["detail"] == "Send this request as multipart/form-data."


def test_decimals_are_written_as_strings() -> None:
    assert dumps_bytes({"price": Decimal("12.50")}) == b'{"price":"12.50"}'


def test_values_json_cannot_hold_are_refused() -> None:
    with pytest.raises(TypeError, match="not JSON serializable: PosixPath"):
        dumps_bytes({"file": Path("/tmp")})  # noqa: S108 - never touched


def test_the_app_reads_and_writes_json_with_orjson(app: Flask) -> None:
    text = app.json.dumps({"price": Decimal("1.00"), "tags": ["a"]})

    assert text == '{"price":"1.00","tags":["a"]}'
    assert app.json.loads(text) == {"price": "1.00", "tags": ["a"]}


def test_metrics_add_up_every_worker_when_multiprocess_is_on(
    client: FlaskClient, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path))

    response = client.get("/metrics")

    # No worker has written a metrics file into the directory yet, so nothing to add up.
    assert response.status_code == 200
    assert "stockroom_http_requests_total" not in response.get_data(as_text=True)

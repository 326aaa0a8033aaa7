"""Logs, metrics and the API description: JSON log lines, /metrics, OpenAPI and docs.

Log lines are read as the JsonFormatter writes them to standard error (`capsys`).
"""

import json
import logging
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask, Response
from flask.testing import FlaskClient
from flask_openapi3.blueprint import APIBlueprint
from prometheus_client.parser import text_string_to_metric_families

from app.api.auth import public
from app.api.responses import render_data
from tests.conftest import make_test_app

METRICS_TOKEN = "scrape-" + "t" * 32

probe = APIBlueprint("log_probe", __name__, url_prefix="/api/log-probe")


@probe.get("")
@public
def log_something() -> Response:
    """Log a line from inside a request, as a service would."""
    logging.getLogger("app.log_probe").warning("inside the request")
    return render_data({"logged": True})


@pytest.fixture
def app_overrides() -> dict[str, Any]:
    """Turn the access log on (TestingConfig keeps it off)."""
    return {"ACCESS_LOG": True}


@pytest.fixture
def app(app_overrides: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> Iterator[Flask]:
    """An app with the logging probe; metrics from this process only."""
    monkeypatch.delenv("PROMETHEUS_MULTIPROC_DIR", raising=False)
    app = make_test_app("sqlite://", **app_overrides)
    app.register_api(probe)  # type: ignore[attr-defined]
    with app.app_context():
        yield app


def json_lines(capsys: pytest.CaptureFixture[str], logger: str | None = None) -> list[Any]:
    """Parse the JSON log lines written to stderr so far (of one logger, if given)."""
    lines = [json.loads(line) for line in capsys.readouterr().err.splitlines() if line]
    return [line for line in lines if logger is None or line["logger"] == logger]


def requests_counted(client: FlaskClient, endpoint: str, status: str = "200") -> float:
    """Read stockroom_http_requests_total for a GET of `endpoint` from /metrics."""
    text = client.get("/metrics").get_data(as_text=True)
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            labels = sample.labels
            if sample.name == "stockroom_http_requests_total" and labels == {
                "method": "GET",
                "endpoint": endpoint,
                "status": status,
            }:
                return sample.value
    return 0.0


def test_each_request_writes_exactly_one_access_line(
    client: FlaskClient, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()

    response = client.get("/api/health?probe=1", headers={"X-Request-ID": "access-1"})

    [line] = json_lines(capsys, "stockroom.access")
    assert line["msg"] == "request"
    assert line["level"] == "INFO"
    assert line["method"] == "GET"
    assert line["path"] == "/api/health"
    assert line["status"] == response.status_code == 200
    assert line["request_id"] == "access-1"
    assert isinstance(line["duration_ms"], float)
    assert line["duration_ms"] >= 0


def test_error_responses_are_logged_with_their_status(
    client: FlaskClient, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()

    client.delete("/api/health")

    [line] = json_lines(capsys, "stockroom.access")
    assert (line["method"], line["status"]) == ("DELETE", 405)


@pytest.mark.parametrize("app_overrides", [{"ACCESS_LOG": False}])
def test_no_access_line_is_written_when_the_access_log_is_off(
    client: FlaskClient, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()

    client.get("/api/health")

    assert json_lines(capsys, "stockroom.access") == []


@pytest.fixture
def root_level() -> Iterator[None]:
    """Put the root logger's level back after a test that changes LOG_LEVEL."""
    level = logging.getLogger().level
    yield
    logging.getLogger().setLevel(level)


@pytest.mark.parametrize("app_overrides", [{"ACCESS_LOG": True, "LOG_LEVEL": "warning"}])
@pytest.mark.usefixtures("root_level")
def test_a_log_level_above_info_silences_the_access_log(
    client: FlaskClient, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()

    client.get("/api/log-probe")

    assert [line["logger"] for line in json_lines(capsys)] == ["app.log_probe"]


def test_every_line_logged_during_a_request_carries_its_request_id(
    client: FlaskClient, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()

    client.get("/api/log-probe", headers={"X-Request-ID": "trace-42"})

    lines = json_lines(capsys)
    assert [line["logger"] for line in lines] == ["app.log_probe", "stockroom.access"]
    assert {line["request_id"] for line in lines} == {"trace-42"}
    assert lines[0]["msg"] == "inside the request"
    assert lines[0]["level"] == "WARNING"
    assert lines[0]["ts"].endswith("Z")


def test_metrics_count_requests_by_endpoint(client: FlaskClient) -> None:
    before = requests_counted(client, "api.health.get_health")

    client.get("/api/health")
    client.get("/api/health")

    assert requests_counted(client, "api.health.get_health") == before + 2


def test_metrics_count_unrouted_requests_as_unmatched(client: FlaskClient) -> None:
    before = requests_counted(client, "unmatched", "404")

    client.get("/api/nope")

    assert requests_counted(client, "unmatched", "404") == before + 1


@pytest.mark.parametrize("app_overrides", [{"METRICS_TOKEN": METRICS_TOKEN}])
@pytest.mark.parametrize("authorization", [None, "Bearer wrong-token", METRICS_TOKEN[:-1]])
def test_metrics_need_the_token_when_one_is_set(
    client: FlaskClient, authorization: str | None
) -> None:
    headers = {"Authorization": authorization} if authorization else {}

    response = client.get("/metrics", headers=headers)

    assert response.status_code == 401


@pytest.mark.parametrize("app_overrides", [{"METRICS_TOKEN": METRICS_TOKEN}])
def test_metrics_answer_with_the_token(client: FlaskClient) -> None:
    response = client.get("/metrics", headers={"Authorization": f"Bearer {METRICS_TOKEN}"})

    assert response.status_code == 200
    assert response.mimetype == "text/plain"
    assert "stockroom_http_requests_total" in response.get_data(as_text=True)


@pytest.mark.parametrize("app_overrides", [{"METRICS_ENABLED": False}])
def test_metrics_can_be_turned_off(client: FlaskClient) -> None:
    assert client.get("/metrics").status_code == 404


def test_the_openapi_document_is_version_3_1_and_describes_health(client: FlaskClient) -> None:
    response = client.get("/api/openapi.json")

    assert response.status_code == 200
    document = response.get_json()
    assert document["openapi"].startswith("3.1")
    assert document["info"]["title"] == "Stockroom API"
    assert "get" in document["paths"]["/api/health"]
    assert "Problem" in document["components"]["schemas"]


def test_the_openapi_document_describes_every_error_as_a_problem(client: FlaskClient) -> None:
    document = client.get("/api/openapi.json").get_json()

    error_bodies = [
        response.get("content")
        for path_item in document["paths"].values()
        for operation in path_item.values()
        for status, response in operation.get("responses", {}).items()
        if status[0] in "45"
    ]
    assert error_bodies
    problem = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
    assert all(body == problem for body in error_bodies)


def test_the_api_docs_page_is_html(client: FlaskClient) -> None:
    response = client.get("/api/docs")

    assert response.status_code == 200
    assert response.mimetype == "text/html"
    assert "openapi.json" in response.get_data(as_text=True)

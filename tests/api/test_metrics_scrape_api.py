"""With answers waiting in memory (production), /metrics and a worker's exit write them first.

The app's own in-process metrics are read from the registry, so it shows exactly what has
been written so far.
"""

import runpy
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from prometheus_client import REGISTRY

from app.http.plumbing import plumbing

HEALTH = {"method": "GET", "endpoint": "api.health.get_health", "status": "200"}
GUNICORN_CONF = Path(__file__).resolve().parents[2] / "gunicorn.conf.py"


@pytest.fixture
def waiting(app: Flask) -> Iterator[None]:
    """Let answers wait as in production, with a timer that never fires during a test."""
    answers = plumbing(app).answers
    answers.wait_seconds = 600
    yield
    answers.flush()
    answers.wait_seconds = 0


def health_requests() -> float:
    return REGISTRY.get_sample_value("stockroom_http_requests_total", HEALTH) or 0.0


def scraped_health_requests(client: FlaskClient) -> float:
    text = client.get("/metrics").get_data(as_text=True)
    wanted = (
        'stockroom_http_requests_total{endpoint="api.health.get_health",method="GET",status="200"}'
    )
    [line] = [line for line in text.splitlines() if line.startswith(wanted)]
    return float(line.rsplit(" ", 1)[1])


@pytest.mark.usefixtures("waiting")
def test_a_scrape_shows_every_request_answered_before_it(client: FlaskClient) -> None:
    before = health_requests()

    client.get("/api/health")
    client.get("/api/health")

    assert health_requests() == before  # still waiting in memory
    assert scraped_health_requests(client) == before + 2


@pytest.mark.usefixtures("waiting")
def test_a_worker_writes_what_waits_when_it_exits(client: FlaskClient) -> None:
    worker_exit = runpy.run_path(str(GUNICORN_CONF))["worker_exit"]
    before = health_requests()
    client.get("/api/health")
    assert health_requests() == before

    worker_exit(None, None)

    assert health_requests() == before + 1


def test_in_development_each_request_is_counted_at_once(client: FlaskClient) -> None:
    before = health_requests()

    client.get("/api/health")

    assert health_requests() == before + 1

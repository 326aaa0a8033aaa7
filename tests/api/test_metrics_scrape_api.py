"""With batched metrics (multiprocess mode), /metrics and a worker's exit write them first.

The batches here sit on the app's own in-process metrics, so the registry shows exactly
what has been written so far.
"""

import runpy
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from prometheus_client import REGISTRY

from app.http import metrics
from app.http.metric_batches import MetricBatches

HEALTH = {"method": "GET", "endpoint": "api.health.get_health", "status": "200"}
GUNICORN_CONF = Path(__file__).resolve().parents[2] / "gunicorn.conf.py"


@pytest.fixture
def batches(monkeypatch: pytest.MonkeyPatch) -> Iterator[MetricBatches]:
    """Batch the app's metrics as multiprocess mode does, with a timer that never fires here."""
    batches = MetricBatches(metrics.children_of, (*metrics.BUCKETS, float("inf")), interval=600)
    monkeypatch.setattr(metrics, "BATCHES", batches)
    yield batches
    batches.flush()


def health_requests() -> float:
    return REGISTRY.get_sample_value("stockroom_http_requests_total", HEALTH) or 0.0


def scraped_health_requests(client: FlaskClient) -> float:
    text = client.get("/metrics").get_data(as_text=True)
    wanted = (
        'stockroom_http_requests_total{endpoint="api.health.get_health",method="GET",status="200"}'
    )
    [line] = [line for line in text.splitlines() if line.startswith(wanted)]
    return float(line.rsplit(" ", 1)[1])


def test_a_scrape_shows_every_request_answered_before_it(
    client: FlaskClient, batches: MetricBatches
) -> None:
    client.get("/api/health")
    batches.flush()
    before = health_requests()

    client.get("/api/health")
    client.get("/api/health")

    assert health_requests() == before  # still in the batch
    assert scraped_health_requests(client) == before + 2


@pytest.mark.usefixtures("batches")
def test_a_worker_writes_its_batches_when_it_exits(
    client: FlaskClient, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path))
    worker_exit = runpy.run_path(str(GUNICORN_CONF))["worker_exit"]
    before = health_requests()
    client.get("/api/health")

    worker_exit(None, None)

    assert health_requests() == before + 1

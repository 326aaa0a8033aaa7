"""Batched request metrics, on real multiprocess-mode values (memory-mapped files).

Batches reach the files only when flushed (by the scrape, a timer or the exit), then
read exactly as if every request had been observed one by one; a forked child never
writes its parent's batches.
"""

import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from prometheus_client import CollectorRegistry, Counter, Histogram, multiprocess, values

from app.http.metric_batches import Key, MetricBatches
from app.http.metrics import BUCKETS

BOUNDS = (*BUCKETS, float("inf"))
# One request of each: under the first bound, between two, on a bound, over the last.
REQUESTS: list[tuple[Key, float]] = [
    (("GET", "api.health.get_health", 200), 0.0004),
    (("GET", "api.health.get_health", 200), 0.003),
    (("GET", "api.health.get_health", 200), 0.01),
    (("POST", "api.products.create_product", 201), 7.5),
    (("GET", "unmatched", 404), 0.0002),
]

Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]


@pytest.fixture
def directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Multiprocess mode, as gunicorn workers run it: values are memory-mapped files."""
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path))
    monkeypatch.setattr(values, "ValueClass", values.MultiProcessValue())
    return tmp_path


def make_metrics(prefix: str) -> Callable[[Key], tuple[Any, Any]]:
    """A request counter and latency histogram like the app's, under other names."""
    counter = Counter(
        f"{prefix}_requests", "Requests.", ["method", "endpoint", "status"], registry=None
    )
    histogram = Histogram(
        f"{prefix}_seconds", "Latency.", ["method", "endpoint"], buckets=BUCKETS, registry=None
    )

    def children_of(key: Key) -> tuple[Any, Any]:
        method, endpoint, status = key
        return counter.labels(method, endpoint, str(status)), histogram.labels(method, endpoint)

    return children_of


def scrape(directory: Path, prefix: str) -> Samples:
    """Read every process's files as /metrics does; keep `prefix`'s samples, unprefixed."""
    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry, path=str(directory))  # type: ignore[no-untyped-call]
    return {
        (sample.name.removeprefix(prefix), tuple(sorted(sample.labels.items()))): sample.value
        for metric in registry.collect()
        for sample in metric.samples
        if sample.name.startswith(prefix)
    }


def test_batches_reach_the_files_only_when_flushed_then_read_as_observed_ones(
    directory: Path,
) -> None:
    observed = make_metrics("observed")
    batches = MetricBatches(make_metrics("batched"), BOUNDS, interval=60)
    for key, seconds in REQUESTS:
        counter, histogram = observed(key)
        counter.inc()
        histogram.observe(seconds)
        batches.add(key, seconds)

    assert scrape(directory, "batched") == {}

    batches.flush()

    assert scrape(directory, "batched") == scrape(directory, "observed") != {}


def test_a_timer_writes_the_batches_within_the_interval(directory: Path) -> None:
    batches = MetricBatches(make_metrics("timed"), BOUNDS, interval=0.05)
    key, seconds = REQUESTS[0]

    batches.add(key, seconds)

    deadline = time.monotonic() + 5
    while not scrape(directory, "timed") and time.monotonic() < deadline:
        time.sleep(0.02)
    count = ("_requests_total", (("endpoint", key[1]), ("method", "GET"), ("status", "200")))
    assert scrape(directory, "timed")[count] == 1


def test_a_forked_child_never_writes_its_parents_batches(directory: Path) -> None:
    batches = MetricBatches(make_metrics("forked"), BOUNDS, interval=60)
    batches.keep_until_exit()
    key, seconds = REQUESTS[0]
    batches.add(key, seconds)
    batches.add(key, seconds)

    child = os.fork()
    if child == 0:  # the child: write whatever it holds, then leave at once
        batches.flush()
        os._exit(0)
    os.waitpid(child, 0)
    batches.flush()

    count = ("_requests_total", (("endpoint", key[1]), ("method", "GET"), ("status", "200")))
    assert scrape(directory, "forked")[count] == 2

"""Request metrics written a batch at a time read exactly as if observed one by one.

On real multiprocess-mode values (memory-mapped files), as gunicorn workers run them.
"""

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from prometheus_client import CollectorRegistry, Counter, Histogram, multiprocess, values

from app.http import metrics
from app.http.answers import Answer
from app.http.metrics import BUCKETS, Key, observe_answers

# One request of each: under the first bound, between two, on a bound, over the last,
# a lower-case method, and one that matched no route.
ANSWERS = [
    Answer(0.0, "GET", "/api/health", "api.health.get_health", 200, 0.0004, "a"),
    Answer(0.0, "GET", "/api/health", "api.health.get_health", 200, 0.003, "b"),
    Answer(0.0, "get", "/api/health", "api.health.get_health", 200, 0.01, "c"),
    Answer(0.0, "POST", "/api/products", "api.products.create_product", 201, 7.5, "d"),
    Answer(0.0, "GET", "/api/nope", None, 404, 0.0002, "e"),
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


def test_a_batch_reads_as_the_same_requests_observed_one_by_one(
    directory: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    observed = make_metrics("observed")
    for each in ANSWERS:
        counter, histogram = observed(
            (each.method.upper(), each.endpoint or "unmatched", each.status)
        )
        counter.inc()
        histogram.observe(each.seconds)
    monkeypatch.setattr(metrics, "children_of", make_metrics("batched"))

    observe_answers(ANSWERS[:2])
    observe_answers(ANSWERS[2:])

    batched = scrape(directory, "batched")
    assert batched == scrape(directory, "observed")
    count = (
        "_requests_total",
        (("endpoint", "api.health.get_health"), ("method", "GET"), ("status", "200")),
    )
    assert batched[count] == 3
    unmatched = (
        "_requests_total",
        (("endpoint", "unmatched"), ("method", "GET"), ("status", "404")),
    )
    assert batched[unmatched] == 1

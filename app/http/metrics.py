"""Prometheus metrics: request count and latency by endpoint, served at `/metrics`.

Under gunicorn with several workers, set PROMETHEUS_MULTIPROC_DIR (as `make run` does) so
`/metrics` adds up every worker's numbers instead of showing one worker's. Requests reach
the metrics in batches (`app.http.answers`): `/metrics` first writes the answering
worker's waiting requests, so it is exact for that worker and at most
ACCESS_LOG_FLUSH_SECONDS behind for the others.
"""

import hmac
import os
from bisect import bisect_left
from collections.abc import Sequence
from typing import Any

from flask import Flask, Response, abort, request
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)

from app.http.answers import Answer, flush_all
from app.http.plumbing import plumbing

REQUESTS = Counter(
    "stockroom_http_requests_total",
    "HTTP requests handled, by method, endpoint and status.",
    ["method", "endpoint", "status"],
)
BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)
LATENCY = Histogram(
    "stockroom_http_request_duration_seconds",
    "Time spent handling a request, by method and endpoint.",
    ["method", "endpoint"],
    buckets=BUCKETS,
)
_BOUNDS = (*BUCKETS, float("inf"))
# A request's method, endpoint and status code.
Key = tuple[str, str, int]

# Labelled children, looked up once: `labels()` takes a lock and builds a key each time.
# One entry per (method, endpoint, status): the request counter and the latency histogram.
_children: dict[Key, tuple[Any, Any]] = {}


def children_of(key: Key) -> tuple[Any, Any]:
    """Return the request counter's and latency histogram's children for `key`."""
    children = _children.get(key)
    if children is None:
        method, endpoint, status = key
        children = (
            REQUESTS.labels(method, endpoint, str(status)),
            LATENCY.labels(method, endpoint),
        )
        _children[key] = children
    return children


def observe_answers(answers: Sequence[Answer]) -> None:
    """Count and time answered requests (the plumbing's observer, a batch at a time).

    The batch is added up in plain Python first, then written once per label set: in
    multiprocess mode every `inc` takes a lock, asks for the process id and writes to a
    memory-mapped file, so a batch costs a few writes instead of three per request.
    The registry reads exactly as if every request had been observed one by one.
    """
    sums: dict[Key, list[Any]] = {}
    bounds, size = _BOUNDS, len(_BOUNDS)
    for answer in answers:
        key = (answer.method.upper(), answer.endpoint or "unmatched", answer.status)
        entry = sums.get(key)
        if entry is None:
            entry = sums[key] = [0, 0.0] + [0] * size
        entry[0] += 1
        entry[1] += answer.seconds
        # As Histogram.observe: the first bucket whose upper bound is >= the amount.
        entry[2 + bisect_left(bounds, answer.seconds)] += 1
    for key, entry in sums.items():
        counter, histogram = children_of(key)
        counter.inc(entry[0])
        # The histogram child's own values: `observe` has no way to add many at once.
        histogram._sum.inc(entry[1])
        for value, count in zip(histogram._buckets, entry[2:], strict=True):
            if count:
                value.inc(count)


def _registry() -> CollectorRegistry:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        return registry
    return REGISTRY


def init_app(app: Flask) -> None:
    """Count and time every request; serve `/metrics` (behind METRICS_TOKEN when set)."""
    if not app.config["METRICS_ENABLED"]:
        return
    plumbing(app).observers.append(observe_answers)
    token = app.config.get("METRICS_TOKEN")

    def metrics() -> Response:
        if token:
            given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
            if not hmac.compare_digest(given.encode(), token.encode()):
                abort(401)
        flush_all()  # this worker's waiting requests first, so the scrape is exact for it
        return Response(generate_latest(_registry()), headers={"Content-Type": CONTENT_TYPE_LATEST})

    app.add_url_rule("/metrics", "metrics", metrics, methods=["GET"])

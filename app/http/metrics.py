"""Prometheus metrics: request count and latency by endpoint, served at `/metrics`.

Under gunicorn with several workers, set PROMETHEUS_MULTIPROC_DIR (as `make run` does) so
`/metrics` adds up every worker's numbers instead of showing one worker's. In that mode
each worker adds its requests up in memory and writes them out in batches (see
`app.http.metric_batches`): `/metrics` is exact for the worker that answers it and at most
FLUSH_SECONDS behind for the others.
"""

import hmac
import os
from typing import TYPE_CHECKING, Any

from flask import Flask, Request, Response, abort, request
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
    values,
)

from app.http.metric_batches import Key, MetricBatches
from app.http.plumbing import plumbing

if TYPE_CHECKING:
    from _typeshed.wsgi import WSGIEnvironment

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
# In multiprocess mode, how long a request may stay unwritten to this worker's file.
FLUSH_SECONDS = 1.0

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


# Written in batches only when every write would reach a memory-mapped file; in-memory
# values are cheap to write and readable straight from the registry.
BATCHES: MetricBatches | None = None
if getattr(values.ValueClass, "_multiprocess", False):
    BATCHES = MetricBatches(children_of, (*BUCKETS, float("inf")), FLUSH_SECONDS)
    BATCHES.keep_until_exit()


def observe_request(
    environ: "WSGIEnvironment", flask_request: Request | None, status: int, seconds: float
) -> None:
    """Count and time one answered request (the plumbing's observer)."""
    endpoint = (flask_request.endpoint if flask_request is not None else None) or "unmatched"
    key = (environ.get("REQUEST_METHOD", "GET").upper(), endpoint, status)
    if BATCHES is not None:
        BATCHES.add(key, seconds)
        return
    counter, histogram = children_of(key)
    counter.inc()
    histogram.observe(seconds)


def flush() -> None:
    """Write this process's batched counts now (before a scrape, at a worker's exit)."""
    if BATCHES is not None:
        BATCHES.flush()


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
    plumbing(app).observers.append(observe_request)
    token = app.config.get("METRICS_TOKEN")

    def metrics() -> Response:
        if token:
            given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
            if not hmac.compare_digest(given.encode(), token.encode()):
                abort(401)
        flush()
        return Response(generate_latest(_registry()), headers={"Content-Type": CONTENT_TYPE_LATEST})

    app.add_url_rule("/metrics", "metrics", metrics, methods=["GET"])

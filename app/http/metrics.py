"""Prometheus metrics: request count and latency by endpoint, served at `/metrics`.

Under gunicorn with several workers, set PROMETHEUS_MULTIPROC_DIR (as `make run` does) so
`/metrics` adds up every worker's numbers instead of showing one worker's.
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
)

from app.http.plumbing import plumbing

if TYPE_CHECKING:
    from _typeshed.wsgi import WSGIEnvironment

REQUESTS = Counter(
    "stockroom_http_requests_total",
    "HTTP requests handled, by method, endpoint and status.",
    ["method", "endpoint", "status"],
)
LATENCY = Histogram(
    "stockroom_http_request_duration_seconds",
    "Time spent handling a request, by method and endpoint.",
    ["method", "endpoint"],
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0),
)


# Labelled children, looked up once: `labels()` takes a lock and builds a key each time.
# One entry per (method, endpoint, status): the request counter and the latency histogram.
_children: dict[tuple[str, str, int], tuple[Any, Any]] = {}


def observe_request(
    environ: "WSGIEnvironment", flask_request: Request | None, status: int, seconds: float
) -> None:
    """Count and time one answered request (the plumbing's observer)."""
    endpoint = (flask_request.endpoint if flask_request is not None else None) or "unmatched"
    key = (environ.get("REQUEST_METHOD", "GET").upper(), endpoint, status)
    children = _children.get(key)
    if children is None:
        children = (REQUESTS.labels(key[0], endpoint, str(status)), LATENCY.labels(*key[:2]))
        _children[key] = children
    children[0].inc()
    children[1].observe(seconds)


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
        return Response(generate_latest(_registry()), headers={"Content-Type": CONTENT_TYPE_LATEST})

    app.add_url_rule("/metrics", "metrics", metrics, methods=["GET"])

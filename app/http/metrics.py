"""Prometheus metrics: request count and latency by endpoint, served at `/metrics`.

Under gunicorn with several workers, set PROMETHEUS_MULTIPROC_DIR (as `make run` does) so
`/metrics` adds up every worker's numbers instead of showing one worker's.
"""

import hmac
import os
import time

from flask import Flask, Response, abort, g, request
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)

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


def _start_timer() -> None:
    g.metrics_started_at = time.perf_counter()


def _observe(response: Response) -> Response:
    started_at = g.get("metrics_started_at")
    endpoint = request.endpoint or "unmatched"
    REQUESTS.labels(request.method, endpoint, str(response.status_code)).inc()
    if started_at is not None:
        LATENCY.labels(request.method, endpoint).observe(time.perf_counter() - started_at)
    return response


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
    app.before_request(_start_timer)
    app.after_request(_observe)
    token = app.config.get("METRICS_TOKEN")

    def metrics() -> Response:
        if token:
            given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
            if not hmac.compare_digest(given.encode(), token.encode()):
                abort(401)
        return Response(generate_latest(_registry()), headers={"Content-Type": CONTENT_TYPE_LATEST})

    app.add_url_rule("/metrics", "metrics", metrics, methods=["GET"])

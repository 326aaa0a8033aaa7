"""In-process cost: call a WSGI callable directly with a prepared environ (no server, no socket).

Each contestant runs in batches sized to take about the same time; batches of the
contestants are interleaved (A, B, C, A, B, C, ...) so drift in the machine's load hits
them alike, and the figure reported is the median of 7 batches' microseconds per request.
"""

import io
import statistics
import time
from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from werkzeug.test import EnvironBuilder

if TYPE_CHECKING:
    from _typeshed.wsgi import WSGIApplication

BATCHES = 7
# Slices per batch, run round robin across the contestants (see measure_interleaved).
SLICES = 10
# Calls before timing: first calls fill caches (compiled SQL, routing, imports).
WARM_UP_CALLS = 20


class Counter(Protocol):
    """Anything with a running `count` of SQL statements."""

    count: int


@dataclass(frozen=True)
class PreparedRequest:
    """A request ready to replay: the environ (without its body stream) and the body."""

    environ: dict[str, Any]
    body: bytes


@dataclass(frozen=True)
class InProcessResult:
    """Microseconds per request: the median of the batches, and every batch's figure."""

    median_us: float
    batches_us: list[float]
    batch_size: int


def prepare_request(
    method: str, path: str, headers: Mapping[str, str], body: bytes
) -> PreparedRequest:
    """Build the WSGI environ of a request once, as a server on 127.0.0.1 would."""
    builder = EnvironBuilder(
        path=path,
        method=method,
        headers=list(headers.items()),
        data=body or None,
        base_url="http://127.0.0.1:8000/",
        environ_overrides={"REMOTE_ADDR": "127.0.0.1", "SERVER_PROTOCOL": "HTTP/1.1"},
    )
    try:
        environ = builder.get_environ()
    finally:
        builder.close()
    environ.pop("wsgi.input", None)
    return PreparedRequest(environ=environ, body=body)


def call_wsgi(app: "WSGIApplication", request: PreparedRequest) -> tuple[str, bytes]:
    """Call the app once, read the whole body and close it; return the status and body."""
    environ = dict(request.environ)
    environ["wsgi.input"] = io.BytesIO(request.body)
    statuses: list[str] = []

    def start_response(status: str, _headers: Any, _exc_info: Any = None) -> Callable[..., Any]:
        statuses.append(status)
        return statuses.append

    result = app(environ, start_response)
    try:
        body = b"".join(result)
    finally:
        close = getattr(result, "close", None)
        if close is not None:
            close()
    return statuses[0], body


def make_caller(app: "WSGIApplication", request: PreparedRequest) -> Callable[[], object]:
    """Return a no-argument function that makes the request once."""
    return lambda: call_wsgi(app, request)


def time_batch(call: Callable[[], object], size: int) -> float:
    """Run `call` `size` times and return the microseconds per call."""
    started = time.perf_counter()
    for _ in range(size):
        call()
    return (time.perf_counter() - started) * 1e6 / size


def calibrate(call: Callable[[], object], batch_seconds: float) -> int:
    """Warm up, then pick a batch size that takes about `batch_seconds`."""
    time_batch(call, WARM_UP_CALLS)
    per_call_us = time_batch(call, 3)
    per_call_us = min(per_call_us, time_batch(call, 3))
    return max(1, int(batch_seconds * 1e6 / max(per_call_us, 0.01)))


def measure_interleaved(
    callers: Mapping[str, Callable[[], object]],
    batch_seconds: float = 0.2,
    batches: int = BATCHES,
    slices: int = SLICES,
) -> dict[str, InProcessResult]:
    """Measure every caller in interleaved batches; return each one's median µs per call.

    Each batch is run as `slices` slices, round robin across the callers, so every
    caller's batch spans the same stretch of wall time: a burst of load on the machine
    (a neighbour, a frequency change) then slows each caller's batch alike instead of
    landing on one caller's whole batch.
    """
    slice_sizes = {
        name: max(1, calibrate(call, batch_seconds) // slices) for name, call in callers.items()
    }
    samples: dict[str, list[float]] = {name: [] for name in callers}
    for _ in range(batches):
        spent_us = dict.fromkeys(callers, 0.0)
        for _ in range(slices):
            for name, call in callers.items():
                spent_us[name] += time_batch(call, slice_sizes[name]) * slice_sizes[name]
        for name, total_us in spent_us.items():
            samples[name].append(total_us / (slice_sizes[name] * slices))
    return {
        name: InProcessResult(statistics.median(values), values, slice_sizes[name] * slices)
        for name, values in samples.items()
    }


def statements_per_call(
    call: Callable[[], object], counting: AbstractContextManager[Counter], calls: int = 5
) -> float:
    """Return the SQL statements one call runs, averaged over a few calls."""
    with counting as counter:
        for _ in range(calls):
            call()
    return counter.count / calls

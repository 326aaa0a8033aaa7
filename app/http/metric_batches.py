"""Request counts and latencies added up in plain Python, written to Prometheus in batches.

In multiprocess mode (PROMETHEUS_MULTIPROC_DIR) every `inc` or `observe` takes a lock,
asks the kernel for the process id and writes to a memory-mapped file: three of those per
request cost more than the rest of the metrics. Here a request adds to a few integers in
a dict under one lock; the totals are written to the real counter and histogram children
when `flush` is called: by the `/metrics` view before it answers (so the scraping process
is exact), by a timer at most `interval` seconds after the first unwritten request (so the
other workers are at most that stale), and when the process exits (atexit, and gunicorn's
`worker_exit`). A worker killed outright loses at most its last `interval` seconds of
counts. See docs/performance.md.
"""

import atexit
import os
import threading
from bisect import bisect_left
from collections.abc import Callable, Sequence
from typing import Any

# A request's method, endpoint and status code.
Key = tuple[str, str, int]
# A key's labelled children: the request counter's and the latency histogram's.
ChildrenOf = Callable[[Key], tuple[Any, Any]]


class MetricBatches:
    """Add up requests per key; write the sums to the metric children on `flush`."""

    def __init__(self, children_of: ChildrenOf, bounds: Sequence[float], interval: float) -> None:
        """Keep sums for the histogram whose bucket upper bounds (ending in +Inf) are `bounds`."""
        self._children_of = children_of
        self._bounds = tuple(bounds)
        self._interval = interval
        self._forget()

    def _forget(self) -> None:
        """Start empty, with a new lock and no timer (also in a forked child: see below)."""
        self._lock = threading.Lock()
        # key -> [requests, seconds in total, requests in each latency bucket...]
        self._pending: dict[Key, list[Any]] = {}
        self._timer: threading.Timer | None = None

    def add(self, key: Key, seconds: float) -> None:
        """Count one request of `key` that took `seconds`."""
        # As Histogram.observe: the first bucket whose upper bound is >= the amount.
        bucket = 2 + bisect_left(self._bounds, seconds)
        with self._lock:
            sums = self._pending.get(key)
            if sums is None:
                sums = self._pending[key] = [0, 0.0] + [0] * len(self._bounds)
            sums[0] += 1
            sums[1] += seconds
            sums[bucket] += 1
            if self._timer is None:
                self._timer = threading.Timer(self._interval, self._on_timer)
                self._timer.daemon = True
                self._timer.start()

    def _on_timer(self) -> None:
        with self._lock:
            self._timer = None
        self.flush()

    def flush(self) -> None:
        """Write every sum added so far to the metric children, and start again from zero."""
        with self._lock:
            pending, self._pending = self._pending, {}
        for key, sums in pending.items():
            counter, histogram = self._children_of(key)
            counter.inc(sums[0])
            # The histogram child's own values: `observe` has no way to add many at once.
            histogram._sum.inc(sums[1])
            for value, count in zip(histogram._buckets, sums[2:], strict=True):
                if count:
                    value.inc(count)

    def keep_until_exit(self) -> None:
        """Flush when the process exits; in a forked child, drop the parent's sums.

        The parent writes its own sums; a child writing them too would count them twice.
        """
        atexit.register(self.flush)
        os.register_at_fork(after_in_child=self._forget)

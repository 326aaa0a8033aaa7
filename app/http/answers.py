"""Answered requests, kept in memory and handed to the observers in batches.

The access log and the metrics want the same few facts about every request (method, path,
endpoint, status, time taken, request id). The plumbing notes them as an `Answer` (one
small tuple, no request object kept alive) and hands them to the observers in batches:
at once when `wait_seconds` is 0 (development, tests), else when the oldest has waited
`wait_seconds` (a timer), when MAX_PENDING are waiting, before a `/metrics` scrape, and
when the process exits (atexit, and gunicorn's `worker_exit` hook, which calls
`flush_all`). Formatting a few hundred log lines and adding up a few hundred metric
samples in one go costs much less than doing it request by request (docs/performance.md,
docs/decisions.md D24), in the way nginx's buffered access log does. A process killed
outright (SIGKILL) loses at most `wait_seconds` of access lines and metric counts.
"""

import atexit
import logging
import os
import threading
import weakref
from collections.abc import Callable, Sequence
from typing import NamedTuple

logger = logging.getLogger(__name__)


class Answer(NamedTuple):
    """What the observers are told about one answered request."""

    at: float  # time.time() when the app had answered
    method: str
    path: str
    endpoint: str | None  # the Flask endpoint; None when no route matched
    status: int
    seconds: float  # from the request reaching the plumbing to the app's answer
    request_id: str | None


# Told about answered requests, a batch at a time, oldest first.
Observer = Callable[[Sequence[Answer]], None]

_batches: "weakref.WeakSet[AnswerBatch]" = weakref.WeakSet()


class AnswerBatch:
    """Answers waiting for the observers; thread-safe (gthread workers answer in parallel)."""

    MAX_PENDING = 256

    def __init__(self) -> None:
        self.observers: list[Observer] = []
        self.wait_seconds = 0.0
        self._delivering = threading.Lock()  # keeps batches in order across threads
        self._forget()
        _batches.add(self)  # weakly: `flush_all` and forks reach it, nothing keeps it alive

    def _forget(self) -> None:
        self._lock = threading.Lock()
        self._pending: list[Answer] = []
        self._timer: threading.Timer | None = None

    def add(self, answer: Answer) -> None:
        """Keep `answer`; deliver the batch now if it is full or nothing may wait."""
        with self._lock:
            pending = self._pending
            pending.append(answer)
            if self.wait_seconds > 0 and len(pending) < self.MAX_PENDING:
                if self._timer is None:
                    self._timer = threading.Timer(self.wait_seconds, self.flush)
                    self._timer.daemon = True
                    self._timer.start()
                return
            self._pending = []
        self._deliver(pending)

    def flush(self) -> None:
        """Deliver every waiting answer now (the timer, a scrape, the process's exit)."""
        with self._lock:
            pending, self._pending = self._pending, []
            timer, self._timer = self._timer, None
        if timer is not None:
            timer.cancel()  # no-op when it is the timer calling
        if pending:
            self._deliver(pending)

    def _deliver(self, answers: Sequence[Answer]) -> None:
        with self._delivering:
            for observe in self.observers:
                try:
                    observe(answers)
                except Exception:  # an observer's failure must not fail a request or a timer
                    logger.exception("observer %r failed on %d answers", observe, len(answers))


def flush_all() -> None:
    """Deliver the waiting answers of every batch in this process (gunicorn's worker_exit)."""
    for batch in list(_batches):
        batch.flush()


def _forget_all_in_child() -> None:
    """In a forked child (a gunicorn worker) every batch starts empty: its parent delivers them."""
    for batch in list(_batches):
        batch._forget()


# Once per process, not per batch: an app made per test would otherwise pile up callbacks.
atexit.register(flush_all)
os.register_at_fork(after_in_child=_forget_all_in_child)

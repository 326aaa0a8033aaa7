"""gunicorn settings for `make run` and production; each can be overridden by environment."""

import os

from prometheus_client import multiprocess

bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '5000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 20
keepalive = 5
# The longest request line gunicorn allows (its default, 4094, answers longer ones with an
# HTML 414): a valid opaque cursor in a query string can reach about 6 KB percent-encoded.
limit_request_line = 8190
accesslog = None  # the app writes one JSON line per request itself
errorlog = "-"
proc_name = "stockroom"
# gunicorn 27 opens a control socket at one fixed path per user; several servers on one
# machine (make run, tests, benchmarks) would fight over it, and nothing here uses it.
control_socket_disable = True


def child_exit(_server: object, worker: object) -> None:
    """Delete a dead worker's live-gauge files (`mark_process_dead`; the app has no such gauge).

    Its counter and histogram files stay on purpose: /metrics keeps adding them in, so the
    totals do not drop when a worker is replaced.
    """
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.mark_process_dead(worker.pid)  # type: ignore[attr-defined]


def worker_exit(_server: object, _worker: object) -> None:
    """In the exiting worker: write the access lines and metric counts still in memory.

    Gunicorn ends a worker with os._exit after this hook, so atexit handlers never run.
    """
    # Here, not at the top: the arbiter reads this file and must not import the app.
    from app.http.answers import flush_all  # noqa: PLC0415

    flush_all()

"""The three contestants: the raw baseline, bare Flask and Stockroom.

Each is built the same way in-process and under gunicorn (one `module:callable` target).

Stockroom runs production-like: `create_app()` from the environment the harness sets
(STOCKROOM_ENV=production, access log and metrics on, rate limits off as DESIGN allows).
"""

import logging
import os
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, redirect_stderr
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from benchmarks import baseline, scenarios
from benchmarks.bare_flask import create_bare_app
from benchmarks.scenarios.base import BARE_FLASK, BASELINE, STOCKROOM, Scenario

if TYPE_CHECKING:
    from _typeshed.wsgi import WSGIApplication

    from benchmarks.inprocess import Counter

DB_ENV = "STOCKROOM_BENCH_DB"
SCENARIOS_ENV = "STOCKROOM_BENCH_SCENARIOS"


@dataclass(frozen=True)
class Contestant:
    """One implementation under test: how to build it and how to count its SQL."""

    name: str
    gunicorn_target: str
    build: "Callable[[list[Scenario], Path], WSGIApplication]"
    counting: "Callable[[WSGIApplication], AbstractContextManager[Counter]]"


def build_baseline(chosen: list[Scenario], db_path: Path) -> "WSGIApplication":
    """Route each scenario's request (by method and path, not query) to its raw WSGI callable."""
    routes = {(s.method, s.path.partition("?")[0]): s.baseline(db_path) for s in chosen}
    return baseline.make_router(routes)


def build_bare_flask(chosen: list[Scenario], db_path: Path) -> "WSGIApplication":
    """Build the bare Flask app for the scenarios that have a bare view."""
    return create_bare_app(chosen, db_path)


def build_stockroom(_chosen: list[Scenario], _db_path: Path) -> "WSGIApplication":
    """Build Stockroom exactly as `wsgi.py` does, from the environment the harness set."""
    from app import create_app

    return create_app()


def count_baseline(_app: "WSGIApplication") -> AbstractContextManager["Counter"]:
    """Count the sqlite3 statements of the baseline (and of bare Flask, which runs its SQL)."""
    return baseline.count_statements()


@contextmanager
def count_stockroom(app: Any) -> Iterator["Counter"]:
    """Count Stockroom's SQL with a SQLAlchemy event on its engine."""
    from sqlalchemy import event

    from app.extensions import db

    counter = baseline.StatementCounter()

    def record(*_args: Any) -> None:
        counter.count += 1

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield counter
    finally:
        event.remove(engine, "before_cursor_execute", record)


CONTESTANTS = (
    Contestant(BASELINE, "benchmarks.contestants:baseline_app()", build_baseline, count_baseline),
    Contestant(
        BARE_FLASK, "benchmarks.contestants:bare_flask_app()", build_bare_flask, count_baseline
    ),
    Contestant(STOCKROOM, "wsgi:app", build_stockroom, count_stockroom),
)


def _from_environment() -> tuple[list[Scenario], Path]:
    names = [name for name in os.environ[SCENARIOS_ENV].split(",") if name]
    return [scenarios.load(name) for name in names], Path(os.environ[DB_ENV])


def baseline_app() -> "WSGIApplication":
    """Gunicorn factory for the baseline (scenarios and database from the environment)."""
    return build_baseline(*_from_environment())


def bare_flask_app() -> "WSGIApplication":
    """Gunicorn factory for bare Flask."""
    return build_bare_flask(*_from_environment())


@contextmanager
def app_logs_to(path: Path) -> Iterator[None]:
    """Send stderr (the app's JSON logs) to `path`, line-buffered, as gunicorn's stderr is.

    On the way out the waiting answers and the logging handlers are flushed while stderr
    is still the file: in production config access lines may wait in memory up to
    ACCESS_LOG_FLUSH_SECONDS, and must land in the file, not on the terminal once stderr
    is restored.
    """
    from app.http.answers import flush_all

    with path.open("a", buffering=1) as log, redirect_stderr(log):
        try:
            yield
        finally:
            flush_all()
            for handler in logging.getLogger().handlers:
                handler.flush()

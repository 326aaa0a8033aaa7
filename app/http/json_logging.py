"""JSON log lines: every record carries the request id; one access line per request."""

import logging
import sys
import time
from typing import Any

import orjson
from flask import Flask, Response, g, has_request_context, request

from app.http.request_id import current_request_id

ACCESS_LOGGER = "stockroom.access"
_RESERVED = frozenset(logging.LogRecord("", 0, "", 0, "", (), None).__dict__) | {"message"}


class JsonFormatter(logging.Formatter):
    """Format a record as one JSON object per line (orjson: a few microseconds each)."""

    def format(self, record: logging.LogRecord) -> str:
        """Render the record, its extra fields and any exception as one JSON line."""
        entry: dict[str, Any] = {
            "ts": self.formatTime(record, "%Y-%m-%dT%H:%M:%S") + f".{int(record.msecs):03d}Z",
            "level": record.levelname,
            "logger": record.name,
            "msg": record.getMessage(),
        }
        for key, value in record.__dict__.items():
            if key not in _RESERVED:
                entry[key] = value
        if record.exc_info:
            entry["exc"] = self.formatException(record.exc_info)
        return orjson.dumps(entry, default=str).decode()


JsonFormatter.converter = time.gmtime


class RequestIdFilter(logging.Filter):
    """Add `request_id` to every record logged while a request is being handled."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Attach the request id when there is a request; never drop a record."""
        if not hasattr(record, "request_id") and has_request_context():
            record.request_id = current_request_id()
        return True


class StderrHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Write to whatever `sys.stderr` is now (test runners swap it between tests)."""

    @property
    def stream(self) -> Any:
        """Return the current standard error."""
        return sys.stderr

    @stream.setter
    def stream(self, _value: Any) -> None:
        """Ignore: the stream is always the current standard error."""


def configure_logging(level: str) -> None:
    """Send every `app.*` and `stockroom.*` record to stderr as JSON lines (once per process)."""
    root = logging.getLogger()
    if not any(isinstance(h.formatter, JsonFormatter) for h in root.handlers):
        handler = StderrHandler()
        handler.setFormatter(JsonFormatter())
        handler.addFilter(RequestIdFilter())
        root.addHandler(handler)
    root.setLevel(level.upper())


def _start_timer() -> None:
    g.started_at = time.perf_counter()


def _log_request(response: Response) -> Response:
    started_at = g.get("started_at")
    duration_ms = (time.perf_counter() - started_at) * 1000 if started_at else 0.0
    logging.getLogger(ACCESS_LOGGER).info(
        "request",
        extra={
            "method": request.method,
            "path": request.path,
            "status": response.status_code,
            "duration_ms": round(duration_ms, 3),
            "request_id": current_request_id(),
        },
    )
    return response


def init_app(app: Flask) -> None:
    """Configure JSON logging and, unless ACCESS_LOG is off, log one line per request."""
    configure_logging(app.config["LOG_LEVEL"])
    if app.config["ACCESS_LOG"]:
        app.before_request(_start_timer)
        app.after_request(_log_request)

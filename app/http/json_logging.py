"""JSON log lines: every record carries the request id; one access line per request."""

import logging
import sys
import time
from typing import TYPE_CHECKING, Any

import orjson
from flask import Flask, Request, has_request_context

from app.http.plumbing import plumbing
from app.http.request_id import current_request_id, request_id_of

if TYPE_CHECKING:
    from _typeshed.wsgi import WSGIEnvironment

ACCESS_LOGGER = "stockroom.access"
_access_logger = logging.getLogger(ACCESS_LOGGER)
_RESERVED = frozenset(logging.LogRecord("", 0, "", 0, "", (), None).__dict__) | {"message"}


class JsonFormatter(logging.Formatter):
    """Format a record as one JSON object per line (orjson: a few microseconds each)."""

    _second: tuple[int, str] = (-1, "")

    def format(self, record: logging.LogRecord) -> str:
        """Render the record, its extra fields and any exception as one JSON line."""
        second = self._second
        if second[0] != int(record.created):  # strftime once a second, not once a line
            second = (int(record.created), self.formatTime(record, "%Y-%m-%dT%H:%M:%S"))
            self._second = second
        entry: dict[str, Any] = {
            "ts": f"{second[1]}.{int(record.msecs):03d}Z",
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


def log_access(
    environ: "WSGIEnvironment", flask_request: Request | None, status: int, seconds: float
) -> None:
    """Log one access line for an answered request (the plumbing's observer).

    The record is made and handled directly, as `Logger.info` would, minus its search of
    the stack for the caller's file and line, which the JSON line never shows.
    """
    logger = _access_logger
    if not logger.isEnabledFor(logging.INFO):
        return
    fields = {
        "method": environ.get("REQUEST_METHOD") if flask_request is None else flask_request.method,
        "path": environ.get("PATH_INFO") if flask_request is None else flask_request.path,
        "status": status,
        "duration_ms": round(seconds * 1000, 3),
        "request_id": request_id_of(environ),
    }
    record = logger.makeRecord(
        ACCESS_LOGGER, logging.INFO, __file__, 0, "request", (), None, extra=fields
    )
    logger.handle(record)


def init_app(app: Flask) -> None:
    """Configure JSON logging and, unless ACCESS_LOG is off, log one line per request."""
    configure_logging(app.config["LOG_LEVEL"])
    if app.config["ACCESS_LOG"]:
        plumbing(app).observers.append(log_access)

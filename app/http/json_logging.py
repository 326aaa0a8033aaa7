"""JSON log lines: every record carries the request id; one access line per request.

The access line is the one record made for every request, so it has a short way out:
when the only handler that would receive it is the JSON standard-error handler set up
here (the production set-up), it is written by that handler straight from a small dict,
the same line the record would have given, without making a `LogRecord`. When any other
handler would see it (a log file, pytest's capture, a handler someone added), it is
logged as a record in the ordinary way. See docs/performance.md.
"""

import logging
import os
import sys
import threading
import time
from typing import TYPE_CHECKING, Any

import orjson
from flask import Flask, Request, has_request_context

from app.http.plumbing import plumbing
from app.http.request_id import current_request_id, request_id_of

if TYPE_CHECKING:
    from _typeshed.wsgi import WSGIEnvironment

ACCESS_LOGGER = "stockroom.access"
ACCESS_MESSAGE = "request"
_access_logger = logging.getLogger(ACCESS_LOGGER)
_RESERVED = frozenset(logging.LogRecord("", 0, "", 0, "", (), None).__dict__) | {"message"}
# A timestamp's tail for each millisecond: ".000Z" to ".999Z" (formatted once, not per line).
_MILLISECONDS = tuple(f".{msecs:03d}Z" for msecs in range(1000))
# (level, logger, msg) -> the JSON text of those three fields, as `_fixed_fields` makes it.
_FIXED_FIELDS: dict[tuple[str, str, str], str] = {}


class JsonFormatter(logging.Formatter):
    """Format a record as one JSON object per line (orjson: a few microseconds each)."""

    _second: tuple[int, str] = (-1, "")

    def format(self, record: logging.LogRecord) -> str:
        """Render the record, its extra fields and any exception as one JSON line."""
        entry = self.start_entry(record.created, record.levelname, record.name)
        entry["msg"] = record.getMessage()
        for key, value in record.__dict__.items():
            if key not in _RESERVED:
                entry[key] = value
        if record.exc_info:
            entry["exc"] = self.formatException(record.exc_info)
        return orjson.dumps(entry, default=str).decode()

    def start_entry(self, created: float, level: str, logger: str) -> dict[str, Any]:
        """Return a line's first fields: UTC time to the millisecond, level and logger."""
        return {"ts": self.timestamp(created), "level": level, "logger": logger}

    def start_line(self, created: float, level: str, logger: str, msg: str) -> str:
        """Return the JSON text of a line's first four fields, `start_entry`'s and "msg".

        Without the closing brace: the caller adds the other fields, then closes it.
        """
        return '{"ts":"' + self.timestamp(created) + _fixed_fields(level, logger, msg)

    def timestamp(self, created: float) -> str:
        """Return the UTC time to the millisecond, as "2026-11-23T12:00:00.123Z"."""
        second = self._second
        if second[0] != int(created):  # strftime once a second, not once a line
            second = (int(created), time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(created)))
            self._second = second
        return second[1] + _MILLISECONDS[int((created - second[0]) * 1000)]  # as LogRecord.msecs


def _fixed_fields(level: str, logger: str, msg: str) -> str:
    """Return '","level":...,"logger":...,"msg":...' (the text after the timestamp)."""
    fixed = _FIXED_FIELDS.get((level, logger, msg))
    if fixed is None:
        tail = orjson.dumps({"level": level, "logger": logger, "msg": msg}).decode()
        fixed = _FIXED_FIELDS[(level, logger, msg)] = '",' + tail[1:-1]
    return fixed


JsonFormatter.converter = time.gmtime  # for formatTime, should anyone call it


class RequestIdFilter(logging.Filter):
    """Add `request_id` to every record logged while a request is being handled."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Attach the request id when there is a request; never drop a record."""
        if not hasattr(record, "request_id") and has_request_context():
            record.request_id = current_request_id()
        return True


class StderrHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Write to whatever `sys.stderr` is now (test runners swap it between tests).

    Access lines may wait in memory (`flush_seconds` > 0, ACCESS_LOG_FLUSH_SECONDS) and go
    out in one write when they reach MAX_PENDING characters, when the oldest has waited
    `flush_seconds` (a timer), before any other record, and at exit, as nginx's buffered
    access log does: one system call per batch instead of one per request. A process
    killed with SIGKILL loses at most that long of access lines; records of other kinds
    are always written at once.
    """

    MAX_PENDING = 64 * 1024

    def __init__(self) -> None:
        super().__init__()
        self.flush_seconds = 0.0
        self._forget_pending()
        os.register_at_fork(after_in_child=self._forget_pending)  # the parent writes them

    def _forget_pending(self) -> None:
        self._pending: list[str] = []
        self._pending_size = 0
        self._timer: threading.Timer | None = None

    def write_line(self, line: str) -> None:
        """Write one formatted line as `emit` would (or keep it for the next batch)."""
        with self.lock:  # type: ignore[union-attr]  # created in Handler.__init__
            if self.flush_seconds > 0:
                self._pending.append(line + self.terminator)
                self._pending_size += len(line) + 1
                if self._pending_size >= self.MAX_PENDING:
                    self._write_pending()
                elif self._timer is None:
                    self._timer = threading.Timer(self.flush_seconds, self._on_timer)
                    self._timer.daemon = True
                    self._timer.start()
                return
            self._write(line + self.terminator)

    def emit(self, record: logging.LogRecord) -> None:
        """Write the waiting access lines first (the handler's lock is held), then `record`."""
        if self._pending:
            self._write_pending()
        super().emit(record)

    def flush(self) -> None:
        """Write the waiting access lines, then flush the stream (also at exit)."""
        with self.lock:  # type: ignore[union-attr]
            if self._pending:
                self._write_pending()
        super().flush()

    def _on_timer(self) -> None:
        with self.lock:  # type: ignore[union-attr]
            self._timer = None
            if self._pending:
                self._write_pending()

    def _write_pending(self) -> None:
        text = "".join(self._pending)
        self._pending.clear()
        self._pending_size = 0
        self._write(text)

    def _write(self, text: str) -> None:
        try:
            stream = sys.stderr
            stream.write(text)
            if not getattr(stream, "line_buffering", False):  # else written already
                stream.flush()
        except RecursionError:  # as StreamHandler.emit
            raise
        except Exception:  # as StreamHandler.emit: report it, never fail the request
            self.handleError(logging.makeLogRecord({"msg": text}))

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
    """Log one access line for an answered request (the plumbing's observer)."""
    write_access_line(
        _access_logger,
        {
            "method": environ.get("REQUEST_METHOD")
            if flask_request is None
            else flask_request.method,
            "path": environ.get("PATH_INFO") if flask_request is None else flask_request.path,
            "status": status,
            # To the microsecond, as round(seconds * 1000, 3) but without its decimal work.
            "duration_ms": round(seconds * 1_000_000) / 1000,
            "request_id": request_id_of(environ),
        },
    )


def write_access_line(logger: logging.Logger, fields: dict[str, Any]) -> None:
    """Log `fields` as one INFO line "request" of `logger`, the same line either way.

    Straight from the dict when the JSON handler is the only one that would see it; else
    as a record, made and handled as `Logger.info` would (minus its search of the stack
    for the caller's file and line, which the JSON line never shows).
    """
    if not logger.isEnabledFor(logging.INFO):
        return
    handler = sole_json_handler(logger)
    if handler is None:
        record = logger.makeRecord(
            logger.name, logging.INFO, __file__, 0, ACCESS_MESSAGE, (), None, extra=fields
        )
        logger.handle(record)
        return
    formatter: JsonFormatter = handler.formatter  # type: ignore[assignment]  # checked
    line = formatter.start_line(time.time(), "INFO", logger.name, ACCESS_MESSAGE)
    rest = orjson.dumps(fields, default=str).decode()  # '{"method":...}': open it, join it
    handler.write_line(line + ("," + rest[1:] if rest != "{}" else "}"))


def sole_json_handler(logger: logging.Logger) -> StderrHandler | None:
    """Return the JSON handler if it is the only one an INFO record of `logger` would reach.

    Walks the loggers as `Logger.callHandlers` does. None when the logger is disabled or
    has filters, when any other handler would see the record, or when the JSON handler's
    formatter or filters are no longer the ones `configure_logging` gave it.
    """
    if logger.disabled or logger.filters:
        return None
    found: StderrHandler | None = None
    current: logging.Logger | None = logger
    while current is not None:
        for handler in current.handlers:
            if handler.level > logging.INFO:
                continue
            if found is not None or not _is_plain_json_handler(handler):
                return None
            found = handler  # type: ignore[assignment]  # _is_plain_json_handler checked it
        current = current.parent if current.propagate else None
    return found


def _is_plain_json_handler(handler: logging.Handler) -> bool:
    if type(handler) is not StderrHandler or type(handler.formatter) is not JsonFormatter:
        return False
    for each in handler.filters:  # noqa: SIM110 - all(...) makes a generator per request
        if type(each) is not RequestIdFilter:
            return False
    return True


def init_app(app: Flask) -> None:
    """Configure JSON logging and, unless ACCESS_LOG is off, log one line per request."""
    configure_logging(app.config["LOG_LEVEL"])
    for handler in logging.getLogger().handlers:
        if isinstance(handler, StderrHandler):
            handler.flush_seconds = float(app.config.get("ACCESS_LOG_FLUSH_SECONDS") or 0)
    if app.config["ACCESS_LOG"]:
        plumbing(app).observers.append(log_access)

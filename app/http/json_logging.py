"""JSON log lines: every record carries the request id; one access line per request.

The access lines come from the plumbing in batches (`app.http.answers`: at once in
development, up to ACCESS_LOG_FLUSH_SECONDS later in production), and have a short way
out: when the only handler that would receive them is the JSON standard-error handler set
up here (the production set-up), they are written by that handler in one write, straight
from small dicts, the same lines records would have given, without making `LogRecord`s.
When any other handler would see them (a log file, pytest's capture, a handler someone
added), each is logged as a record in the ordinary way. See docs/performance.md.
"""

import logging
import sys
import time
from collections.abc import Sequence
from typing import Any

import orjson
from flask import Flask, has_request_context

from app.http.answers import Answer
from app.http.plumbing import plumbing
from app.http.request_id import current_request_id

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

    `write_text` writes ready-made lines (a batch of access lines) in one write under the
    handler's lock, as `emit` writes one record.
    """

    def write_text(self, text: str) -> None:
        """Write `text` (whole lines, each ending in the terminator) and flush the stream."""
        with self.lock:  # type: ignore[union-attr]  # created in Handler.__init__
            try:
                stream = sys.stderr
                stream.write(text)
                stream.flush()
            except RecursionError:  # as StreamHandler.emit
                raise
            except Exception:  # as StreamHandler.emit: report it, never fail the caller
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


def log_answers(answers: Sequence[Answer]) -> None:
    """Log one access line per answered request (the plumbing's observer, a batch at once)."""
    write_access_lines(
        _access_logger,
        [
            (
                answer.at,
                {
                    "method": answer.method,
                    "path": answer.path,
                    "status": answer.status,
                    # To the microsecond, as round(seconds * 1000, 3) minus its decimal work.
                    "duration_ms": round(answer.seconds * 1_000_000) / 1000,
                    "request_id": answer.request_id,
                },
            )
            for answer in answers
        ],
    )


def write_access_lines(
    logger: logging.Logger, lines: Sequence[tuple[float, dict[str, Any]]]
) -> None:
    """Log each (time, fields) as an INFO line "request" of `logger`, the same line either way.

    In one write straight from the dicts when the JSON handler is the only one that would
    see them; else as records, made and handled as `Logger.info` would (minus its search of
    the stack for the caller's file and line, which the JSON line never shows), each with
    the time its request was answered.
    """
    if not lines or not logger.isEnabledFor(logging.INFO):
        return
    handler = sole_json_handler(logger)
    if handler is None:
        for created, fields in lines:
            record = logger.makeRecord(
                logger.name, logging.INFO, __file__, 0, ACCESS_MESSAGE, (), None, extra=fields
            )
            record.created = created
            record.msecs = int((created - int(created)) * 1000) + 0.0  # as LogRecord
            logger.handle(record)
        return
    formatter: JsonFormatter = handler.formatter  # type: ignore[assignment]  # checked
    start_line, dumps, name = formatter.start_line, orjson.dumps, logger.name
    text = []
    for created, fields in lines:
        rest = dumps(fields, default=str).decode()  # '{"method":...}': open it, join it
        text.append(start_line(created, "INFO", name, ACCESS_MESSAGE))
        text.append("," + rest[1:] + "\n" if rest != "{}" else "}\n")
    handler.write_text("".join(text))


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
    if app.config["ACCESS_LOG"]:
        plumbing(app).observers.append(log_answers)

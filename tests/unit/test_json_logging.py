"""The access line's short way out: the same JSON line, with or without a LogRecord.

Each test logs through its own logger, outside the logging tree (no parent), so pytest's
own capture handlers on the root logger do not see it; standard error is read with capsys.
"""

import logging
import re
import time
from collections.abc import Callable

import orjson
import pytest

from app.http.answers import Answer
from app.http.json_logging import (
    ACCESS_MESSAGE,
    JsonFormatter,
    RequestIdFilter,
    StderrHandler,
    log_answers,
    sole_json_handler,
    write_access_lines,
)

FIELDS = {
    "method": "GET",
    "path": "/api/health",
    "status": 200,
    "duration_ms": 0.25,
    "request_id": "trace-7",
}
TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")


class Collector(logging.Handler):
    """A second handler, as a log file or a monitoring agent would add: keeps its records."""

    def __init__(self) -> None:
        super().__init__()
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def json_handler() -> StderrHandler:
    """The handler `configure_logging` sets up."""
    handler = StderrHandler()
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestIdFilter())
    return handler


@pytest.fixture
def logger() -> logging.Logger:
    """A logger with only the JSON handler, outside the logging tree."""
    alone = logging.Logger("stockroom.access.test", logging.INFO)
    alone.addHandler(json_handler())
    return alone


def log_one(logger: logging.Logger, fields: dict[str, object]) -> None:
    """Log one access line answered now, as the plumbing's batches do."""
    write_access_lines(logger, [(time.time(), fields)])


def stderr_lines(capsys: pytest.CaptureFixture[str]) -> list[dict[str, object]]:
    return [orjson.loads(line) for line in capsys.readouterr().err.splitlines()]


def test_the_access_line_is_one_json_line_with_its_fields(
    logger: logging.Logger, capsys: pytest.CaptureFixture[str]
) -> None:
    log_one(logger, dict(FIELDS))

    [line] = stderr_lines(capsys)
    assert line == {
        "ts": line["ts"],
        "level": "INFO",
        "logger": "stockroom.access.test",
        "msg": ACCESS_MESSAGE,
        **FIELDS,
    }
    assert TIMESTAMP.match(str(line["ts"]))


def test_the_short_way_writes_the_line_a_record_gives(
    logger: logging.Logger, capsys: pytest.CaptureFixture[str]
) -> None:
    record = logger.makeRecord(
        logger.name, logging.INFO, "", 0, ACCESS_MESSAGE, (), None, extra=FIELDS
    )
    from_record = orjson.loads(JsonFormatter().format(record))

    log_one(logger, dict(FIELDS))

    [line] = stderr_lines(capsys)
    assert list(line) == list(from_record)
    assert {**line, "ts": None} == {**from_record, "ts": None}


def test_another_handler_gets_the_access_line_as_a_record_and_stderr_still_gets_one_line(
    logger: logging.Logger, capsys: pytest.CaptureFixture[str]
) -> None:
    collector = Collector()
    logger.addHandler(collector)

    log_one(logger, dict(FIELDS))

    [record] = collector.records
    assert (record.getMessage(), record.levelno) == (ACCESS_MESSAGE, logging.INFO)
    assert {name: getattr(record, name) for name in FIELDS} == FIELDS
    assert [line["request_id"] for line in stderr_lines(capsys)] == ["trace-7"]


def _disable(logger: logging.Logger) -> None:
    logger.disabled = True


def _add_logger_filter(logger: logging.Logger) -> None:
    logger.addFilter(lambda _record: True)


def _add_second_handler(logger: logging.Logger) -> None:
    logger.addHandler(Collector())


def _swap_formatter(logger: logging.Logger) -> None:
    logger.handlers[0].setFormatter(logging.Formatter("%(message)s"))


def _add_handler_filter(logger: logging.Logger) -> None:
    logger.handlers[0].addFilter(lambda _record: True)


@pytest.mark.parametrize(
    "change",
    [_disable, _add_logger_filter, _add_second_handler, _swap_formatter, _add_handler_filter],
)
def test_any_other_logging_set_up_takes_the_ordinary_way(
    logger: logging.Logger, change: Callable[[logging.Logger], None]
) -> None:
    change(logger)

    assert sole_json_handler(logger) is None


def test_the_json_handler_alone_takes_the_short_way(logger: logging.Logger) -> None:
    assert sole_json_handler(logger) is logger.handlers[0]


def test_a_handler_set_above_info_is_passed_over_as_logging_would(
    logger: logging.Logger, capsys: pytest.CaptureFixture[str]
) -> None:
    logger.handlers[0].setLevel(logging.WARNING)

    log_one(logger, dict(FIELDS))

    assert capsys.readouterr().err == ""


def test_a_logger_set_above_info_writes_no_access_line(
    logger: logging.Logger, capsys: pytest.CaptureFixture[str]
) -> None:
    logger.setLevel(logging.WARNING)

    log_one(logger, dict(FIELDS))

    assert capsys.readouterr().err == ""


def test_an_access_line_without_fields_is_still_one_json_object(
    logger: logging.Logger, capsys: pytest.CaptureFixture[str]
) -> None:
    log_one(logger, {})

    [line] = stderr_lines(capsys)
    assert list(line) == ["ts", "level", "logger", "msg"]


class CountingStderr:
    """Standard error that counts its writes."""

    def __init__(self) -> None:
        self.writes: list[str] = []

    def write(self, text: str) -> int:
        self.writes.append(text)
        return len(text)

    def flush(self) -> None:
        pass


def test_a_batch_of_lines_goes_out_in_one_write_each_with_its_own_time(
    logger: logging.Logger, monkeypatch: pytest.MonkeyPatch
) -> None:
    err = CountingStderr()
    monkeypatch.setattr("sys.stderr", err)
    answered = time.time() - 3600  # an hour ago: the line keeps the request's time

    write_access_lines(
        logger, [(answered, {**FIELDS, "request_id": "r1"}), (answered + 0.5, dict(FIELDS))]
    )

    [text] = err.writes
    lines = [orjson.loads(line) for line in text.splitlines()]
    assert [line["request_id"] for line in lines] == ["r1", "trace-7"]
    stamp = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(answered))
    assert str(lines[0]["ts"]).startswith(stamp)


def test_records_made_for_other_handlers_carry_the_time_the_request_was_answered(
    logger: logging.Logger, capsys: pytest.CaptureFixture[str]
) -> None:
    collector = Collector()
    logger.addHandler(collector)
    answered = 1_700_000_000.25

    write_access_lines(logger, [(answered, dict(FIELDS)), (answered + 1, dict(FIELDS))])

    assert [(record.created, record.msecs) for record in collector.records] == [
        (answered, 250.0),
        (answered + 1, 250.0),
    ]
    assert len(stderr_lines(capsys)) == 2


def test_an_answer_becomes_the_access_line_fields(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    alone = logging.Logger("stockroom.access", logging.INFO)
    alone.addHandler(json_handler())
    monkeypatch.setattr("app.http.json_logging._access_logger", alone)

    log_answers([Answer(time.time(), "GET", "/api/nope", None, 404, 0.00123456, "trace-9")])

    [line] = stderr_lines(capsys)
    assert {name: line[name] for name in FIELDS} == {
        "method": "GET",
        "path": "/api/nope",
        "status": 404,
        "duration_ms": 1.235,
        "request_id": "trace-9",
    }

"""ACCESS_LOG_FLUSH_SECONDS: access lines wait in memory, then go out in one write.

The lines are the handler's own (`StderrHandler` writes to whatever sys.stderr is), read
with capsys; the timer is real and waited for with a deadline, never a fixed sleep.
"""

import logging
import time

import orjson
import pytest

from app.http.json_logging import StderrHandler, write_access_line
from tests.unit.test_json_logging import FIELDS, json_handler


@pytest.fixture
def buffered() -> tuple[logging.Logger, StderrHandler]:
    """A logger outside the tree whose only handler keeps lines for up to 30 s."""
    handler = json_handler()
    handler.flush_seconds = 30.0
    logger = logging.Logger("stockroom.access.batches", logging.INFO)
    logger.addHandler(handler)
    return logger, handler


def _request_ids(err: str) -> list[object]:
    return [orjson.loads(line).get("request_id") for line in err.splitlines()]


def test_lines_wait_until_the_handler_is_flushed(
    buffered: tuple[logging.Logger, StderrHandler], capsys: pytest.CaptureFixture[str]
) -> None:
    logger, handler = buffered
    for number in range(3):
        write_access_line(logger, {**FIELDS, "request_id": f"r{number}"})

    assert capsys.readouterr().err == ""
    handler.flush()  # what logging.shutdown does at exit
    assert _request_ids(capsys.readouterr().err) == ["r0", "r1", "r2"]


def test_any_other_record_writes_the_waiting_lines_first(
    buffered: tuple[logging.Logger, StderrHandler], capsys: pytest.CaptureFixture[str]
) -> None:
    logger, _ = buffered
    write_access_line(logger, {**FIELDS, "request_id": "before"})
    logger.error("boom")

    lines = [orjson.loads(line) for line in capsys.readouterr().err.splitlines()]
    assert [line.get("request_id") for line in lines] == ["before", None]
    assert lines[1]["msg"] == "boom"


def test_a_full_batch_is_written_at_once(
    buffered: tuple[logging.Logger, StderrHandler], capsys: pytest.CaptureFixture[str]
) -> None:
    logger, handler = buffered
    count, err = 0, ""
    while not err and count < 10_000:
        write_access_line(logger, {**FIELDS, "request_id": f"r{count:05d}"})
        count += 1
        err = capsys.readouterr().err

    # One write, of every line so far, once they reached MAX_PENDING characters.
    assert _request_ids(err) == [f"r{number:05d}" for number in range(count)]
    line_length = len(err) // count
    assert handler.MAX_PENDING <= len(err) < handler.MAX_PENDING + line_length


def test_the_timer_writes_lines_that_waited_long_enough(
    buffered: tuple[logging.Logger, StderrHandler], capsys: pytest.CaptureFixture[str]
) -> None:
    logger, handler = buffered
    handler.flush_seconds = 0.05
    write_access_line(logger, {**FIELDS, "request_id": "late"})

    deadline = time.monotonic() + 5
    err = ""
    while not err and time.monotonic() < deadline:
        time.sleep(0.01)
        err = capsys.readouterr().err
    assert _request_ids(err) == ["late"]


def test_with_no_wait_each_line_is_written_at_once(capsys: pytest.CaptureFixture[str]) -> None:
    logger = logging.Logger("stockroom.access.direct", logging.INFO)
    logger.addHandler(json_handler())
    write_access_line(logger, FIELDS)

    assert _request_ids(capsys.readouterr().err) == ["trace-7"]


def test_production_waits_up_to_a_second_and_development_not_at_all() -> None:
    from app.config import DevelopmentConfig, ProductionConfig

    assert (
        DevelopmentConfig.ACCESS_LOG_FLUSH_SECONDS,
        ProductionConfig.ACCESS_LOG_FLUSH_SECONDS,
    ) == (
        0.0,
        1.0,
    )

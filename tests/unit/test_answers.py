"""Answered requests reach the observers in batches: at once, when full, timed, or flushed.

Real threads and a real fork; timers are waited for with a deadline, never a fixed sleep.
"""

import logging
import os
import time
from collections.abc import Sequence

import pytest

from app.http.answers import Answer, AnswerBatch, flush_all


def answer(number: int) -> Answer:
    return Answer(
        1.0e9 + number, "GET", "/api/health", "api.health.get_health", 200, 0.001, f"r{number}"
    )


class Seen:
    """An observer that keeps every batch it is given."""

    def __init__(self) -> None:
        self.batches: list[list[str | None]] = []

    def __call__(self, answers: Sequence[Answer]) -> None:
        self.batches.append([each.request_id for each in answers])


@pytest.fixture
def seen() -> Seen:
    return Seen()


def waiting_batch(seen: Seen, wait_seconds: float = 600) -> AnswerBatch:
    batch = AnswerBatch()
    batch.observers.append(seen)
    batch.wait_seconds = wait_seconds
    return batch


def test_with_no_wait_each_answer_is_delivered_at_once(seen: Seen) -> None:
    batch = waiting_batch(seen, wait_seconds=0)

    batch.add(answer(1))
    batch.add(answer(2))

    assert seen.batches == [["r1"], ["r2"]]


def test_answers_wait_until_flushed_then_arrive_in_order(seen: Seen) -> None:
    batch = waiting_batch(seen)
    for number in range(3):
        batch.add(answer(number))

    assert seen.batches == []
    batch.flush()
    batch.flush()  # nothing left: no empty batch

    assert seen.batches == [["r0", "r1", "r2"]]


def test_a_full_batch_is_delivered_at_once(seen: Seen) -> None:
    batch = waiting_batch(seen)

    for number in range(AnswerBatch.MAX_PENDING + 1):
        batch.add(answer(number))

    assert seen.batches == [[f"r{number}" for number in range(AnswerBatch.MAX_PENDING)]]


def test_the_timer_delivers_answers_that_waited_long_enough(seen: Seen) -> None:
    batch = waiting_batch(seen, wait_seconds=0.05)
    batch.add(answer(1))

    deadline = time.monotonic() + 5
    while not seen.batches and time.monotonic() < deadline:
        time.sleep(0.01)

    assert seen.batches == [["r1"]]


def test_flush_all_delivers_every_batch_of_the_process(seen: Seen) -> None:
    first, second = waiting_batch(seen), waiting_batch(seen)
    first.add(answer(1))
    second.add(answer(2))

    flush_all()

    assert sorted(seen.batches) == [["r1"], ["r2"]]


def test_a_failing_observer_is_logged_and_the_others_still_see_the_batch(
    seen: Seen, caplog: pytest.LogCaptureFixture
) -> None:
    batch = AnswerBatch()

    def broken(_answers: Sequence[Answer]) -> None:
        raise RuntimeError("disk full")

    batch.observers.extend([broken, seen])

    with caplog.at_level(logging.ERROR, logger="app.http.answers"):
        batch.add(answer(1))

    assert seen.batches == [["r1"]]
    [record] = caplog.records
    assert record.exc_info is not None
    assert "failed on 1 answers" in record.getMessage()


def test_a_forked_child_never_delivers_its_parents_answers() -> None:
    read_end, write_end = os.pipe()
    batch = AnswerBatch()
    batch.wait_seconds = 600
    batch.observers.append(lambda answers: os.write(write_end, str(len(answers)).encode()))
    batch.add(answer(1))

    child = os.fork()
    if child == 0:  # the child: deliver whatever it holds, then leave at once
        batch.flush()
        os._exit(0)
    os.waitpid(child, 0)
    batch.flush()
    os.close(write_end)

    assert os.read(read_end, 100) == b"1"  # the parent's one delivery, none from the child
    os.close(read_end)


def test_a_batch_nothing_uses_any_more_is_let_go() -> None:
    import gc
    import weakref

    from app.http import answers

    batch = AnswerBatch()
    gone = weakref.ref(batch)
    assert batch in answers._batches

    del batch
    gc.collect()

    assert gone() is None  # no atexit or at-fork callback per batch keeps it alive

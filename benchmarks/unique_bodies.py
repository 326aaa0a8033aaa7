"""Bodies that differ on every request, for requests that may not repeat (a unique SKU).

A scenario's body holds a placeholder (`Scenario.unique`); each request replaces it with a
value of the same length: a random run prefix (8 hex digits, drawn anew for each load run
and each in-process caller, so reruns and contestants sharing one database never collide),
the thread's number (2 digits) and a counter. The Python load generator, the in-process
harness and the warm-up use `body_maker`; wrk's Lua `request()` builds the same values.
"""

import itertools
import secrets
from collections.abc import Callable

RUN_PREFIX_CHARS = 8  # secrets.token_hex(4)
THREAD_DIGITS = 2
MIN_COUNTER_DIGITS = 6


def new_run_prefix() -> str:
    """A random prefix for one load run (or one in-process caller): reruns never collide."""
    return secrets.token_hex(RUN_PREFIX_CHARS // 2)


def split_body(body: bytes, unique: str) -> tuple[bytes, bytes]:
    """The body before and after its placeholder.

    Raises:
        ValueError: the placeholder is not in the body exactly once, or too short to hold a
            run prefix, a thread number and a counter of at least 6 digits.
    """
    if len(unique) < RUN_PREFIX_CHARS + THREAD_DIGITS + MIN_COUNTER_DIGITS:
        raise ValueError(f"placeholder {unique!r} is too short")
    if body.count(unique.encode()) != 1:
        raise ValueError(f"placeholder {unique!r} is not in the body exactly once")
    before, _, after = body.partition(unique.encode())
    return before, after


def counter_digits(unique: str) -> int:
    """How many digits the counter has after the run prefix and the thread number."""
    return len(unique) - RUN_PREFIX_CHARS - THREAD_DIGITS


def body_maker(body: bytes, unique: str, run_prefix: str, thread: int = 1) -> Callable[[], bytes]:
    """Return a function giving the body of each request.

    Without `unique`, the same body every call; with it, the body with its placeholder
    replaced by `run_prefix`, the thread's number and a counter starting at 1.
    """
    if not unique:
        return lambda: body
    before, after = split_body(body, unique)
    prefix = f"{run_prefix}{thread:0{THREAD_DIGITS}d}".encode()
    digits = counter_digits(unique)
    numbers = itertools.count(1)
    return lambda: b"%s%s%0*d%s" % (before, prefix, digits, next(numbers), after)

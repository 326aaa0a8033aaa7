"""Made request ids: 32 hex digits, never the same twice, not even across forked workers."""

import os
import re

from app.http.request_id import request_id_of

MADE_ID = re.compile(r"^[0-9a-f]{32}$")


def test_a_made_id_is_32_hex_digits_and_new_each_time() -> None:
    ids = [request_id_of({}) for _ in range(1000)]

    assert all(MADE_ID.match(each) for each in ids)
    assert len(set(ids)) == len(ids)


def test_a_forked_worker_does_not_repeat_its_parents_ids() -> None:
    reader, writer = os.pipe()
    child = os.fork()
    if child == 0:  # the child: make one id, hand it over, leave at once
        os.write(writer, request_id_of({}).encode())
        os._exit(0)
    os.waitpid(child, 0)
    from_child = os.read(reader, 64).decode()
    os.close(reader)
    os.close(writer)

    assert MADE_ID.match(from_child)
    assert from_child != request_id_of({})

"""Requests that may not repeat: every body the harness and the load generators send is new."""

import json
import shutil
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest

from benchmarks import load
from benchmarks.unique_bodies import body_maker, new_run_prefix, split_body

UNIQUE = "@unique-placeholder@"
BODY = b'{"sku": "S-@unique-placeholder@", "name": "x"}'


class Recorder(BaseHTTPRequestHandler):
    """Answers 201 and keeps every body it was sent."""

    bodies: ClassVar[list[bytes]] = []

    def do_POST(self) -> None:
        self.bodies.append(self.rfile.read(int(self.headers["Content-Length"])))
        self.send_response(201)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *_args: object) -> None:
        pass


@pytest.fixture
def recorder() -> Iterator[tuple[str, list[bytes]]]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    Recorder.bodies.clear()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/api/products", Recorder.bodies
    finally:
        server.shutdown()
        server.server_close()


def test_each_body_replaces_the_placeholder_with_prefix_thread_and_counter() -> None:
    bodies = body_maker(BODY, UNIQUE, "0badcafe", thread=3)

    first, second = bodies(), bodies()

    assert first == b'{"sku": "S-0badcafe030000000001", "name": "x"}'
    assert second == b'{"sku": "S-0badcafe030000000002", "name": "x"}'
    assert len(first) == len(second) == len(BODY)


def test_without_a_placeholder_the_body_is_the_same_every_call() -> None:
    bodies = body_maker(b"same", "", new_run_prefix())

    assert bodies() == bodies() == b"same"


def test_run_prefixes_differ_between_runs() -> None:
    prefixes = {new_run_prefix() for _ in range(50)}

    assert len(prefixes) == 50
    assert all(len(prefix) == 8 for prefix in prefixes)


@pytest.mark.parametrize(
    ("body", "unique"),
    [(b"no placeholder", UNIQUE), (BODY + BODY, UNIQUE), (b"x@short@x", "@short@")],
)
def test_a_placeholder_missing_repeated_or_too_short_is_refused(body: bytes, unique: str) -> None:
    with pytest.raises(ValueError, match="placeholder"):
        split_body(body, unique)


def test_the_wrk_script_builds_each_body_in_request_with_a_per_thread_prefix() -> None:
    spec = load.LoadSpec("http://127.0.0.1:1/api/products", "POST", body=BODY, unique=UNIQUE)

    script = load.wrk_script(spec, run_prefix="0badcafe")

    assert 'local before, after = "{\\"sku\\": \\"S-", "\\", \\"name\\": \\"x\\"}"' in script
    assert 'thread:set("thread_prefix", string.format("%s%02d", "0badcafe", threads))' in script
    assert 'string.format("%s%010d", thread_prefix, sent)' in script
    assert "function request()" in script


def test_a_script_without_a_placeholder_sends_its_one_request() -> None:
    spec = load.LoadSpec("http://127.0.0.1:1/api/health")

    assert "function request()" not in load.wrk_script(spec)


def distinct_skus(bodies: list[bytes]) -> set[str]:
    return {json.loads(body)["sku"] for body in bodies}


def test_the_python_generator_sends_a_new_sku_on_every_request(
    recorder: tuple[str, list[bytes]],
) -> None:
    url, bodies = recorder
    spec = load.LoadSpec(
        url, "POST", body=BODY, duration=5, connections=3, max_requests=60, unique=UNIQUE
    )

    result = load.generate(spec)

    assert result.requests == len(bodies) == 60
    assert len(distinct_skus(bodies)) == 60
    assert {len(body) for body in bodies} == {len(BODY)}


@pytest.mark.skipif(shutil.which("wrk") is None, reason="wrk is not installed")
def test_wrk_sends_a_new_sku_on_every_request(
    recorder: tuple[str, list[bytes]], tmp_path: Path
) -> None:
    url, bodies = recorder
    spec = load.LoadSpec(
        url, "POST", body=BODY, duration=1, connections=2, max_requests=40, unique=UNIQUE
    )

    result = load.run_wrk(spec, tmp_path)

    assert result.requests >= 40
    assert len(distinct_skus(bodies)) == len(bodies)
    assert all(sku.startswith("S-") and len(sku) == 22 for sku in distinct_skus(bodies))

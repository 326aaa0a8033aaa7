"""The load generator: a separate process that sends one request over and over to 127.0.0.1.

wrk when it is installed (a Lua script sets the request, caps the request count and prints
the summary as JSON); otherwise this module itself, run as `python -m benchmarks.load`, with
a few threads of http.client. Either way the run is bounded by duration and request count.

A request that may not repeat (a create with a unique SKU) names a placeholder in its body;
every request then replaces it with a new value (`unique_bodies`; wrk does the same in the
Lua `request()` function), so each load run, thread and request sends its own SKU.
"""

import argparse
import http.client
import json
import shutil
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from urllib.parse import urlsplit

from benchmarks.unique_bodies import (
    THREAD_DIGITS,
    body_maker,
    counter_digits,
    new_run_prefix,
    split_body,
)

LOOPBACK = "127.0.0.1"
WRK_SCRIPT = """
wrk.method = {method}
wrk.body = {body}
{headers}
local limit = {limit}
local seen = 0
function response(status, headers, body)
  seen = seen + 1
  if seen >= limit then wrk.thread:stop() end
end
{unique}
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{{"requests": %d, "seconds": %f, "p50_ms": %f, "p99_ms": %f, "errors": %d, "non_2xx": %d}}\\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, e.connect + e.read + e.write + e.timeout, e.status))
end
"""
# With a placeholder: each thread numbers itself in setup() and builds every body anew.
WRK_UNIQUE = """
local before, after = {before}, {after}
local threads, sent = 0, 0
function setup(thread)
  threads = threads + 1
  thread:set("thread_prefix", string.format("%s%0{thread_digits}d", {run_prefix}, threads))
end
function request()
  sent = sent + 1
  local value = string.format("%s%0{counter_digits}d", thread_prefix, sent)
  return wrk.format(nil, nil, nil, before .. value .. after)
end
"""


@dataclass(frozen=True)
class LoadSpec:
    """What to send, how hard and for how long."""

    url: str
    method: str = "GET"
    headers: Mapping[str, str] | None = None
    body: bytes = b""
    duration: float = 5.0
    connections: int = 4
    max_requests: int = 1_000_000
    unique: str = ""


@dataclass(frozen=True)
class LoadResult:
    """What one load run measured."""

    tool: str
    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    errors: int
    non_2xx: int

    @property
    def rps(self) -> float:
        """Requests per second."""
        return self.requests / self.seconds if self.seconds else 0.0


def check_loopback(url: str) -> None:
    """Refuse any target that is not 127.0.0.1: load never leaves this machine.

    Raises:
        ValueError: for any other host.
    """
    if urlsplit(url).hostname != LOOPBACK:
        raise ValueError(f"load is only ever sent to {LOOPBACK}, not {url}")


def lua_string(text: str) -> str:
    """Quote a string for Lua (JSON string syntax is valid Lua for these bodies)."""
    return json.dumps(text)


def wrk_script(spec: LoadSpec, run_prefix: str = "") -> str:
    """Write the Lua script that sets the request and reports the summary as JSON.

    With a placeholder, `request()` builds each body as `body_maker` does (a new run
    prefix unless one is given).
    """
    headers = "\n".join(
        f"wrk.headers[{lua_string(k)}] = {lua_string(v)}" for k, v in (spec.headers or {}).items()
    )
    unique = ""
    if spec.unique:
        before, after = split_body(spec.body, spec.unique)
        unique = WRK_UNIQUE.format(
            before=lua_string(before.decode()),
            after=lua_string(after.decode()),
            run_prefix=lua_string(run_prefix or new_run_prefix()),
            thread_digits=THREAD_DIGITS,
            counter_digits=counter_digits(spec.unique),
        )
    return WRK_SCRIPT.format(
        method=lua_string(spec.method),
        body=lua_string(spec.body.decode()) if spec.body else "nil",
        headers=headers,
        limit=spec.max_requests,
        unique=unique,
    )


def run_wrk(spec: LoadSpec, workdir: Path) -> LoadResult:
    """Run wrk (1 thread, N connections) and read the JSON line its done() prints."""
    script = workdir / "load.lua"
    script.write_text(wrk_script(spec))
    seconds = max(1, round(spec.duration))
    command = ["wrk", "-t1", f"-c{spec.connections}", f"-d{seconds}s", "--timeout", "10s"]
    completed = subprocess.run(  # noqa: PLW1510 - the output is checked below
        [*command, "-s", str(script), spec.url],
        capture_output=True,
        text=True,
        timeout=seconds + 30,
    )
    lines = [line for line in completed.stdout.splitlines() if line.startswith("{")]
    if completed.returncode != 0 or not lines:
        raise RuntimeError(f"wrk failed: {completed.stderr or completed.stdout}")
    return LoadResult(tool="wrk", **json.loads(lines[-1]))


def run_python(spec: LoadSpec, workdir: Path) -> LoadResult:
    """Run this module as a separate process (the fallback when wrk is missing)."""
    body_file = workdir / "load.body"
    body_file.write_bytes(spec.body)
    command = [sys.executable, "-m", "benchmarks.load", spec.url, "--method", spec.method]
    command += ["--duration", str(spec.duration), "--connections", str(spec.connections)]
    command += ["--max-requests", str(spec.max_requests), "--body-file", str(body_file)]
    if spec.unique:
        command += ["--unique", spec.unique]
    for key, value in (spec.headers or {}).items():
        command += ["--header", f"{key}: {value}"]
    completed = subprocess.run(
        command,
        capture_output=True,
        text=True,
        timeout=spec.duration + 60,
        check=True,
        cwd=Path(__file__).resolve().parent.parent,
    )
    return LoadResult(**json.loads(completed.stdout.splitlines()[-1]))


def choose_tool(wanted: str = "auto") -> str:
    """Return "wrk" when it is wanted (or "auto") and installed, else "python"."""
    if wanted == "python" or not shutil.which("wrk"):
        return "python"
    return "wrk"


def run_load(spec: LoadSpec, workdir: Path, tool: str = "auto") -> LoadResult:
    """Load 127.0.0.1 with wrk if installed (and not refused), else with the Python generator."""
    check_loopback(spec.url)
    if choose_tool(tool) == "wrk":
        return run_wrk(spec, workdir)
    return run_python(spec, workdir)


class _Worker(threading.Thread):
    """One connection's loop for the Python generator."""

    def __init__(
        self, spec: LoadSpec, deadline: float, budget: list[int], bodies: Callable[[], bytes]
    ) -> None:
        super().__init__(daemon=True)
        self.spec, self.deadline, self.budget, self.bodies = spec, deadline, budget, bodies
        self.latencies: list[float] = []
        self.errors = self.non_2xx = 0
        self.lock = threading.Lock()

    def take(self) -> bool:
        with self.lock:
            self.budget[0] -= 1
            return self.budget[0] >= 0

    def run(self) -> None:
        parts = urlsplit(self.spec.url)
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        while time.perf_counter() < self.deadline and self.take():
            started = time.perf_counter()
            try:
                conn = http.client.HTTPConnection(LOOPBACK, parts.port, timeout=10)
                conn.request(
                    self.spec.method, target, self.bodies() or None, dict(self.spec.headers or {})
                )
                response = conn.getresponse()
                response.read()
                conn.close()
            except OSError:
                self.errors += 1
                continue
            self.latencies.append((time.perf_counter() - started) * 1000)
            self.non_2xx += not 200 <= response.status < 400


def generate(spec: LoadSpec) -> LoadResult:
    """Send the request from `connections` threads until the duration or count runs out."""
    check_loopback(spec.url)
    started = time.perf_counter()
    budget = [spec.max_requests]
    run_prefix = new_run_prefix()
    workers = [
        _Worker(
            spec, started + spec.duration, budget, body_maker(spec.body, spec.unique, run_prefix, n)
        )
        for n in range(1, spec.connections + 1)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    seconds = time.perf_counter() - started
    latencies = sorted(ms for worker in workers for ms in worker.latencies)
    cuts = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else latencies * 99
    return LoadResult(
        tool="python",
        requests=len(latencies),
        seconds=seconds,
        p50_ms=cuts[49] if cuts else 0.0,
        p99_ms=cuts[98] if cuts else 0.0,
        errors=sum(worker.errors for worker in workers),
        non_2xx=sum(worker.non_2xx for worker in workers),
    )


def main() -> None:
    """Command line of the Python generator: print one JSON line of results."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("url")
    parser.add_argument("--method", default="GET")
    parser.add_argument("--duration", type=float, default=5.0)
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--max-requests", type=int, default=1_000_000)
    parser.add_argument("--header", action="append", default=[])
    parser.add_argument("--body-file", type=Path)
    parser.add_argument("--unique", default="", help="placeholder made new on every request")
    args = parser.parse_args()
    headers = dict(line.split(": ", 1) for line in args.header)
    body = args.body_file.read_bytes() if args.body_file else b""
    spec = LoadSpec(
        url=args.url,
        method=args.method,
        headers=headers,
        body=body,
        duration=args.duration,
        connections=args.connections,
        max_requests=args.max_requests,
        unique=args.unique,
    )
    print(json.dumps(asdict(generate(spec))))


if __name__ == "__main__":
    main()

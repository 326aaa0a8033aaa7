"""HTTP measurement: one gunicorn per contestant, loaded in turn, repetition after repetition."""

import argparse
import http.client
from contextlib import ExitStack
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from benchmarks import load, servers
from benchmarks.contestants import CONTESTANTS, Contestant
from benchmarks.scenarios.base import BARE_FLASK, BenchContext, Scenario
from benchmarks.unique_bodies import body_maker, new_run_prefix

MAX_REQUESTS = 500_000
WARM_UP_REQUESTS = 20


def contestants_for(scenario: Scenario) -> list[Contestant]:
    """Every contestant, less bare Flask when the scenario has no bare view."""
    return [
        contestant
        for contestant in CONTESTANTS
        if contestant.name != BARE_FLASK or scenario.bare_flask_view is not None
    ]


def check_status(name: str, scenario: Scenario, status: str, body: bytes) -> None:
    """Stop the run if a contestant does not answer what the scenario expects.

    Raises:
        RuntimeError: naming the contestant, the status and the start of the body.
    """
    if not status.startswith(str(scenario.expected_status)):
        raise RuntimeError(f"{scenario.name}/{name} answered {status}: {body[:300]!r}")


def load_spec(
    scenario: Scenario, ctx: BenchContext, base_url: str, duration: float
) -> load.LoadSpec:
    """The load of one scenario against one server."""
    return load.LoadSpec(
        url=base_url + scenario.path,
        method=scenario.method,
        headers=scenario.headers(ctx),
        body=scenario.body(ctx),
        duration=duration,
        connections=scenario.connections,
        max_requests=MAX_REQUESTS,
        unique=scenario.unique,
    )


def warm_up(name: str, scenario: Scenario, ctx: BenchContext, base_url: str) -> None:
    """Send a few requests on one connection, checking the answer, before measuring."""
    parts = urlsplit(base_url)
    bodies = body_maker(scenario.body(ctx), scenario.unique, new_run_prefix())
    for _ in range(WARM_UP_REQUESTS):
        conn = http.client.HTTPConnection(parts.hostname or load.LOOPBACK, parts.port, timeout=30)
        conn.request(scenario.method, scenario.path, bodies() or None, scenario.headers(ctx))
        response = conn.getresponse()
        check_status(name, scenario, str(response.status), response.read())
        conn.close()


def measure_http(
    chosen: list[Scenario],
    ctx: BenchContext,
    args: argparse.Namespace,
    workdir: Path,
    env: dict[str, str],
) -> dict[str, dict[str, list[dict[str, Any]]]]:
    """Run each contestant under gunicorn; load them in turn, repetition after repetition."""
    chosen = [scenario for scenario in chosen if scenario.http]
    runs: dict[str, dict[str, list[dict[str, Any]]]] = {s.name: {} for s in chosen}
    needed = {c.name: c for s in chosen for c in contestants_for(s)}
    with ExitStack() as stack:
        running = {
            name: stack.enter_context(
                servers.gunicorn_server(c.gunicorn_target, env, workdir / f"{name}.log")
            )
            for name, c in needed.items()
        }
        for scenario in chosen:
            for contestant in contestants_for(scenario):
                warm_up(contestant.name, scenario, ctx, running[contestant.name].url)
        for _ in range(args.repetitions):
            for scenario in chosen:
                for contestant in contestants_for(scenario):
                    figures = load_once(scenario, ctx, running[contestant.name], args, workdir)
                    runs[scenario.name].setdefault(contestant.name, []).append(figures)
    return runs


def load_once(
    scenario: Scenario,
    ctx: BenchContext,
    server: servers.Server,
    args: argparse.Namespace,
    workdir: Path,
) -> dict[str, Any]:
    """One load run: what the load generator saw, and the server's CPU per request.

    CPU per request counts only the server's workers, so it is much less disturbed than
    requests/s when other work shares the machine.
    """
    cpu_before = servers.workers_cpu_seconds(server.pid)
    spec = load_spec(scenario, ctx, server.url, args.duration)
    result = load.run_load(spec, workdir, args.load_tool)
    cpu = servers.workers_cpu_seconds(server.pid) - cpu_before
    cpu_us = cpu * 1e6 / result.requests if result.requests else None
    return {**result.__dict__, "rps": result.rps, "server_cpu_us": cpu_us}

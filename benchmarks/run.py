"""`make bench`: measure every scenario on the baseline, bare Flask and Stockroom.

For each scenario: in-process µs per request (median of 7 interleaved batches) and SQL
statements per request; then HTTP requests/s, p50 and p99 under gunicorn with identical
settings, contestants interleaved (A, B, C, A, B, C, ...) for N repetitions, the load
coming from a separate process on 127.0.0.1. Prints a table and writes
benchmarks/results/latest.json.
"""

import argparse
import http.client
import os
import secrets
import sys
import tempfile
from collections.abc import Sequence
from contextlib import ExitStack, redirect_stderr
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from benchmarks import inprocess, load, report, scenarios, seed, servers
from benchmarks.contestants import CONTESTANTS, DB_ENV, SCENARIOS_ENV, Contestant
from benchmarks.scenarios.base import BARE_FLASK, REFERENCE, BenchContext, DataSize, Scenario

MAX_REQUESTS = 500_000
WARM_UP_REQUESTS = 20


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """Read the command line."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__)
    parser.add_argument("--scenarios", default="", help="comma-separated (default: all)")
    parser.add_argument("--quick", action="store_true", help="a short smoke run")
    parser.add_argument("--duration", type=float, default=5.0, help="seconds of load per run")
    parser.add_argument("--repetitions", type=int, default=3)
    parser.add_argument("--no-http", action="store_true", help="in-process figures only")
    parser.add_argument("--load-tool", choices=("auto", "wrk", "python"), default="auto")
    parser.add_argument(
        "--check-targets", action="store_true", help="exit 1 when a target is missed"
    )
    args = parser.parse_args(argv)
    if args.quick:
        args.duration, args.repetitions = 1.0, 1
    args.batch_seconds = 0.05 if args.quick else 0.25
    return args


def choose_scenarios(names: str) -> tuple[list[Scenario], dict[str, str]]:
    """Load the named scenarios (or all); skip those whose app modules do not exist yet."""
    wanted = [name for name in names.split(",") if name] or scenarios.available_names()
    chosen, skipped = [], {}
    for name in wanted:
        scenario = scenarios.load(name)
        missing = scenarios.missing_requirements(scenario)
        if missing:
            skipped[name] = "needs " + ", ".join(missing)
        else:
            chosen.append(scenario)
    return chosen, skipped


def stockroom_environment(db_path: Path, workdir: Path, chosen: list[Scenario]) -> dict[str, str]:
    """Production-like settings for Stockroom (and where the other contestants find their data)."""
    (workdir / "prometheus").mkdir()
    return {
        "STOCKROOM_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(48),
        "DATABASE_URL": f"sqlite:///{db_path}",
        "RATELIMIT_ENABLED": "false",
        "ACCESS_LOG": "true",
        "METRICS_ENABLED": "true",
        "LOG_LEVEL": "INFO",
        "PROMETHEUS_MULTIPROC_DIR": str(workdir / "prometheus"),
        DB_ENV: str(db_path),
        SCENARIOS_ENV: ",".join(scenario.name for scenario in chosen),
    }


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


def measure_scenario_inprocess(
    scenario: Scenario, apps: dict[str, Any], ctx: BenchContext, batch_seconds: float
) -> dict[str, Any]:
    """In-process µs per request and SQL per request of every contestant of one scenario."""
    request = inprocess.prepare_request(
        scenario.method, scenario.path, scenario.headers(ctx), scenario.body(ctx)
    )
    callers: dict[str, Any] = {}
    for contestant in contestants_for(scenario):
        app = apps[contestant.name]
        check_status(contestant.name, scenario, *inprocess.call_wsgi(app, request))
        callers[contestant.name] = inprocess.make_caller(app, request)
    if scenario.reference is not None:
        callers[REFERENCE] = scenario.reference(ctx)
    timings = inprocess.measure_interleaved(callers, batch_seconds)
    figures: dict[str, Any] = {"contestants": {}}
    for contestant in contestants_for(scenario):
        timing = timings[contestant.name]
        counting = contestant.counting(apps[contestant.name])
        figures["contestants"][contestant.name] = {
            "inprocess_us": timing.median_us,
            "inprocess_batches_us": timing.batches_us,
            "batch_size": timing.batch_size,
            "sql_per_request": inprocess.statements_per_call(callers[contestant.name], counting),
        }
    if REFERENCE in timings:
        figures["reference"] = {
            "name": scenario.reference_name or REFERENCE,
            "us": timings[REFERENCE].median_us,
        }
    return figures


def measure_inprocess(
    chosen: list[Scenario], ctx: BenchContext, batch_seconds: float, log_path: Path
) -> dict[str, dict[str, Any]]:
    """Build every contestant once in this process and measure each scenario on them.

    Stockroom's JSON access log goes to stderr, redirected here to a line-buffered file,
    as gunicorn's stderr is under load.
    """
    results = {}
    with log_path.open("a", buffering=1) as log, redirect_stderr(log):
        apps = {
            contestant.name: contestant.build(chosen, ctx.db_path) for contestant in CONTESTANTS
        }
        for scenario in chosen:
            results[scenario.name] = measure_scenario_inprocess(scenario, apps, ctx, batch_seconds)
    return results


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
    )


def warm_up(name: str, scenario: Scenario, ctx: BenchContext, base_url: str) -> None:
    """Send a few requests on one connection, checking the answer, before measuring."""
    parts = urlsplit(base_url)
    for _ in range(WARM_UP_REQUESTS):
        conn = http.client.HTTPConnection(parts.hostname or load.LOOPBACK, parts.port, timeout=30)
        conn.request(
            scenario.method, scenario.path, scenario.body(ctx) or None, scenario.headers(ctx)
        )
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


def assemble(
    chosen: list[Scenario], inproc: dict[str, Any], http: dict[str, Any], meta: dict[str, Any]
) -> dict[str, Any]:
    """Merge the measurements, summarise the repetitions, add ratios and check targets."""
    results: dict[str, Any] = {"meta": meta, "scenarios": {}}
    for scenario in chosen:
        figures = inproc[scenario.name]
        for name, contestant in figures["contestants"].items():
            contestant_runs = http.get(scenario.name, {}).get(name, [])
            contestant.update(report.summarise_http(contestant_runs))
            contestant["http_runs"] = contestant_runs
        report.add_ratios(figures["contestants"])
        figures["targets"] = report.check_targets(figures, scenario.targets)
        results["scenarios"][scenario.name] = figures
    return results


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmarks, print the table and write latest.json.

    Exit 1 on a missed target only with --check-targets: figures from 2 shared cores
    are too noisy to gate on by default.
    """
    args = parse_args(argv)
    chosen, skipped = choose_scenarios(args.scenarios)
    size = DataSize.largest(scenario.data for scenario in chosen)
    db_path = seed.database_path(size)
    meta: dict[str, Any] = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine_before": report.machine(),
        "skipped": skipped,
        "settings": {
            "duration_s": args.duration,
            "repetitions": args.repetitions,
            "gunicorn_workers": servers.WORKERS,
            "load_tool": load.choose_tool(args.load_tool),
            "access_log": "JSON lines on stderr, to a file in the run's temporary directory",
        },
    }
    with tempfile.TemporaryDirectory(prefix="stockroom-bench-") as tmp:
        workdir = Path(tmp)
        env = stockroom_environment(db_path, workdir, chosen)
        os.environ.update(env)  # before the app (and prometheus_client) is first imported
        with (workdir / "seed.log").open("a") as log, redirect_stderr(log):
            seed.ensure_database(size)
            ctx = seed.make_context(db_path, size)
        inproc = measure_inprocess(chosen, ctx, args.batch_seconds, workdir / "inprocess.log")
        http = {} if args.no_http else measure_http(chosen, ctx, args, workdir, env)
    meta["machine_after"] = report.machine()
    results = assemble(chosen, inproc, http, meta)
    print(report.format_table(results))
    before, after = meta["machine_before"], meta["machine_after"]
    print(
        f"machine: {before['cpu']}, {before['cores']} cores; load average (1, 5, 15 min) "
        f"before {before['load_average']}, after {after['load_average']}"
    )
    for name, reason in skipped.items():
        print(f"{name}: skipped ({reason})")
    print(f"written: {report.write_json(results)}")
    missed = [t for s in results["scenarios"].values() for t in s["targets"] if t["met"] is False]
    return 1 if missed and args.check_targets else 0


if __name__ == "__main__":
    sys.exit(main())

"""`make bench`: measure every scenario on the baseline, bare Flask and Stockroom.

For each scenario: in-process µs per request (median of 7 interleaved batches) and SQL
statements per request; then HTTP requests/s, p50 and p99 under gunicorn with identical
settings, contestants interleaved (A, B, C, A, B, C, ...) for N repetitions, the load
coming from a separate process on 127.0.0.1. Prints a table and writes
benchmarks/results/latest.json.
"""

import argparse
import os
import secrets
import shutil
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from benchmarks import (
    catalog,
    imports,
    inprocess,
    load,
    over_http,
    report,
    scenarios,
    seed,
    servers,
)
from benchmarks.contestants import CONTESTANTS, DB_ENV, SCENARIOS_ENV, app_logs_to
from benchmarks.scenarios.base import REFERENCE, BenchContext, DataSize, Scenario
from benchmarks.unique_bodies import body_maker, new_run_prefix

IMPORT = "import"


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
    parser.add_argument(
        "--products", type=int, default=None, help="seeded products (default 100000)"
    )
    parser.add_argument("--import-rows", type=int, default=imports.DEFAULT_ROWS)
    args = parser.parse_args(argv)
    if args.products is not None:  # before the scenario modules are imported
        os.environ[catalog.PRODUCTS_ENV] = str(args.products)
    if args.quick:
        args.duration, args.repetitions = 1.0, 1
    args.batch_seconds = 0.05 if args.quick else 0.25
    return args


def choose_scenarios(names: str) -> tuple[list[Scenario], dict[str, str]]:
    """Load the named scenarios (or all); skip those whose app modules do not exist yet.

    `import` is not a request scenario (see benchmarks/imports.py); `main` runs it.
    """
    wanted = [name for name in names.split(",") if name and name != IMPORT]
    wanted = wanted or ([] if names == IMPORT else scenarios.available_names())
    unknown = sorted(set(wanted) - set(scenarios.available_names()))
    if unknown:
        known = ", ".join(scenarios.available_names())
        raise SystemExit(f"unknown scenario {', '.join(unknown)}; choose from: {known}")
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


def contestant_caller(
    scenario: Scenario, app: Any, request: inprocess.PreparedRequest
) -> Callable[[], tuple[str, bytes]]:
    """Make the request once per call: the same request, or with a new body each time.

    Each caller draws its own run prefix, so contestants sharing the database never collide.
    """
    if not scenario.unique:
        return lambda: inprocess.call_wsgi(app, request)
    bodies = body_maker(request.body, scenario.unique, new_run_prefix())
    return lambda: inprocess.call_wsgi(app, replace(request, body=bodies()))


def measure_scenario_inprocess(
    scenario: Scenario, apps: dict[str, Any], ctx: BenchContext, batch_seconds: float
) -> dict[str, Any]:
    """In-process µs per request and SQL per request of every contestant of one scenario."""
    request = inprocess.prepare_request(
        scenario.method, scenario.path, scenario.headers(ctx), scenario.body(ctx)
    )
    callers: dict[str, Any] = {}
    for contestant in over_http.contestants_for(scenario):
        call = contestant_caller(scenario, apps[contestant.name], request)
        over_http.check_status(contestant.name, scenario, *call())
        callers[contestant.name] = call
    if scenario.reference is not None:
        callers[REFERENCE] = scenario.reference(ctx)
    timings = inprocess.measure_interleaved(callers, batch_seconds)
    figures: dict[str, Any] = {"contestants": {}}
    for contestant in over_http.contestants_for(scenario):
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
    with app_logs_to(log_path):
        apps = {
            contestant.name: contestant.build(chosen, ctx.db_path) for contestant in CONTESTANTS
        }
        for scenario in chosen:
            results[scenario.name] = measure_scenario_inprocess(scenario, apps, ctx, batch_seconds)
    return results


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
        results["scenarios"][scenario.name] = figures
    for scenario in chosen:  # once every scenario is in: a target may compare two
        figures = results["scenarios"][scenario.name]
        figures["targets"] = report.check_targets(figures, scenario.targets, results["scenarios"])
    return results


def new_meta(args: argparse.Namespace, skipped: dict[str, str]) -> dict[str, Any]:
    """The run's date, machine, settings and skipped scenarios, for the JSON report."""
    return {
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


def measure_all(
    chosen: list[Scenario], args: argparse.Namespace, workdir: Path
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Seed, then measure in-process and over HTTP, on a copy of the seeded database.

    The copy keeps the cached file pristine: login writes tokens on every request.
    """
    size = DataSize.largest(scenario.data for scenario in chosen)
    db_path = workdir / "bench.db"
    env = stockroom_environment(db_path, workdir, chosen)
    os.environ.update(env)  # before the app (and prometheus_client) is first imported
    with app_logs_to(workdir / "seed.log"):
        shutil.copyfile(seed.ensure_database(size), db_path)
        ctx = seed.make_context(db_path, size)
    inproc = measure_inprocess(chosen, ctx, args.batch_seconds, workdir / "inprocess.log")
    http = {} if args.no_http else over_http.measure_http(chosen, ctx, args, workdir, env)
    return inproc, http


def measure_imports(args: argparse.Namespace, workdir: Path) -> dict[str, Any] | None:
    """Run the import scenario when it is chosen (it is, when no scenario is named)."""
    names = [name for name in args.scenarios.split(",") if name]
    if names and IMPORT not in names:
        return None
    with app_logs_to(workdir / "imports.log"):
        return imports.measure(args.import_rows, workdir)


def print_report(results: dict[str, Any]) -> None:
    """Print the table, the targets, the machine's load and what was skipped."""
    print(report.format_table(results))
    meta = results["meta"]
    before, after = meta["machine_before"], meta["machine_after"]
    print(
        f"machine: {before['cpu']}, {before['cores']} cores; load average (1, 5, 15 min) "
        f"before {before['load_average']}, after {after['load_average']}"
    )
    for name, reason in meta["skipped"].items():
        print(f"{name}: skipped ({reason})")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmarks, print the table and write latest.json.

    Exit 1 on a missed target only with --check-targets: figures from 2 shared cores
    are too noisy to gate on by default.
    """
    args = parse_args(argv)
    chosen, skipped = choose_scenarios(args.scenarios)
    meta = new_meta(args, skipped)
    with tempfile.TemporaryDirectory(prefix="stockroom-bench-") as tmp:
        inproc, http = measure_all(chosen, args, Path(tmp))
        imported = measure_imports(args, Path(tmp))
    meta["machine_after"] = report.machine()
    results = assemble(chosen, inproc, http, meta)
    print_report(results)
    if imported is not None:
        results["imports"] = imported
        print(imports.format_table(imported))
    print(f"written: {report.write_json(results)}")
    missed = [t for s in results["scenarios"].values() for t in s["targets"] if t["met"] is False]
    missed += [line for line in imports.check(imported or {}) if line.endswith("MISSED")]
    return 1 if missed and args.check_targets else 0


if __name__ == "__main__":
    sys.exit(main())

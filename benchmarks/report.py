"""Summaries, ratios, targets, the printed table and benchmarks/results/latest.json."""

import json
import os
import platform
import statistics
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from benchmarks.scenarios.base import BARE_FLASK, BASELINE, REFERENCE, Target

RESULTS_DIR = Path(__file__).resolve().parent / "results"
HTTP_FIGURES = ("rps", "p50_ms", "p99_ms", "server_cpu_us")
COLUMNS = (
    ("scenario", "<", "{}"),
    ("contestant", "<", "{}"),
    ("in-proc µs", ">", "{:.1f}"),
    ("x base", ">", "{:.2f}"),
    ("x flask", ">", "{:.2f}"),
    ("req/s", ">", "{:.0f}"),
    ("x base", ">", "{:.2f}"),
    ("x flask", ">", "{:.2f}"),
    ("p50 ms", ">", "{:.2f}"),
    ("p99 ms", ">", "{:.2f}"),
    ("srv CPU µs", ">", "{:.0f}"),
    ("x flask", ">", "{:.2f}"),
    ("SQL/req", ">", "{:.1f}"),
)


def ratio(value: float | None, versus: float | None) -> float | None:
    """Return value / versus, or None when either is missing or versus is zero."""
    if value is None or not versus:
        return None
    return value / versus


def summarise_http(runs: Iterable[Mapping[str, float]]) -> dict[str, float | None]:
    """Reduce the repetitions' HTTP figures to their medians."""
    chosen = list(runs)
    summary: dict[str, float | None] = {}
    for key in HTTP_FIGURES:
        values = [run[key] for run in chosen if run.get(key) is not None]
        summary[key] = statistics.median(values) if values else None
    return summary


def add_ratios(contestants: dict[str, dict[str, Any]]) -> None:
    """Add each contestant's ratios to the baseline and to bare Flask, in place.

    In-process ratios are costs (above 1 is slower); req/s ratios are throughput
    (below 1 is slower).
    """
    for versus in (BASELINE, BARE_FLASK):
        other = contestants.get(versus, {})
        for figures in contestants.values():
            figures[f"inprocess_vs_{versus}"] = ratio(
                figures.get("inprocess_us"), other.get("inprocess_us")
            )
            figures[f"rps_vs_{versus}"] = ratio(figures.get("rps"), other.get("rps"))
            figures[f"server_cpu_vs_{versus}"] = ratio(
                figures.get("server_cpu_us"), other.get("server_cpu_us")
            )


def figure(scenario: Mapping[str, Any], name: str, metric: str) -> float | None:
    """Look up one contestant's (or the reference's) figure; the reference is in µs."""
    if name == REFERENCE:
        reference = scenario.get("reference") or {}
        value = reference.get("us")
        return value / 1000 if value is not None and metric.endswith("_ms") else value
    measured: float | None = scenario["contestants"].get(name, {}).get(metric)
    return measured


def check_targets(
    scenario: Mapping[str, Any],
    targets: Iterable[Target],
    others: Mapping[str, Mapping[str, Any]] | None = None,
) -> list[dict[str, Any]]:
    """Check each target against the scenario's figures.

    A target naming a `versus_scenario` reads its denominator from `others` (every
    scenario of the run, by name); when that scenario was not run, it is not measured.
    """
    checked = []
    for target in targets:
        versus = (others or {}).get(target.versus_scenario) if target.versus_scenario else scenario
        measured = ratio(
            figure(scenario, target.contestant, target.metric),
            None if versus is None else figure(versus, target.versus, target.metric),
        )
        checked.append(
            {
                "target": target.describe(),
                "ratio": measured,
                "met": None if measured is None else target.is_met(measured),
            }
        )
    return checked


def cell(template: str, value: Any) -> str:
    """Format one cell; a missing figure is a dash."""
    return "-" if value is None else template.format(value)


def table_rows(results: Mapping[str, Any]) -> list[list[str]]:
    """One row per scenario and contestant, in the order of COLUMNS."""
    rows = []
    for name, scenario in results["scenarios"].items():
        for contestant, fig in scenario["contestants"].items():
            values = [
                name,
                contestant,
                fig.get("inprocess_us"),
                fig.get("inprocess_vs_baseline"),
                fig.get("inprocess_vs_bare_flask"),
                fig.get("rps"),
                fig.get("rps_vs_baseline"),
                fig.get("rps_vs_bare_flask"),
                fig.get("p50_ms"),
                fig.get("p99_ms"),
                fig.get("server_cpu_us"),
                fig.get("server_cpu_vs_bare_flask"),
                fig.get("sql_per_request"),
            ]
            rows.append([cell(fmt, v) for (_, _, fmt), v in zip(COLUMNS, values, strict=True)])
    return rows


def format_table(results: Mapping[str, Any]) -> str:
    """Render the results as an aligned text table, then the references and targets."""
    header = [title for title, _, _ in COLUMNS]
    rows = table_rows(results)
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    lines = [
        "  ".join(
            f"{text:{align}{width}}"
            for text, (_, align, _), width in zip(row, COLUMNS, widths, strict=True)
        )
        for row in [header, *rows]
    ]
    lines.insert(1, "  ".join("-" * width for width in widths))
    for name, scenario in results["scenarios"].items():
        reference = scenario.get("reference")
        if reference:
            lines.append(f"{name}: reference {reference['name']}: {reference['us']:.1f} µs")
        for target in scenario.get("targets", []):
            verdict = {True: "met", False: "MISSED", None: "not measured"}[target["met"]]
            lines.append(f"{name}: {target['target']}: {cell('{:.2f}', target['ratio'])} {verdict}")
    return "\n".join(lines)


def machine() -> dict[str, Any]:
    """Describe the machine and its load (others may be running tests on it)."""
    model = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    return {
        "cpu": model,
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "load_average": [round(load, 2) for load in os.getloadavg()],
    }


def write_json(results: Mapping[str, Any], path: Path = RESULTS_DIR / "latest.json") -> Path:
    """Write the results as JSON (git-ignored) and return the path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(results, indent=2, sort_keys=False) + "\n")
    return path

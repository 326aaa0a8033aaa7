"""GET /api/health: liveness, no database. Measures the cost of the HTTP plumbing itself."""

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from benchmarks import baseline
from benchmarks.scenarios.base import BARE_FLASK, STOCKROOM, Scenario, Target


def bare_health() -> dict[str, str]:
    """Answer the same JSON as Stockroom, the way a bare Flask app would."""
    return {"status": "ok", "time": datetime.now(UTC).isoformat().replace("+00:00", "Z")}


def make_bare_health(_db_path: Path) -> Callable[[], dict[str, str]]:
    """Bare Flask's health view (it needs no database)."""
    return bare_health


SCENARIO = Scenario(
    name="health",
    method="GET",
    path="/api/health",
    baseline=baseline.make_health,
    bare_flask_view=make_bare_health,
    targets=(
        Target(STOCKROOM, BARE_FLASK, "inprocess_us", max_ratio=1.3),
        Target(STOCKROOM, BARE_FLASK, "rps", min_ratio=0.9),
    ),
)

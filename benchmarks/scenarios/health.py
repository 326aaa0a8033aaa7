"""GET /api/health: liveness, no database. Measures the cost of the HTTP plumbing itself."""

from datetime import UTC, datetime

from benchmarks import baseline
from benchmarks.scenarios.base import BARE_FLASK, STOCKROOM, Scenario, Target


def bare_health() -> dict[str, str]:
    """Answer the same JSON as Stockroom, the way a bare Flask app would."""
    return {"status": "ok", "time": datetime.now(UTC).isoformat().replace("+00:00", "Z")}


SCENARIO = Scenario(
    name="health",
    method="GET",
    path="/api/health",
    baseline=baseline.make_health,
    bare_flask_view=bare_health,
    targets=(
        Target(STOCKROOM, BARE_FLASK, "inprocess_us", max_ratio=1.3),
        Target(STOCKROOM, BARE_FLASK, "rps", min_ratio=0.9),
    ),
)

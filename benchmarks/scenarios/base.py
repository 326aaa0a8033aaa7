"""What a scenario declares: the request, its contestants' callables, data and targets."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from _typeshed.wsgi import WSGIApplication

BASELINE = "baseline"
BARE_FLASK = "bare_flask"
STOCKROOM = "stockroom"
REFERENCE = "reference"


@dataclass(frozen=True)
class DataSize:
    """How much seeded data a scenario needs; the harness seeds the largest asked for."""

    users: int = 0
    products: int = 0

    @classmethod
    def largest(cls, sizes: Iterable["DataSize"]) -> "DataSize":
        """Return a size covering every one given."""
        chosen = list(sizes)
        return cls(
            users=max((size.users for size in chosen), default=0),
            products=max((size.products for size in chosen), default=0),
        )


@dataclass
class BenchContext:
    """What scenario factories receive: the seeded database and its fixtures."""

    db_path: Path
    fixtures: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Target:
    """A goal checked after the run, as a ratio of two contestants' figures.

    `metric` is "inprocess_us", "rps" or "p50_ms"/"p99_ms"; the ratio is
    contestant / versus, and must be <= max_ratio or >= min_ratio. With `versus_scenario`,
    `versus` is read from that other scenario of the same run (search against a list page);
    when that scenario was not run, the target is not measured.
    """

    contestant: str
    versus: str
    metric: str
    max_ratio: float | None = None
    min_ratio: float | None = None
    versus_scenario: str = ""

    def describe(self) -> str:
        """Say the goal in words, for the report."""
        bound = f"<= {self.max_ratio}" if self.max_ratio is not None else f">= {self.min_ratio}"
        versus = f"{self.versus_scenario} {self.versus}" if self.versus_scenario else self.versus
        return f"{self.contestant} {self.metric} / {versus} {self.metric} {bound}"

    def is_met(self, ratio: float) -> bool:
        """Tell whether a measured ratio meets the goal."""
        if self.max_ratio is not None and ratio > self.max_ratio:
            return False
        return self.min_ratio is None or ratio >= self.min_ratio


def no_headers(_ctx: BenchContext) -> dict[str, str]:
    """Send no extra headers."""
    return {}


def no_body(_ctx: BenchContext) -> bytes:
    """Send no body."""
    return b""


@dataclass(frozen=True)
class Scenario:
    """One request the harness measures on every contestant.

    Attributes:
        name: short name used on the command line and in the report.
        method: HTTP method.
        path: path (and query) of the request.
        baseline: builds the raw WSGI + sqlite3 callable from the seeded database path.
        bare_flask_view: builds, from the seeded database path, a plain Flask view answering
            the same, or None to skip bare Flask.
        bare_flask_rule: the view's URL rule when it is not the path without its query
            (a converter such as `<int:product_id>`, as a real app routes it).
        headers: builds the request headers from the context (a bearer token, say).
        body: builds the request body from the context.
        data: the seeded data the scenario needs.
        expected_status: what every contestant must answer.
        connections: concurrent connections of the load generator.
        reference: builds a plain function measured in-process beside the contestants
            (one argon2 verify, say), or None.
        reference_name: what the reference is, for the report.
        targets: goals checked after the run.
        requires: modules of the app that must exist, else the scenario is skipped.
        unique: for requests that may not repeat (a create with a unique SKU): a placeholder
            in the body that the harness (in-process and warm-up) and both load generators
            replace on every request with a new value of the same length
            (`load.body_maker`: a random per-run prefix, a per-thread number, a counter).
        http: False to measure in-process only.
    """

    name: str
    method: str
    path: str
    baseline: "Callable[[Path], WSGIApplication]"
    bare_flask_view: Callable[[Path], Callable[..., Any]] | None = None
    bare_flask_rule: str = ""
    headers: Callable[[BenchContext], dict[str, str]] = no_headers
    body: Callable[[BenchContext], bytes] = no_body
    data: DataSize = DataSize()
    expected_status: int = 200
    connections: int = 4
    reference: Callable[[BenchContext], Callable[[], object]] | None = None
    reference_name: str = ""
    targets: tuple[Target, ...] = ()
    requires: tuple[str, ...] = ()
    unique: str = ""
    http: bool = True

"""Bare Flask: a minimal Flask app answering each scenario's request with no extras.

No blueprints, no OpenAPI, no hooks, no extensions: the cost of Flask itself, so the report
can tell Stockroom's own overhead from the framework's. Views that need the database run
the raw baseline's SQL (`bare_flask_catalog`).
"""

from collections.abc import Iterable
from pathlib import Path

from flask import Flask

from benchmarks.scenarios.base import Scenario


def create_bare_app(scenarios: Iterable[Scenario], db_path: Path) -> Flask:
    """Build a Flask app with one plain route per scenario that has a bare Flask view.

    Scenarios sharing a rule and method (a list page and a search, say) share its view.
    """
    app = Flask("bare_flask")
    routed: set[tuple[str, str]] = set()
    for scenario in scenarios:
        if scenario.bare_flask_view is None:
            continue
        rule = scenario.bare_flask_rule or scenario.path.partition("?")[0]
        if (rule, scenario.method) in routed:
            continue
        routed.add((rule, scenario.method))
        app.add_url_rule(
            rule, scenario.name, scenario.bare_flask_view(db_path), methods=[scenario.method]
        )
    return app

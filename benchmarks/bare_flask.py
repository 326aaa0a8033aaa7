"""Bare Flask: a minimal Flask app answering each scenario's request with no extras.

No blueprints, no OpenAPI, no hooks, no extensions: the cost of Flask itself, so the report
can tell Stockroom's own overhead from the framework's.
"""

from collections.abc import Iterable

from flask import Flask

from benchmarks.scenarios.base import Scenario


def create_bare_app(scenarios: Iterable[Scenario]) -> Flask:
    """Build a Flask app with one plain route per scenario that has a bare Flask view."""
    app = Flask("bare_flask")
    for scenario in scenarios:
        if scenario.bare_flask_view is not None:
            app.add_url_rule(
                scenario.path,
                scenario.name,
                scenario.bare_flask_view,
                methods=[scenario.method],
            )
    return app

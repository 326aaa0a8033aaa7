"""The JSON API at /api: a parent blueprint that nests one blueprint per feature.

Rule: API feature packages (api/<feature>/routes.py) never import each other; they share
only `app.api.errors` and `app.api.responses`. Routes parse, call one service, render.
"""

from flask import Flask
from flask_openapi3.blueprint import APIBlueprint

from app.api.health.routes import bp as health_bp
from app.api.request_body import check_request_body

bp = APIBlueprint("api", __name__, url_prefix="/api")
for feature_bp in (health_bp,):
    bp.register_api(feature_bp)


def init_app(app: Flask) -> None:
    """Mount the API on the app and check request bodies before validation."""
    app.register_api(bp)  # type: ignore[attr-defined]
    app.before_request(check_request_body)

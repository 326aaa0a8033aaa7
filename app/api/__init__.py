"""The JSON API at /api: a parent blueprint that nests one blueprint per feature.

Rule: API feature packages (api/<feature>/routes.py) never import each other; they share
only `app.api.errors` and `app.api.responses`. Routes parse, call one service, render.
"""

from flask import Flask
from flask_openapi3.blueprint import APIBlueprint

# openapi_docs first: it lets flask-openapi3 keep `examples` in the schemas that the
# feature blueprints below describe while they are imported.
from app.api import auth, idempotency, openapi_docs  # noqa: F401
from app.api.categories.routes import bp as categories_bp
from app.api.exports.routes import bp as exports_bp
from app.api.health.routes import bp as health_bp
from app.api.imports.routes import bp as imports_bp
from app.api.jobs.routes import bp as jobs_bp
from app.api.password_resets.routes import bp as password_resets_bp
from app.api.products.routes import bp as products_bp
from app.api.request_body import check_request_body
from app.api.stores.routes import bp as stores_bp
from app.api.tokens.routes import bp as tokens_bp
from app.api.users.routes import bp as users_bp

bp = APIBlueprint("api", __name__, url_prefix="/api")
for feature_bp in (health_bp, tokens_bp, users_bp, categories_bp, products_bp, stores_bp):
    bp.register_api(feature_bp)
bp.register_api(password_resets_bp)
for job_bp in (imports_bp, exports_bp, jobs_bp):
    bp.register_api(job_bp)


def init_app(app: Flask) -> None:
    """Mount the API on the app and check request bodies before validation."""
    app.register_api(bp)  # type: ignore[attr-defined]
    auth.init_app(app)  # first: an anonymous caller learns nothing about bodies
    app.before_request(check_request_body)
    idempotency.init_app(app)  # after authentication: a key belongs to its user

"""The JSON API at /api: a parent blueprint that nests one blueprint per feature.

Rule: API feature packages (api/<feature>/routes.py) never import each other; they share
only the helper modules that the `api-features-independent` contract in pyproject.toml
ignores (`errors`, `responses`, `auth`, `conditional`, `openapi_docs`, `query_args` under
`app.api`). Routes parse, call one service, render.
"""

from collections.abc import Callable

from flask import Flask, Request, Response, request
from flask_openapi3.blueprint import APIBlueprint

# openapi_docs first: it lets flask-openapi3 keep `examples` in the schemas that the
# feature blueprints below describe while they are imported.
from app.api import auth, idempotency, openapi_docs  # noqa: F401
from app.api.categories.routes import bp as categories_bp
from app.api.direct_views import unwrap_plain_views
from app.api.exports.routes import bp as exports_bp
from app.api.health.routes import bp as health_bp
from app.api.imports.routes import bp as imports_bp
from app.api.jobs.routes import bp as jobs_bp
from app.api.password_resets.routes import bp as password_resets_bp
from app.api.products.routes import bp as products_bp
from app.api.request_body import check_request_body, may_need_body_check
from app.api.stores.routes import bp as stores_bp
from app.api.tokens.routes import bp as tokens_bp
from app.api.users.routes import bp as users_bp

bp = APIBlueprint("api", __name__, url_prefix="/api")
for feature_bp in (health_bp, tokens_bp, users_bp, categories_bp, products_bp, stores_bp):
    bp.register_api(feature_bp)
bp.register_api(password_resets_bp)
for job_bp in (imports_bp, exports_bp, jobs_bp):
    bp.register_api(job_bp)


def make_api_request_hook(
    authenticate: Callable[[], None] | None = auth.authenticate_request,
) -> Callable[[], Response | None]:
    """Return one app's hook that runs the API's three request checks in order.

    The token first (`authenticate`; an anonymous caller learns nothing about bodies), then
    the body, then the idempotency key (after authentication: a key belongs to its user).
    One Flask dispatch instead of three, and the request object is fetched once: each check
    that would surely return at once is not called at all (an unrouted path or a public
    view needs no token; see `may_need_body_check` and `may_claim`). Tests pass another
    `authenticate`, or None for no token check.
    """
    # endpoint -> whether `authenticate_request` would let it pass without a token.
    public: dict[str, bool] = {}

    def before_api_request() -> Response | None:
        current: Request = request._get_current_object()  # type: ignore[attr-defined]
        endpoint = current.endpoint
        if endpoint is not None and authenticate is not None:
            is_public = public.get(endpoint)
            if is_public is None:
                is_public = public[endpoint] = auth.is_public_endpoint(endpoint)
            if not is_public:
                authenticate()
        environ = current.environ
        if may_need_body_check(environ):
            check_request_body()
        return idempotency.claim_key() if idempotency.may_claim(environ) else None

    return before_api_request


def init_app(app: Flask) -> None:
    """Mount the API on the app; check tokens, bodies and idempotency keys before views.

    Views with nothing for flask-openapi3 to validate are then called without its wrapper.
    """
    app.register_api(bp)  # type: ignore[attr-defined]
    auth.init_app(app)
    # In the token check's place, so whatever else `auth.init_app` sets up stays as it is.
    hooks = app.before_request_funcs[None]
    hooks[hooks.index(auth.authenticate_request)] = make_api_request_hook()
    unwrap_plain_views(app)

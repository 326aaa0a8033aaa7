"""Bearer-token authentication for the whole API, secure by default.

Every view under /api needs `Authorization: Bearer <access token>` unless it is marked
`@public` (or is the OpenAPI document and its docs pages). The hook checks the token in
one SQL query, on the request's connection (`db_connection()`: no ORM Session for a
request that needs none), and leaves the caller (a `Caller`: user id, roles and token
ids, no ORM object) in `flask.g.current_user` for `current_user()`.
"""

from collections.abc import Callable
from typing import Any, TypeVar

from flask import Flask, Request, current_app, g, request

from app.api.errors import is_api_request
from app.common.errors import AuthenticationError
from app.extensions import db_connection
from app.services import auth_service
from app.services.access import Caller

ViewT = TypeVar("ViewT", bound=Callable[..., Any])

PUBLIC_ATTRIBUTE = "_stockroom_public"
BEARER: list[dict[str, list[str]]] = [{"bearerAuth": []}]
# The OpenAPI document, the interactive docs and their static files are public.
PUBLIC_BLUEPRINTS = frozenset({"openapi", "swagger"})
PUBLIC_ENDPOINTS = frozenset({"api_docs"})
PUBLIC_CACHE_KEY = "stockroom.public_endpoints"


def public(view: ViewT) -> ViewT:
    """Mark a view as needing no token; put it below the `@bp.get(...)` line."""
    setattr(view, PUBLIC_ATTRIBUTE, True)
    return view


def is_public_endpoint(endpoint: str) -> bool:
    """Tell whether the view behind `endpoint` may be called without a token.

    The answer is worked out once per endpoint and app, then kept: a view's endpoint
    never changes its function, so neither does the answer.
    """
    known: dict[str, bool] = current_app.extensions.setdefault(PUBLIC_CACHE_KEY, {})
    answer = known.get(endpoint)
    if answer is None:
        answer = known[endpoint] = _is_public_view(endpoint)
    return answer


def _is_public_view(endpoint: str) -> bool:
    if endpoint in PUBLIC_ENDPOINTS or endpoint.split(".", 1)[0] in PUBLIC_BLUEPRINTS:
        return True
    view = current_app.view_functions.get(endpoint)
    return bool(getattr(view, PUBLIC_ATTRIBUTE, False))


def authenticate_request() -> None:
    """Require a live access token for every non-public API view.

    Unknown paths (no endpoint) pass through to become 404 or 405, and CORS
    preflight requests carry no credentials by design.

    Raises:
        AuthenticationError: the token is missing, malformed, unknown, expired or revoked.
    """
    if not is_api_request():  # no work at all for pages
        return
    # The request object itself: each use of the `request` proxy costs a context lookup.
    current: Request = request._get_current_object()  # type: ignore[attr-defined]
    endpoint = current.endpoint
    if endpoint is None or current.method == "OPTIONS" or is_public_endpoint(endpoint):
        return
    # The environ entry `headers.get("Authorization")` reads, without its key mangling.
    authorization = current.environ.get("HTTP_AUTHORIZATION", "")
    scheme, _, raw_token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not raw_token.strip():
        raise AuthenticationError("Send an access token: `Authorization: Bearer <token>`.")
    caller = auth_service.authenticate(db_connection(), raw_token.strip())
    context = g._get_current_object()  # one lookup of the `g` proxy for both names
    context.current_token = context.current_user = caller


def current_user() -> Caller:
    """Return the signed-in caller of this request (an `Actor` for the services).

    Raises:
        AuthenticationError: when called outside an authenticated view.
    """
    return _signed_in("current_user")


def current_token() -> Caller:
    """Return the caller as the access token they sent: its `token_id` and `pair_id`.

    Raises:
        AuthenticationError: when called outside an authenticated view.
    """
    return _signed_in("current_token")


def _signed_in(name: str) -> Caller:
    """Return what `authenticate_request` left in `g` under `name`; 401 when it left nothing."""
    value: Caller | None = g.get(name)
    if value is None:
        raise AuthenticationError()
    return value


def init_app(app: Flask) -> None:
    """Run the token check before every request (register it before body checks)."""
    app.before_request(authenticate_request)

"""POST /api/auth/tokens (sign in), POST /api/auth/tokens/refresh, DELETE /api/auth/tokens."""

from flask import Response, current_app, request
from flask_openapi3.blueprint import APIBlueprint
from flask_openapi3.models.tag import Tag

from app.api.auth import BEARER, current_token, current_user, public
from app.api.responses import render_data, render_no_content
from app.extensions import db, limiter
from app.schemas.auth_schema import TokenCreate, TokenPairData, TokenPairOut, TokenRefresh
from app.schemas.problem_schema import Problem
from app.services import auth_service
from app.services.user_service import normalise_email

bp = APIBlueprint(
    "tokens",
    __name__,
    url_prefix="/auth/tokens",
    abp_tags=[Tag(name="auth", description="Access and refresh tokens")],
)


# RFC 6749 section 5.1: a response carrying tokens must not be stored by any cache.
# The idempotency hook also refuses to store a `no-store` response.
NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}


def _lifetimes() -> auth_service.TokenLifetimes:
    return auth_service.TokenLifetimes(
        access=current_app.config["ACCESS_TOKEN_TTL"],
        refresh=current_app.config["REFRESH_TOKEN_TTL"],
    )


def _login_limit() -> str:
    return str(current_app.config["RATELIMIT_LOGIN"])


def _login_key() -> str:
    """Count sign-in attempts per client address and email, as RATELIMIT_LOGIN says."""
    body = request.get_json(silent=True)
    email = body.get("email") if isinstance(body, dict) else None
    address = normalise_email(email) if isinstance(email, str) else ""
    return f"login:{request.remote_addr or 'unknown'}:{address}"


@bp.post(
    "",
    responses={201: TokenPairData, 401: Problem, 422: Problem, 429: Problem},
    summary="Sign in: trade an email and password for a token pair",
)
@public
@limiter.limit(_login_limit, key_func=_login_key)
def create_token(body: TokenCreate) -> Response:
    """Answer 201 with a new pair; 401 for a wrong email or password alike."""
    pair = auth_service.sign_in(db.session(), body.email, body.password, _lifetimes())
    return render_data(TokenPairOut.model_validate(pair), 201, NO_STORE)


@bp.post(
    "/refresh",
    responses={201: TokenPairData, 401: Problem, 422: Problem},
    summary="Trade a refresh token for a new pair (the old one is spent)",
)
@public
def refresh_token(body: TokenRefresh) -> Response:
    """Answer 201 with a new pair; reusing a spent refresh token signs the user out."""
    pair = auth_service.refresh(db.session(), body.refresh_token, _lifetimes())
    return render_data(TokenPairOut.model_validate(pair), 201, NO_STORE)


@bp.delete(
    "",
    responses={204: None, 401: Problem},
    summary="Sign out: revoke this access token and its refresh token",
    security=BEARER,
)
def delete_token() -> Response:
    """Answer 204; the token stops working at once."""
    auth_service.sign_out(db.session(), current_user(), current_token())
    return render_no_content()

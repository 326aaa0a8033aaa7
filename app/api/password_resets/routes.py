"""POST /api/auth/password-reset (mail a link) and POST /api/auth/password-reset/confirm."""

from flask import Response, current_app, request
from flask_openapi3.blueprint import APIBlueprint
from flask_openapi3.models.tag import Tag

from app.api.auth import public
from app.api.responses import render_data, render_no_content
from app.extensions import db, limiter
from app.schemas.auth_schema import (
    PasswordResetAccepted,
    PasswordResetAcceptedData,
    PasswordResetConfirm,
    PasswordResetRequest,
)
from app.schemas.problem_schema import Problem
from app.services import password_reset_service
from app.services.user_service import normalise_email
from app.tasks.queue import password_reset_mailer

ACCEPTED = "If an active account has this email, a reset link has been sent to it."

bp = APIBlueprint(
    "password_resets",
    __name__,
    url_prefix="/auth/password-reset",
    abp_tags=[Tag(name="auth", description="Access and refresh tokens")],
)


def _reset_limit() -> str:
    return str(current_app.config["RATELIMIT_PASSWORD_RESET"])


def _reset_key() -> str:
    """Count reset requests per email (trimmed, lower-cased), as RATELIMIT_PASSWORD_RESET says."""
    body = request.get_json(silent=True)
    email = body.get("email") if isinstance(body, dict) else None
    return f"password-reset:{normalise_email(email) if isinstance(email, str) else ''}"


@bp.post(
    "",
    responses={202: PasswordResetAcceptedData},
    summary="Ask for a password-reset link (the same 202 whether or not the email is known)",
)
@public
@limiter.limit(_reset_limit, key_func=_reset_key, override_defaults=False)
def request_password_reset(body: PasswordResetRequest) -> Response:
    """Answer 202; an active account with this email is mailed a single-use link."""
    password_reset_service.request_reset(
        db.session(),
        body.email,
        password_reset_mailer,
        current_app.config["PASSWORD_RESET_TTL"],
    )
    return render_data(PasswordResetAccepted(detail=ACCEPTED), 202)


@bp.post(
    "/confirm",
    responses={204: None, 400: Problem},
    summary="Set a new password with the token from a reset link (signs out everywhere)",
)
@public
def confirm_password_reset(body: PasswordResetConfirm) -> Response:
    """Answer 204; the token is spent and every token of the user is revoked."""
    password_reset_service.confirm_reset(db.session(), body.token, body.new_password)
    return render_no_content()

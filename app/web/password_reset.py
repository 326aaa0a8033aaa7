"""Forgotten passwords: ask for a reset link, then set a new password from the mailed link.

The link's token arrives in the query string of the page the mail opens. It is put in a
hidden field and posted to the bare path, so it is never part of a link, a form action or
a Referer (`Referrer-Policy: no-referrer` is sent with every page), and the access log
records paths without query strings. The page is also kept out of caches.
"""

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import logout_user

from app.common.errors import BadRequestError, ValidationError
from app.extensions import db, limiter
from app.services import password_reset_service
from app.services.user_service import normalise_email
from app.tasks.queue import password_reset_mailer
from app.web.forms import (
    PasswordResetForm,
    PasswordResetRequestForm,
    page_status,
    show_domain_errors,
)

bp = Blueprint("password_reset", __name__, url_prefix="/password-reset")
CHANGED_NOW_SIGN_IN = "Your password was changed; sign in with the new one."
NO_STORE = {"Cache-Control": "no-store"}


def _reset_limit() -> str:
    return str(current_app.config["RATELIMIT_PASSWORD_RESET"])


def _reset_key() -> str:
    """Count reset requests per email (trimmed, lower-cased), as the API's request does."""
    return f"web-password-reset:{normalise_email(request.form.get('email', ''))}"


@bp.route("/request", methods=["GET", "POST"])
@limiter.limit(_reset_limit, key_func=_reset_key, methods=["POST"], override_defaults=False)
def request_password_reset() -> ResponseReturnValue:
    """Ask for a reset link; every email gets the same confirmation page."""
    form = PasswordResetRequestForm()
    if form.validate_on_submit():
        password_reset_service.request_reset(
            db.session(),
            form.email.data,
            password_reset_mailer,
            current_app.config["PASSWORD_RESET_TTL"],
        )
        return render_template("auth/password_reset_sent.html")
    return render_template("auth/password_reset_request.html", form=form), page_status(form)


@bp.route("", methods=["GET", "POST"])
def reset_password() -> ResponseReturnValue:
    """Set a new password with the token of a reset link; then sign in with it."""
    form = PasswordResetForm()
    if not form.is_submitted():
        form.token.data = request.args.get("token", "")
    if not form.token.data:
        return _dead_link(password_reset_service.INVALID_LINK)
    if form.validate_on_submit():
        try:
            password_reset_service.confirm_reset(
                db.session(), form.token.data, form.new_password.data
            )
        except BadRequestError as error:
            return _dead_link(error.detail)
        except ValidationError as error:
            show_domain_errors(form, error)
        else:
            logout_user()  # whoever was signed in here signs in again, with the new password
            flash(CHANGED_NOW_SIGN_IN)
            return redirect(url_for("web.auth.sign_in"))
    page = render_template("auth/password_reset.html", form=form)
    return page, page_status(form), NO_STORE


def _dead_link(detail: str) -> ResponseReturnValue:
    """Say the link cannot be used, and offer a new one (400)."""
    return render_template("auth/password_reset_dead.html", detail=detail), 400, NO_STORE

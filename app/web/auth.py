"""Sign in and sign out of the dashboard (a session cookie; CSRF on both forms)."""

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_login import login_user, logout_user

from app.common.errors import AuthenticationError
from app.extensions import db, limiter
from app.services import auth_service
from app.services.user_service import normalise_email
from app.web.forms import SignInForm
from app.web.session_user import SessionUser, safe_next

bp = Blueprint("auth", __name__)


def _login_limit() -> str:
    return str(current_app.config["RATELIMIT_LOGIN"])


def _login_key() -> str:
    """Count sign-in attempts per client address and email, as the API's sign-in does."""
    email = normalise_email(request.form.get("email", ""))
    return f"web-login:{request.remote_addr or 'unknown'}:{email}"


@bp.route("/sign-in", methods=["GET", "POST"])
@limiter.limit(_login_limit, key_func=_login_key, methods=["POST"])
def sign_in() -> ResponseReturnValue:
    """Show the sign-in form; on success start a fresh session and go where asked."""
    form = SignInForm()
    if form.validate_on_submit():
        try:
            user = auth_service.sign_in_to_dashboard(
                db.session(), form.email.data, form.password.data
            )
        except AuthenticationError as error:
            form.form_errors.append(error.detail)
        else:
            session.clear()  # a new session on sign-in: no fixation of a planted cookie
            login_user(SessionUser(user))
            return redirect(safe_next(request.args.get("next")) or url_for("web.dashboard.home"))
    status = 200 if not form.errors else 401 if form.form_errors else 422
    return render_template("auth/sign_in.html", form=form), status


@bp.post("/sign-out")
def sign_out() -> ResponseReturnValue:
    """End the session (a POST with the CSRF token, so no page can sign you out)."""
    logout_user()
    session.clear()
    flash("You are signed out.")
    return redirect(url_for("web.auth.sign_in"))

"""Your own account: change your name, and your password (which needs the current one)."""

from flask import Blueprint, flash, redirect, render_template, session, url_for
from flask.typing import ResponseReturnValue
from flask_login import login_user

from app.common.errors import ValidationError
from app.extensions import db
from app.models.user import User
from app.services import profile_service
from app.web.forms import ProfileForm, page_status, show_domain_errors
from app.web.session_user import SessionUser, acting_user, require_sign_in

bp = Blueprint("profile", __name__, url_prefix="/profile")
SAVED = "Your profile was saved."
SIGNED_OUT_ELSEWHERE = (
    "Your password was changed; your other sessions and API tokens were signed out."
)


bp.before_request(require_sign_in)


@bp.route("", methods=["GET", "POST"])
def edit_profile() -> ResponseReturnValue:
    """Show your name and a password form; save through the same service as PATCH /api/users/me."""
    user = acting_user()
    form = ProfileForm(data={"name": user.name or ""})
    if form.validate_on_submit():
        changes = profile_service.ProfileChanges(
            name=form.name.data or "",
            password=form.password.data or None,
            current_password=form.current_password.data or None,
        )
        try:
            profile_service.update_profile(db.session(), user, changes, None)
        except ValidationError as error:
            show_domain_errors(form, error)
        else:
            _keep_signed_in(user, is_new_password=changes.password is not None)
            return redirect(url_for("web.profile.edit_profile"))
    return render_template("profile/edit.html", form=form, user=user), page_status(form)


def _keep_signed_in(user: User, *, is_new_password: bool) -> None:
    """Say what was saved; after a new password, move this browser to a fresh session.

    The service's new password ends every session keyed to the old one, this one too;
    signing in again here keeps this browser signed in, under a new session cookie.
    """
    if is_new_password:
        session.clear()
        login_user(SessionUser(user))
    flash(SIGNED_OUT_ELSEWHERE if is_new_password else SAVED)

"""Admin pages for accounts: list, create, change role and name, deactivate."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from app.common.errors import ConflictError, ValidationError
from app.extensions import db
from app.services import access, user_service
from app.web.forms import EditUserForm, NewUserForm, page_status, show_domain_errors
from app.web.session_user import acting_user, require_sign_in

bp = Blueprint("users", __name__, url_prefix="/users")
PAGE_SIZE = 50


bp.before_request(require_sign_in)


@bp.get("")
def list_users() -> ResponseReturnValue:
    """List accounts, a page at a time (admins; anyone else gets 403)."""
    page = user_service.list_users(
        db.session(),
        acting_user(),
        user_service.UserFilter(),
        PAGE_SIZE,
        request.args.get("cursor") or None,
    )
    return render_template("users/list.html", page=page)


@bp.route("/new", methods=["GET", "POST"])
def create_user() -> ResponseReturnValue:
    """Create an account with a role (admins)."""
    access.require_admin(acting_user(), "create users")
    form = NewUserForm()
    if form.validate_on_submit():
        new_user = user_service.NewUser(
            email=form.email.data,
            password=form.password.data,
            name=form.name.data or None,
            roles=[form.role.data] if form.role.data else [],
        )
        try:
            user = user_service.create_user(db.session(), acting_user(), new_user)
        except (ValidationError, ConflictError) as error:
            show_domain_errors(form, error)
        else:
            flash(f"Account {user.email} created.")
            return redirect(url_for("web.users.list_users"))
    return render_template("users/form.html", form=form, user=None), page_status(form)


@bp.route("/<int:user_id>/edit", methods=["GET", "POST"])
def edit_user(user_id: int) -> ResponseReturnValue:
    """Change an account's name, role or active flag (admins)."""
    access.require_admin(acting_user(), "change users")
    user = user_service.get_user(db.session(), acting_user(), user_id)
    form = EditUserForm(obj=user)
    if not form.is_submitted():
        form.role.data = "admin" if user.is_admin else "manager" if user.role_names else ""
    if form.validate_on_submit():
        changes = user_service.UserChanges(
            name=form.name.data or "",
            is_active=form.is_active.data,
            roles=[form.role.data] if form.role.data else [],
        )
        try:
            user_service.update_user(db.session(), acting_user(), user_id, changes)
        except (ValidationError, ConflictError) as error:
            show_domain_errors(form, error)
        else:
            flash(f"Account {user.email} saved.")
            return redirect(url_for("web.users.list_users"))
    return render_template("users/form.html", form=form, user=user), page_status(form)

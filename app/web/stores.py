"""A store's page (stock, managers) and the store forms: create, edit, delete, managers."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from wtforms import SelectChoice

from app.common.errors import ConflictError, ValidationError
from app.extensions import db
from app.services import access, dashboard_service, manager_service, store_service
from app.tasks.queue import manager_notifier
from app.web.forms import (
    ConfirmForm,
    ManagerForm,
    StockAddForm,
    StoreForm,
    page_status,
    show_domain_errors,
)
from app.web.session_user import acting_user, require_sign_in

bp = Blueprint("stores", __name__, url_prefix="/stores")
STORE_FIELDS = ("name", "address", "city", "state", "zip_code")


bp.before_request(require_sign_in)


def render_store_page(
    store_id: int, add_form: StockAddForm | None = None, status: int = 200
) -> ResponseReturnValue:
    """Render a store's page; a failed add-product form is shown again with its errors."""
    search = request.args.get("q") or None
    view = dashboard_service.get_store_page(
        db.session(), acting_user(), store_id, search, request.args.get("cursor") or None
    )
    manager_form = ManagerForm()
    manager_form.user_id.choices = [
        SelectChoice(str(user.id), f"{user.name or user.email} ({user.email})")
        for user in view.manager_candidates
    ]
    page = render_template(
        "stores/show.html",
        view=view,
        search=search or "",
        add_form=add_form or StockAddForm(formdata=None),
        manager_form=manager_form,
        confirm_form=ConfirmForm(),
    )
    return page, status


@bp.get("/<int:store_id>")
def show_store(store_id: int) -> ResponseReturnValue:
    """Show a store: its stock (searchable, a page at a time) and its managers."""
    return render_store_page(store_id)


@bp.route("/new", methods=["GET", "POST"])
def create_store() -> ResponseReturnValue:
    """Create a store (admins; anyone else gets 403)."""
    access.require_admin(acting_user(), "create a store")
    form = StoreForm()
    if form.validate_on_submit():
        fields = {name: form[name].data for name in STORE_FIELDS}
        try:
            store = store_service.create_store(db.session(), acting_user(), fields)
        except ValidationError as error:
            show_domain_errors(form, error)
        else:
            flash(f"Store {store.name} created.")
            return redirect(url_for("web.stores.show_store", store_id=store.id))
    return _form_page(form, None)


@bp.route("/<int:store_id>/edit", methods=["GET", "POST"])
def edit_store(store_id: int) -> ResponseReturnValue:
    """Edit a store (an admin, or a manager of this store; anyone else gets 403)."""
    store = dashboard_service.get_editable_store(db.session(), acting_user(), store_id)
    form = StoreForm(obj=store)
    if form.validate_on_submit():
        fields = {name: form[name].data for name in STORE_FIELDS}
        try:
            store_service.update_store(db.session(), acting_user(), store_id, fields)
        except ValidationError as error:
            show_domain_errors(form, error)
        else:
            flash("Store saved.")
            return redirect(url_for("web.stores.show_store", store_id=store_id))
    return _form_page(form, store_id)


@bp.post("/<int:store_id>/delete")
def delete_store(store_id: int) -> ResponseReturnValue:
    """Delete a store with its stock and managers (admins)."""
    store_service.delete_store(db.session(), acting_user(), store_id)
    flash("Store deleted.")
    return redirect(url_for("web.dashboard.home"))


@bp.post("/<int:store_id>/managers")
def add_manager(store_id: int) -> ResponseReturnValue:
    """Make a user the store's manager (admins); they are e-mailed."""
    user_id = request.form.get("user_id", "")
    if not user_id.isdigit():
        raise ValidationError("Choose a user.", {"user_id": ["Choose a user."]})
    try:
        user = manager_service.add_manager(
            db.session(), acting_user(), store_id, int(user_id), manager_notifier
        )
    except ConflictError as error:
        flash(error.detail, "error")
    else:
        flash(f"{user.email} now manages this store and has been e-mailed.")
    return redirect(url_for("web.stores.show_store", store_id=store_id))


@bp.post("/<int:store_id>/managers/<int:user_id>/delete")
def remove_manager(store_id: int, user_id: int) -> ResponseReturnValue:
    """Stop a user managing the store (admins); they are e-mailed."""
    manager_service.remove_manager(db.session(), acting_user(), store_id, user_id, manager_notifier)
    flash("Manager removed; they have been e-mailed.")
    return redirect(url_for("web.stores.show_store", store_id=store_id))


def _form_page(form: StoreForm, store_id: int | None) -> ResponseReturnValue:
    status = page_status(form)
    return render_template("stores/form.html", form=form, store_id=store_id), status

"""The catalog: full-text search and filters for everyone; product forms for admins."""

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from wtforms import SelectChoice

from app.common.errors import ConflictError, ValidationError
from app.extensions import db
from app.services import access, category_service, product_listing, product_service
from app.web.forms import (
    CatalogFilterForm,
    ConfirmForm,
    ProductForm,
    page_status,
    show_domain_errors,
)
from app.web.session_user import acting_user, require_sign_in

bp = Blueprint("catalog", __name__, url_prefix="/catalog")
PAGE_SIZE = 25
CATEGORY_CHOICES_LIMIT = 100


bp.before_request(require_sign_in)


def _category_choices() -> list[SelectChoice]:
    page = category_service.list_categories(db.session(), limit=CATEGORY_CHOICES_LIMIT)
    return [SelectChoice(str(category.id), category.name) for category in page.items]


@bp.get("")
def list_products() -> ResponseReturnValue:
    """Search the catalog (the API's full-text search) and filter by category and price."""
    form = CatalogFilterForm(request.args)
    form.category.choices = [SelectChoice("", "Any category"), *_category_choices()]
    page = None
    if form.validate():
        listing = product_listing.ProductListing(
            q=(form.q.data or "").strip() or None,
            category=form.category.data,
            min_price=form.min_price.data,
            max_price=form.max_price.data,
            limit=PAGE_SIZE,
            cursor=request.args.get("cursor") or None,
        )
        try:
            page = product_service.list_products(db.session(), listing)
        except ValidationError as error:
            show_domain_errors(form, error)
    status = 200 if page is not None else 422
    filters = {key: value for key, value in request.args.items() if key != "cursor" and value}
    return render_template(
        "catalog/list.html", form=form, page=page, filters=filters, confirm_form=ConfirmForm()
    ), status


@bp.route("/new", methods=["GET", "POST"])
def create_product() -> ResponseReturnValue:
    """Create a product (admins; anyone else gets 403)."""
    access.require_admin(acting_user(), "create a product")
    form = _product_form(None)
    if form.validate_on_submit():
        try:
            product = product_service.create_product(db.session(), acting_user(), _fields(form))
        except (ValidationError, ConflictError) as error:
            show_domain_errors(form, error)
        else:
            flash(f"Product {product.sku} created.")
            return redirect(url_for("web.catalog.list_products"))
    return _form_page(form, None)


@bp.route("/<int:product_id>/edit", methods=["GET", "POST"])
def edit_product(product_id: int) -> ResponseReturnValue:
    """Edit a product (admins; 404 for an unknown id, 403 for anyone else)."""
    product = product_service.get_product(db.session(), product_id)
    access.require_admin(acting_user(), "change a product")
    form = _product_form(product)
    if form.validate_on_submit():
        try:
            product_service.update_product(db.session(), acting_user(), product_id, _fields(form))
        except (ValidationError, ConflictError) as error:
            show_domain_errors(form, error)
        else:
            flash("Product saved.")
            return redirect(url_for("web.catalog.list_products"))
    return _form_page(form, product_id)


@bp.post("/<int:product_id>/delete")
def delete_product(product_id: int) -> ResponseReturnValue:
    """Delete a product and its stock rows (admins)."""
    product_service.delete_product(db.session(), acting_user(), product_id)
    flash("Product deleted.")
    return redirect(url_for("web.catalog.list_products"))


def _product_form(product: Any) -> ProductForm:
    form = ProductForm(obj=product)
    form.categories.choices = _category_choices()
    if product is not None and not form.is_submitted():
        form.categories.data = [category.id for category in product.categories]
    return form


def _fields(form: ProductForm) -> dict[str, Any]:
    return {
        "sku": form.sku.data,
        "name": form.name.data,
        "price": form.price.data,
        "description": form.description.data or None,
        "categories": form.categories.data or [],
    }


def _form_page(form: ProductForm, product_id: int | None) -> ResponseReturnValue:
    status = page_status(form)
    return render_template("catalog/form.html", form=form, product_id=product_id), status

"""A store's stock from the dashboard: add a product, set or adjust a quantity, remove one.

The quantity endpoint answers JSON to our fetch() script (static/stock.js) and redirects
a plain form post, so the page works with and without JavaScript.
"""

from flask import Blueprint, flash, jsonify, redirect, url_for
from flask.typing import ResponseReturnValue

from app.common.errors import ConflictError, ValidationError
from app.extensions import db
from app.services import dashboard_service, stock_service
from app.web.error_pages import wants_json
from app.web.forms import QuantityForm, StockAddForm, show_domain_errors
from app.web.session_user import acting_user, require_sign_in
from app.web.stores import render_store_page

bp = Blueprint("stock", __name__, url_prefix="/stores/<int:store_id>/stock")


bp.before_request(require_sign_in)


@bp.post("")
def add_stock(store_id: int) -> ResponseReturnValue:
    """Start stocking a product by SKU; errors are shown on the store's page."""
    form = StockAddForm()
    if form.validate_on_submit():
        try:
            line = dashboard_service.add_stock_by_sku(
                db.session(), acting_user(), store_id, form.sku.data, form.quantity.data
            )
        except (ValidationError, ConflictError) as error:
            show_domain_errors(form, error)
        else:
            flash(f"{line.product.name} added with {line.quantity} units.")
            return redirect(url_for("web.stores.show_store", store_id=store_id))
    return render_store_page(store_id, form, 409 if form.form_errors else 422)


@bp.post("/<int:product_id>")
def change_quantity(store_id: int, product_id: int) -> ResponseReturnValue:
    """Set (`quantity`) or adjust (`delta`) a quantity; JSON for fetch(), else a redirect."""
    form = QuantityForm()
    if not form.validate():
        raise ValidationError("Give a whole number.", form.errors)
    change = stock_service.QuantityChange(quantity=form.quantity.data, delta=form.delta.data)
    key = stock_service.StockKey(store_id=store_id, product_id=product_id)
    line = stock_service.change_stock(db.session(), acting_user(), key, change)
    if wants_json():
        return jsonify({"product_id": product_id, "quantity": line.quantity})
    flash(f"{line.product.name}: {line.quantity} units.")
    return redirect(url_for("web.stores.show_store", store_id=store_id))


@bp.post("/<int:product_id>/delete")
def remove_stock(store_id: int, product_id: int) -> ResponseReturnValue:
    """Stop stocking a product in the store."""
    key = stock_service.StockKey(store_id=store_id, product_id=product_id)
    stock_service.remove_stock(db.session(), acting_user(), key)
    flash("Product removed from this store.")
    return redirect(url_for("web.stores.show_store", store_id=store_id))

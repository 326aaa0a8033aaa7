"""The home page: sign-in when signed out; "my stores" with low-stock counts when signed in."""

from flask import Blueprint, render_template, request
from flask.typing import ResponseReturnValue
from flask_login import current_user

from app.extensions import db
from app.services import dashboard_service
from app.web.forms import SignInForm
from app.web.session_user import acting_user

bp = Blueprint("dashboard", __name__)
PAGE_SIZE = 20


@bp.get("/")
def home() -> ResponseReturnValue:
    """Show my stores (an admin: every store), a page at a time."""
    if not current_user.is_authenticated:
        return render_template("auth/sign_in.html", form=SignInForm())
    cursor = request.args.get("cursor") or None
    page = dashboard_service.list_my_stores(db.session(), acting_user(), PAGE_SIZE, cursor)
    return render_template(
        "dashboard/home.html",
        page=page,
        threshold=dashboard_service.LOW_STOCK_THRESHOLD,
    )

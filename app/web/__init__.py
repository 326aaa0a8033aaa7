"""The server-rendered dashboard at /, over the same services as the API.

Rule: web blueprints parse forms, call services and render templates; they never query.
"""

from flask import Blueprint, Flask, Response, abort, current_app, request

from app.extensions import csrf, login_manager
from app.http.error_pages import register_renderer
from app.web import session_user
from app.web.admin_users import bp as users_bp
from app.web.auth import bp as auth_bp
from app.web.catalog import bp as catalog_bp
from app.web.dashboard import bp as dashboard_bp
from app.web.error_pages import render_error
from app.web.imports import bp as imports_bp
from app.web.password_reset import bp as password_reset_bp
from app.web.profile import bp as profile_bp
from app.web.stock import bp as stock_bp
from app.web.stores import bp as stores_bp

# Dashboard pages run only our own script and style files: no inline code at all.
DASHBOARD_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)

bp = Blueprint(
    "web",
    __name__,
    template_folder="templates",
    static_folder="static",
    static_url_path="/web-static",
)
for feature_bp in (
    dashboard_bp,
    auth_bp,
    password_reset_bp,
    profile_bp,
    stores_bp,
    stock_bp,
    catalog_bp,
    users_bp,
    imports_bp,
):
    bp.register_blueprint(feature_bp)


@bp.before_request
def check_csrf() -> None:
    """Refuse a dashboard form or fetch() sent without this session's CSRF token (400)."""
    if current_app.config["WTF_CSRF_ENABLED"]:
        csrf.protect()


@bp.before_request
def refuse_nul_text() -> None:
    """Refuse a form or query holding U+0000 (400): PostgreSQL cannot store that text."""
    environ = request.environ
    if "%00" in environ.get("QUERY_STRING", "") or (
        request.mimetype == "application/x-www-form-urlencoded" and b"%00" in request.get_data()
    ):
        abort(400, description="Text may not contain the NUL character.")


@bp.after_request
def set_page_csp(response: Response) -> Response:
    """Give dashboard pages a CSP stricter than the app-wide page policy."""
    response.headers.setdefault("Content-Security-Policy", DASHBOARD_CSP)
    return response


def init_app(app: Flask) -> None:
    """Mount the dashboard, its sign-in and its error pages."""
    app.register_blueprint(bp)
    login_manager.user_loader(session_user.load_user)
    login_manager.unauthorized_handler(session_user.send_to_sign_in)
    register_renderer(app, render_error)
    _keep_session_hooks_to_dashboard(app)


def _keep_session_hooks_to_dashboard(app: Flask) -> None:
    """Run Flask-Login's and Flask-WTF's app-wide hooks only where they can do something.

    Flask-WTF's default check does nothing while WTF_CSRF_CHECK_DEFAULT is off (the
    dashboard checks its own requests in `check_csrf`), so it is dropped. Only dashboard
    views sign in or out, the only times Flask-Login's remember-cookie hook acts (unless
    REMEMBER_COOKIE_REFRESH_EACH_REQUEST is on), so it moves to the dashboard's blueprint.
    The API's requests, `GET /api/health` above all, then skip both (docs/performance.md).
    """
    before = app.before_request_funcs.get(None, [])
    if not app.config["WTF_CSRF_CHECK_DEFAULT"]:
        before[:] = [hook for hook in before if not _is_csrf_default_check(hook)]
    after = app.after_request_funcs.get(None, [])
    remember = login_manager._update_remember_cookie
    if remember in after and not app.config.get("REMEMBER_COOKIE_REFRESH_EACH_REQUEST"):
        after.remove(remember)
        app.after_request_funcs.setdefault(bp.name, []).append(remember)


def _is_csrf_default_check(hook: object) -> bool:
    return getattr(hook, "__module__", "") == "flask_wtf.csrf" and (
        getattr(hook, "__name__", "") == "csrf_protect"
    )

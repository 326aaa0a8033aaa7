"""A test-only API that writes rows, for the Idempotency-Key tests (no feature's routes).

`install_widget_api(app)` creates a `test_widgets` table in the app's database and mounts
POST routes under /api/test-widgets (and a copy under /api/auth/) that insert into it, so
a test can count how many times a handler really ran. `install_fake_auth(app)` replaces
the real authentication hook with one that signs in `X-Test-User: <id>`, so the scope of
a key is that user.
"""

import time
from types import SimpleNamespace

from flask import Flask, Response, current_app, g, request
from flask.testing import FlaskClient
from flask_openapi3.blueprint import APIBlueprint
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import Column, Integer, MetaData, String, Table, func, insert, select

from app.api import make_api_request_hook
from app.api.responses import render_created
from app.common.errors import PermissionDeniedError
from app.extensions import db

URL = "/api/test-widgets"
PROBLEM = "application/problem+json"

widgets = Table(
    "test_widgets",
    MetaData(),
    Column("id", Integer, primary_key=True),
    Column("name", String(50), nullable=False),
)


class WidgetIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=50)


def count_widgets() -> int:
    with db.engine.connect() as connection:
        return int(connection.execute(select(func.count()).select_from(widgets)).scalar_one())


def _write_widget(name: str, headers: dict[str, str] | None = None) -> Response:
    session = db.session()
    widget_id = session.execute(insert(widgets).values(name=name)).inserted_primary_key[0]
    session.commit()
    time.sleep(current_app.config.get("TEST_WIDGET_DELAY", 0))
    data = {"id": widget_id, "name": name}
    return render_created(data, f"/api/test-widgets/{widget_id}", headers)


def _make_blueprint(name: str, url_prefix: str) -> APIBlueprint:
    bp = APIBlueprint(name, __name__, url_prefix=url_prefix)

    @bp.post("")
    def create_widget(body: WidgetIn) -> Response:
        return _write_widget(body.name)

    @bp.post("/flaky")
    def create_widget_flaky(body: WidgetIn) -> Response:
        calls = current_app.extensions.setdefault("flaky_calls", [])
        calls.append(body.name)
        if len(calls) == 1:
            raise RuntimeError("the first attempt fails")
        return _write_widget(body.name)

    @bp.post("/secret")
    def create_widget_secret(body: WidgetIn) -> Response:
        return _write_widget(body.name, {"Cache-Control": "no-store"})

    @bp.post("/admin-only")
    def create_widget_as_admin(body: WidgetIn) -> Response:
        if not getattr(g.current_user, "is_admin", False):
            raise PermissionDeniedError("Only admins make these.")
        return _write_widget(body.name)

    @bp.post("/upload")
    def upload_widget() -> Response:
        upload = request.files["file"]
        return _write_widget(f"{request.form['name']}:{len(upload.read())}")

    return bp


def install_widget_api(app: Flask) -> None:
    """Create the table and mount the routes (call before the app's first request)."""
    widgets.create(db.engine, checkfirst=True)
    app.register_api(_make_blueprint("test_widgets", "/api/test-widgets"))
    app.register_api(_make_blueprint("test_auth_widgets", "/api/auth/test-widgets"))


def _fake_auth() -> None:
    # The test app context outlives requests, so `g` does too: clear the last user.
    user_id = request.headers.get("X-Test-User")
    g.current_user = SimpleNamespace(id=int(user_id)) if user_id else None


def install_fake_auth(app: Flask) -> None:
    """Run `_fake_auth` first, in place of the real bearer-token check (if it is there)."""
    hooks = app.before_request_funcs.setdefault(None, [])
    hooks[:] = [
        make_api_request_hook(authenticate=None)  # the API's one hook, minus the token check
        if getattr(hook, "__module__", "") == "app.api"
        else hook
        for hook in hooks
        if getattr(hook, "__module__", "") != "app.api.auth"
    ]
    hooks.insert(0, _fake_auth)


def widget_client(app: Flask) -> FlaskClient:
    """Install the fake authentication and the widget API; return a client of `app`."""
    install_fake_auth(app)
    install_widget_api(app)
    return app.test_client()


def post(client: FlaskClient, key: str | None, body: object, user: int | None = 1, url: str = URL):
    """POST JSON with an optional Idempotency-Key, as the fake-auth user `user`."""
    headers = {} if key is None else {"Idempotency-Key": key}
    if user is not None:
        headers["X-Test-User"] = str(user)
    return client.post(url, json=body, headers=headers)

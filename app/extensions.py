"""Every Flask extension instance, unbound; `create_app` binds them with `init_app`."""

import hashlib
import sqlite3
from typing import Any

from flask import Flask, request
from flask_limiter import Limiter
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import event
from sqlalchemy.engine import Engine

from app.models.base import Base

db = SQLAlchemy(model_class=Base)
migrate = Migrate(compare_type=True, render_as_batch=True)
# The dashboard's session sign-in and its CSRF tokens (the API uses bearer tokens instead).
login_manager = LoginManager()
csrf = CSRFProtect()


def rate_limit_key() -> str:
    """Key a request by its bearer token (hashed, never stored raw) or else its address."""
    authorization = request.headers.get("Authorization", "")
    if authorization[:7].lower() == "bearer ":
        digest = hashlib.sha256(authorization[7:].strip().encode()).hexdigest()[:32]
        return f"token:{digest}"
    return f"ip:{request.remote_addr or 'unknown'}"


limiter = Limiter(key_func=rate_limit_key)


def _remove_session_if_used(_error: BaseException | None) -> None:
    """At app context teardown, close and drop the context's session, if it made one.

    Flask-SQLAlchemy's own teardown always calls `db.session.remove()`, which looks the
    context up twice and raises and catches a KeyError when the request (a health probe, a
    page) never used the database. The registry is a plain dict keyed by app context:
    when it is empty, no context anywhere holds a session and there is nothing to do.
    """
    registry = db.session.registry
    if registry.registry and registry.has():
        db.session.remove()


def init_db(app: Flask) -> None:
    """Bind `db` to the app, with a session teardown that skips requests without a session."""
    db.init_app(app)
    funcs = app.teardown_appcontext_funcs
    funcs[funcs.index(db._teardown_session)] = _remove_session_if_used


def _set_sqlite_pragmas(dbapi_connection: Any, _connection_record: Any) -> None:
    """WAL for concurrent readers, enforced foreign keys, and a wait instead of "locked"."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.close()


def enable_sqlite_pragmas() -> None:
    """Apply the SQLite pragmas to every new connection (a no-op for PostgreSQL)."""
    if not event.contains(Engine, "connect", _set_sqlite_pragmas):
        event.listen(Engine, "connect", _set_sqlite_pragmas)

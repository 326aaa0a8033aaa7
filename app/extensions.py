"""Every Flask extension instance, unbound; `create_app` binds them with `init_app`."""

import hashlib
import sqlite3
from typing import Any

from flask import Flask, g, has_app_context, request
from flask_limiter import Limiter
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_sqlalchemy.session import Session as FlaskSession
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import Connection, event
from sqlalchemy.engine import Engine

from app.models.base import Base

# Where `db_connection()` keeps the app context's own connection, in `g`.
_CONNECTION = "_stockroom_db_connection"


class ContextSession(FlaskSession):
    """`db.session`'s class: in an app context that reads on `db_connection()`, use it.

    A request that only runs Core reads (the token check, the catalog's GETs) takes a
    connection with `db_connection()` and never builds a Session, which would cost about
    30 µs a request to make, begin and close. When such a request then needs the Session
    after all (a create, after the token check), the Session works on that same connection:
    one pool checkout and one transaction per request, as before. It takes the
    connection's transaction over (`join_transaction_mode="control_fully"`), so its
    commit and rollback act on the connection as they would on its own.
    """

    def get_bind(
        self,
        mapper: Any | None = None,
        clause: Any | None = None,
        bind: Engine | Connection | None = None,
        **kwargs: Any,
    ) -> Engine | Connection:
        """The context's connection when `db_connection()` made one; else as Flask-SQLAlchemy."""
        if bind is None and has_app_context():
            connection: Connection | None = g.get(_CONNECTION)
            if connection is not None:
                return connection
        return super().get_bind(mapper, clause, bind, **kwargs)


db = SQLAlchemy(
    model_class=Base,
    session_options={"class_": ContextSession, "join_transaction_mode": "control_fully"},
)
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
    """At app context teardown, close the context's session and its connection, if any.

    Flask-SQLAlchemy's own teardown always calls `db.session.remove()`, which looks the
    context up twice and raises and catches a KeyError when the request (a health probe, a
    page) never used the database. The registry is a plain dict keyed by app context:
    when it is empty, no context anywhere holds a session and there is nothing to do.
    """
    registry = db.session.registry
    if registry.registry and registry.has():
        db.session.remove()
    # One lookup of the `g` proxy: `g.pop` through the proxy costs about 1 µs a request.
    connection: Connection | None = g._get_current_object().pop(_CONNECTION, None)
    if connection is not None:
        connection.close()  # back to the pool, its transaction (if any) rolled back


def db_connection() -> Connection:
    """Return the connection for Core reads in this app context.

    The session's connection when the context has a session, so both see one transaction;
    otherwise the context's own, checked out on first use and returned at teardown (a
    session made later works on it: see ContextSession).
    """
    context = g._get_current_object()  # one lookup of the `g` proxy, not two
    connection: Connection | None = context.get(_CONNECTION)
    if connection is not None:
        return connection
    if db.session.registry.has():
        return db.session().connection()
    connection = db.engine.connect()
    setattr(context, _CONNECTION, connection)
    return connection


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

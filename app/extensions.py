"""Every Flask extension instance, unbound; `create_app` binds them with `init_app`."""

import hashlib
import sqlite3
from typing import Any

from flask import request
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

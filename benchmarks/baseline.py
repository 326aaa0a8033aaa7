"""The raw baseline: plain WSGI callables over sqlite3, no framework, no ORM.

Each scenario's baseline answers what Stockroom answers, as cheaply as a careful engineer
would write it by hand; the harness reports Stockroom's cost as a ratio of it.
"""

import hashlib
import secrets
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import orjson

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

JSON_HEADERS = [("Content-Type", "application/json")]
_NOT_FOUND = b'{"status": 404}'
_UNAUTHORIZED = b'{"status": 401}'
TRANSACTION_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK")
ME_QUERY = """
SELECT u.id, u.email, u.name, u.is_active, u.last_login_at, u.created_at, u.updated_at,
       (SELECT group_concat(r.name) FROM user_roles ur JOIN roles r ON r.id = ur.role_id
        WHERE ur.user_id = u.id)
FROM tokens t JOIN users u ON u.id = t.user_id
WHERE t.token_hash = ? AND t.kind = 'access' AND t.revoked_at IS NULL AND t.expires_at > ?
  AND u.is_active = 1
"""
LOGIN_QUERY = "SELECT id, password_hash FROM users WHERE email = ? AND is_active = 1"
INSERT_TOKEN = """
INSERT INTO tokens (user_id, kind, token_hash, pair_id, expires_at, created_at)
VALUES (?, ?, ?, ?, ?, ?)
"""
_local = threading.local()
_connections: list[sqlite3.Connection] = []


def respond(start_response: "StartResponse", status: str, body: bytes) -> list[bytes]:
    """Start a JSON response with its length and return the body."""
    start_response(status, [*JSON_HEADERS, ("Content-Length", str(len(body)))])
    return [body]


def health(_environ: "WSGIEnvironment", start_response: "StartResponse") -> Iterable[bytes]:
    """Answer GET /api/health: the status and the UTC time, as Stockroom does."""
    now = datetime.now(UTC).isoformat().replace("+00:00", "Z")
    return respond(start_response, "200 OK", orjson.dumps({"status": "ok", "time": now}))


def make_health(_db_path: Path) -> "WSGIApplication":
    """Return the health callable (it needs no database)."""
    return health


def connection(db_path: Path) -> sqlite3.Connection:
    """Return this thread's connection to the bench database (opened once, as a pool would)."""
    opened: dict[Path, sqlite3.Connection] = _local.__dict__.setdefault("connections", {})
    conn = opened.get(db_path)
    if conn is None:
        conn = sqlite3.connect(db_path, check_same_thread=False)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute("PRAGMA busy_timeout=5000")
        opened[db_path] = conn
        _connections.append(conn)
    return conn


class StatementCounter:
    """Counts the SQL statements the baseline's sqlite3 connections run.

    Transaction control (BEGIN, COMMIT, ROLLBACK) is left out, as SQLAlchemy's
    `before_cursor_execute` event leaves it out for the app.
    """

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, statement: str) -> None:
        """Count one statement (sqlite3's trace callback)."""
        if not statement.lstrip().upper().startswith(TRANSACTION_CONTROL):
            self.count += 1


@contextmanager
def count_statements() -> Iterator[StatementCounter]:
    """Count every statement run on the baseline's connections inside the block."""
    counter = StatementCounter()
    for conn in _connections:
        conn.set_trace_callback(counter)
    try:
        yield counter
    finally:
        for conn in _connections:
            conn.set_trace_callback(None)


def iso_utc(stored: str | None) -> str | None:
    """Turn a stored UTC timestamp ("2026-01-02 03:04:05.000006") into ISO 8601 with a Z."""
    return None if stored is None else stored.replace(" ", "T") + "Z"


def stored_now(seconds_ahead: int = 0) -> str:
    """The current UTC time (plus some seconds) as SQLAlchemy stores it in SQLite."""
    moment = datetime.now(UTC) + timedelta(seconds=seconds_ahead)
    return moment.strftime("%Y-%m-%d %H:%M:%S.%f")


def make_me(db_path: Path) -> "WSGIApplication":
    """GET /api/users/me: find the live access token and its user in one query, answer."""

    def me(environ: "WSGIEnvironment", start_response: "StartResponse") -> Iterable[bytes]:
        scheme, _, raw = environ.get("HTTP_AUTHORIZATION", "").partition(" ")
        digest = hashlib.sha256(raw.strip().encode()).hexdigest()
        row = connection(db_path).execute(ME_QUERY, (digest, stored_now())).fetchone()
        if scheme.lower() != "bearer" or row is None:
            return respond(start_response, "401 UNAUTHORIZED", _UNAUTHORIZED)
        user = {
            "id": row[0],
            "email": row[1],
            "name": row[2],
            "is_active": bool(row[3]),
            "roles": sorted(row[7].split(",")) if row[7] else [],
            "last_login_at": iso_utc(row[4]),
            "created_at": iso_utc(row[5]),
            "updated_at": iso_utc(row[6]),
        }
        return respond(start_response, "200 OK", orjson.dumps({"data": user}))

    return me


def make_login(db_path: Path) -> "WSGIApplication":
    """POST /api/auth/tokens: check the password with argon2, store two tokens, answer 201."""
    from argon2 import PasswordHasher, Type
    from argon2.exceptions import VerificationError

    from app.services import passwords  # only its parameters, so both hash alike

    hasher = PasswordHasher(
        time_cost=passwords.TIME_COST,
        memory_cost=passwords.MEMORY_COST_KIB,
        parallelism=passwords.PARALLELISM,
        type=Type.ID,
    )

    def login(environ: "WSGIEnvironment", start_response: "StartResponse") -> Iterable[bytes]:
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = orjson.loads(environ["wsgi.input"].read(length))
        conn = connection(db_path)
        row = conn.execute(LOGIN_QUERY, (body["email"].strip().lower(),)).fetchone()
        try:
            hasher.verify(row[1], body["password"])
        except (TypeError, VerificationError):
            return respond(start_response, "401 UNAUTHORIZED", _UNAUTHORIZED)
        pair = store_token_pair(conn, row[0])
        return respond(start_response, "201 CREATED", orjson.dumps({"data": pair}))

    return login


def store_token_pair(conn: sqlite3.Connection, user_id: int) -> dict[str, object]:
    """Record the login and insert an access and a refresh token, in one transaction."""
    now, pair_id = stored_now(), secrets.token_hex(16)
    access, refresh = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    with conn:
        conn.execute("UPDATE users SET last_login_at = ? WHERE id = ?", (now, user_id))
        for kind, raw, seconds in (("access", access, 3600), ("refresh", refresh, 30 * 86400)):
            digest = hashlib.sha256(raw.encode()).hexdigest()
            conn.execute(INSERT_TOKEN, (user_id, kind, digest, pair_id, stored_now(seconds), now))
    return {
        "access_token": access,
        "refresh_token": refresh,
        "token_type": "Bearer",
        "expires_in": 3600,
    }


def make_router(routes: Mapping[tuple[str, str], "WSGIApplication"]) -> "WSGIApplication":
    """Dispatch on (method, path) to each scenario's callable; 404 for anything else."""

    def route(environ: "WSGIEnvironment", start_response: "StartResponse") -> Iterable[bytes]:
        handler = routes.get((environ["REQUEST_METHOD"], environ.get("PATH_INFO", "")))
        if handler is None:
            return respond(start_response, "404 Not Found", _NOT_FOUND)
        return handler(environ, start_response)

    return route

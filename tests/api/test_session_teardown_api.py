"""The session teardown skips requests that never used the database, and only those.

A request that used the session still has it closed, its connection returned to the
pool and its unfinished work rolled back, whether it answered or failed.
"""

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from app.extensions import db
from app.models.category import Category


def open_sessions() -> dict[object, object]:
    return dict(db.session.registry.registry)  # type: ignore[attr-defined]


def test_a_request_that_used_the_session_closes_it_and_returns_its_connection(
    app: Flask, client: FlaskClient
) -> None:
    def probe() -> str:
        db.session.execute(text("SELECT 1"))
        return "used"

    app.add_url_rule("/probe-session", "probe_session", probe)
    sessions, connections = open_sessions(), db.engine.pool.checkedout()  # type: ignore[attr-defined]

    assert client.get("/probe-session").get_data(as_text=True) == "used"

    assert open_sessions() == sessions
    assert db.engine.pool.checkedout() == connections  # type: ignore[attr-defined]


def test_a_failed_request_has_its_work_rolled_back(
    app: Flask, client: FlaskClient, session: Session
) -> None:
    def fail() -> str:
        db.session.add(Category(name="Left behind"))
        db.session.flush()  # the row is written, the transaction is open: SQLite is locked
        raise RuntimeError("boom")

    app.add_url_rule("/fail-after-writing", "fail_after_writing", fail)

    assert client.get("/fail-after-writing").status_code == 500

    # Writing again would wait for the lock (and fail) if that transaction were still open.
    session.add(Category(name="Left behind"))
    session.commit()
    assert session.scalar(select(func.count()).select_from(Category)) == 1


def test_a_request_that_never_used_the_session_leaves_none_behind(
    client: FlaskClient,
) -> None:
    sessions = open_sessions()

    assert client.get("/api/health").status_code == 200

    assert open_sessions() == sessions

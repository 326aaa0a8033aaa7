"""One connection per request: Core reads without a Session, and a Session that joins them.

The token check and the catalog's GETs read on `db_connection()`, so those requests never
build a Session. A request that needs the Session after the token check (a create) gets
one on that same connection, whose commit and rollback act as they always did; at teardown
the connection goes back to the pool, its unfinished work rolled back.
"""

from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event, func, select, text
from sqlalchemy.orm import Session

from app.extensions import ContextSession, db, db_connection
from app.models.category import Category
from app.models.product import Product
from tests.factories import ProductFactory

Headers = dict[str, str]


@pytest.fixture
def checkouts(app: Flask) -> Iterator[list[object]]:
    """Every pool checkout made while the test runs."""
    seen: list[object] = []

    def record(*_args: Any) -> None:
        seen.append(object())

    event.listen(db.engine, "checkout", record)
    yield seen
    event.remove(db.engine, "checkout", record)


def count(session: Session, model: type) -> int:
    session.expire_all()
    return session.scalar(select(func.count()).select_from(model)) or 0


def test_a_catalog_read_builds_no_session_and_returns_its_connection(
    client: FlaskClient,
    admin_headers: Headers,
    monkeypatch: pytest.MonkeyPatch,
    checkouts: list[object],
) -> None:
    url = f"/api/products/{ProductFactory().id}"
    in_use = db.engine.pool.checkedout()  # type: ignore[attr-defined]
    checkouts.clear()  # the test's own session read the id

    def refuse(*_args: Any, **_kwargs: Any) -> None:
        raise AssertionError("a Session was built")

    monkeypatch.setattr(ContextSession, "__init__", refuse)
    detail = client.get(url, headers=admin_headers)
    listing = client.get("/api/products", headers=admin_headers)

    assert (detail.status_code, listing.status_code) == (200, 200)
    assert len(checkouts) == 2  # one a request
    assert db.engine.pool.checkedout() == in_use  # type: ignore[attr-defined]


def test_a_create_checks_the_token_and_writes_on_one_connection(
    client: FlaskClient, admin_headers: Headers, session: Session, checkouts: list[object]
) -> None:
    body = {"sku": "ONE-CONN", "name": "One connection", "price": "1.00"}

    response = client.post("/api/products", json=body, headers=admin_headers)

    assert response.status_code == 201
    assert len(checkouts) == 1
    assert count(session, Product) == 1


def test_a_session_after_a_core_read_commits_on_that_connection(
    app: Flask, session: Session
) -> None:
    with app.app_context():
        connection = db_connection()
        connection.execute(text("SELECT 1"))  # Core begins a transaction on it
        db.session.add(Category(name="Joined"))
        db.session.commit()
        assert db.session().connection() is connection

    assert count(session, Category) == 1


def test_a_session_after_a_core_read_rolls_back_at_teardown(app: Flask, session: Session) -> None:
    in_use = db.engine.pool.checkedout()  # type: ignore[attr-defined]
    with app.app_context():
        db_connection()
        db.session.add(Category(name="Left behind"))
        db.session.flush()  # written in the open transaction, never committed

    assert db.engine.pool.checkedout() == in_use  # type: ignore[attr-defined]
    session.add(Category(name="Left behind"))  # would wait for SQLite's lock if still held
    session.commit()
    assert count(session, Category) == 1


def test_core_reads_use_the_session_connection_once_there_is_a_session(app: Flask) -> None:
    with app.app_context():
        connection = db.session().connection()

        assert db_connection() is connection

"""Fixtures shared by every test: an app on a fresh, migrated SQLite file per test.

Migrations run once per session into a template database; each test gets a copy of it
(a file copy takes about a millisecond), so every test starts from exactly the schema
that `flask db upgrade` builds, with no data left by another test.
"""

import contextvars
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy.orm import Session

from app import create_app
from app.config import TestingConfig
from app.extensions import db, limiter
from app.models.user import User
from tests.factories import UserFactory, bind_session

# Helper modules whose asserts should explain their failures as test modules' do.
pytest.register_assert_rewrite("tests.pages", "tests.api.problems")


class IsolatedClient(FlaskClient):
    """A test client whose every request runs in a fresh context, as under a real server.

    The `app` fixture keeps an app context pushed for the test's own database work; Flask
    would reuse it for each request, sharing `g` (the current user, the request id) and the
    session between requests. Running each request in an empty `contextvars.Context` gives it
    its own app context, `g` and session, exactly as gunicorn would.
    """

    def open(self, *args: Any, **kwargs: Any) -> Any:
        """Send one request in a new, empty context."""
        return contextvars.Context().run(super().open, *args, **kwargs)


def make_test_app(database_uri: str, **overrides: Any) -> Flask:
    """Build a TestingConfig app on the given database (its test client isolates requests)."""
    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=database_uri, **overrides)
    app.test_client_class = IsolatedClient
    return app


@pytest.fixture(autouse=True)
def limiter_storage_alive() -> Iterator[None]:
    """After each test, let the next one count on the storage its own app names.

    Flask-Limiter's one `limiter` outlives the test's app. A test that finds its storage
    down (Redis unreachable) leaves it counting in the in-memory fallback, and `init_app`
    does not undo that. The fallback stays in use until some later request happens to
    check the storage, in whichever test that is. That request switches back to a storage
    with no counts, so that test's "third request is 429" saw 201 (seen once in CI).
    """
    yield
    limiter._storage_dead = False


@pytest.fixture(scope="session")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Migrate an empty SQLite file to head once per test session."""
    path = tmp_path_factory.mktemp("template") / "template.db"
    app = make_test_app(f"sqlite:///{path}")
    with app.app_context():
        upgrade(revision="heads")
        db.engine.dispose()
    return path


@pytest.fixture
def database_uri(template_db: Path, tmp_path: Path) -> str:
    """A private copy of the migrated template for this test."""
    path = tmp_path / "test.db"
    shutil.copyfile(template_db, path)
    return f"sqlite:///{path}"


@pytest.fixture
def app_overrides() -> dict[str, Any]:
    """Settings a test module may override by redefining this fixture."""
    return {}


@pytest.fixture
def app(database_uri: str, app_overrides: dict[str, Any]) -> Iterator[Flask]:
    """The app under test, inside an app context."""
    app = make_test_app(database_uri, **app_overrides)
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A test client for the app."""
    return app.test_client()


@pytest.fixture
def session(app: Flask) -> Session:
    """The app's SQLAlchemy session (the one services receive)."""
    return db.session()


@pytest.fixture
def factories(session: Session) -> Iterator[None]:
    """Bind tests/factories.py to the test's `session` (the nearest one) while it runs."""
    bind_session(session)
    yield
    bind_session(None)


@pytest.fixture
def admin(factories: None) -> User:
    """An active admin."""
    return UserFactory(email="admin@example.com", name="Ada Admin", roles=["admin"])


@pytest.fixture
def manager(factories: None) -> User:
    """An active user with the manager role."""
    return UserFactory(email="manager@example.com", name="Max Manager", roles=["manager"])


class QueryCounter:
    """Counts the SQL statements the app's engine runs inside a `with` block."""

    def __init__(self) -> None:
        self.statements: list[str] = []

    @property
    def count(self) -> int:
        """How many statements ran."""
        return len(self.statements)


@pytest.fixture
def count_queries(app: Flask) -> Any:
    """Use as `with count_queries() as counter: ...; assert counter.count == 1`."""
    from contextlib import contextmanager

    from sqlalchemy import event

    @contextmanager
    def counting() -> Iterator[QueryCounter]:
        counter = QueryCounter()

        def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
            counter.statements.append(statement)

        event.listen(db.engine, "before_cursor_execute", record)
        try:
            yield counter
        finally:
            event.remove(db.engine, "before_cursor_execute", record)

    return counting

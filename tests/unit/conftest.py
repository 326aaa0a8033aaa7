"""Fixtures for unit tests: a plain SQLAlchemy Session on SQLite, with no Flask app."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, event
from sqlalchemy.orm import Session

from app.models import Base, Role
from tests.factories import bind_session


def _enforce_foreign_keys(dbapi_connection: object, _record: object) -> None:
    cursor = dbapi_connection.cursor()  # type: ignore[attr-defined]
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


@pytest.fixture
def session(tmp_path: Path) -> Iterator[Session]:
    """A Session on a fresh SQLite file built from Base.metadata, with the two roles."""
    engine = create_engine(f"sqlite:///{tmp_path / 'unit.db'}")
    event.listen(engine, "connect", _enforce_foreign_keys)
    Base.metadata.create_all(engine)
    with Session(engine) as session:
        session.add_all([Role(name="admin"), Role(name="manager")])
        session.commit()
        bind_session(session)
        yield session
        bind_session(None)
    engine.dispose()

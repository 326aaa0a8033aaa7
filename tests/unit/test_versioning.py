"""The service half of If-Match: check_version and commit_versioned, on a real race."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import String, create_engine
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from app.common.errors import PreconditionFailedError
from app.models.base import VersionedMixin
from app.services.versioning import check_version, commit_versioned


class ThingBase(DeclarativeBase):
    """Its own metadata: these tests need a versioned table, not the app's schema."""


class Thing(VersionedMixin, ThingBase):
    __tablename__ = "things"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(50))


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    engine = create_engine(f"sqlite:///{tmp_path / 'versioning.db'}")
    ThingBase.metadata.create_all(engine)
    with Session(engine) as session:
        session.add(Thing(id=1, name="one"))
        session.commit()
    yield engine
    engine.dispose()


@pytest.mark.parametrize(("current", "expected"), [(1, None), (1, 1), (7, 7)])
def test_check_version_lets_a_matching_or_absent_version_through(current, expected):
    check_version(current, expected)


@pytest.mark.parametrize(("current", "expected"), [(2, 1), (1, 2)])
def test_check_version_refuses_another_version(current, expected):
    with pytest.raises(PreconditionFailedError, match="has changed since you read it"):
        check_version(current, expected)


def test_commit_versioned_bumps_the_version(engine):
    with Session(engine) as session:
        session.get_one(Thing, 1).name = "two"
        commit_versioned(session)

        assert session.get_one(Thing, 1).version == 2


def test_the_loser_of_a_race_between_two_writers_gets_a_precondition_failure(engine):
    with Session(engine) as first, Session(engine) as second:
        mine = first.get_one(Thing, 1)
        theirs = second.get_one(Thing, 1)
        check_version(mine.version, 1)
        check_version(theirs.version, 1)
        theirs.name = "theirs"
        commit_versioned(second)
        mine.name = "mine"

        with pytest.raises(PreconditionFailedError):
            commit_versioned(first)

        assert first.get_one(Thing, 1).name == "theirs"
        assert first.get_one(Thing, 1).version == 2


def test_changing_a_row_another_writer_deleted_is_a_precondition_failure(engine):
    with Session(engine) as first, Session(engine) as second:
        mine = first.get_one(Thing, 1)
        second.delete(second.get_one(Thing, 1))
        second.commit()
        mine.name = "mine"

        with pytest.raises(PreconditionFailedError):
            commit_versioned(first)

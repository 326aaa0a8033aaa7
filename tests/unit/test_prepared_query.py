"""PreparedQuery on SQLite: Core's SQL, arguments and rows, straight on the driver's cursor."""

from typing import Any

import pytest
from sqlalchemy import Column, Connection, Integer, MetaData, Table, bindparam, event, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from app.models.user import User
from app.repositories.prepared_query import PreparedQuery
from tests.prepared_query_checks import (  # noqa: F401 - pytest collects them here
    test_a_new_product_is_inserted_as_core_inserts_it,
    test_the_product_reads_run_as_core_runs_them,
    test_the_token_check_runs_as_core_runs_it,
)

USERS_BY_ID = PreparedQuery(select(User.id, User.email).where(User.id == bindparam("user_id")))


def test_with_no_listener_the_query_skips_connection_execute(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*_args: Any, **_kwargs: Any) -> None:
        raise AssertionError("went through Connection.execute")

    monkeypatch.setattr(Connection, "execute", refuse)

    assert USERS_BY_ID.all(session.connection(), {"user_id": 1}) == []


def test_a_listener_on_the_engine_sees_the_statement(session: Session) -> None:
    seen: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_rest: Any) -> None:
        seen.append(statement)

    engine = session.get_bind()
    event.listen(engine, "before_cursor_execute", record)
    try:
        rows = USERS_BY_ID.all(session.connection(), {"user_id": 1})
    finally:
        event.remove(engine, "before_cursor_execute", record)

    assert rows == []
    assert seen == [USERS_BY_ID.sent(session.get_bind().dialect, {"user_id": 1})[0]]


@pytest.mark.parametrize(
    "event_name",
    ["before_execute", "after_execute", "before_cursor_execute", "after_cursor_execute"],
)
def test_a_listener_of_any_execute_event_sends_the_query_through_core(
    session: Session, monkeypatch: pytest.MonkeyPatch, event_name: str
) -> None:
    through_core: list[object] = []
    monkeypatch.setattr(PreparedQuery, "_through_core", lambda *_args: through_core.append(1))
    engine = session.get_bind()

    event.listen(engine, event_name, lambda *_args: None)
    USERS_BY_ID.all(session.connection(), {"user_id": 1})

    assert through_core == [1]


def test_a_listener_removed_again_lets_the_query_run_directly(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*_args: Any, **_kwargs: Any) -> None:
        raise AssertionError("went through Connection.execute")

    def record(*_args: Any) -> None:
        pass

    engine = session.get_bind()
    event.listen(engine, "before_cursor_execute", record)
    event.remove(engine, "before_cursor_execute", record)
    monkeypatch.setattr(Connection, "execute", refuse)

    assert USERS_BY_ID.all(session.connection(), {"user_id": 1}) == []


def test_a_driver_error_is_raised_as_core_raises_it(session: Session) -> None:
    missing = Table("not_made", MetaData(), Column("id", Integer))
    query = PreparedQuery(select(missing.c.id).where(missing.c.id == bindparam("id")))

    with pytest.raises(OperationalError, match="no such table: not_made"):
        query.all(session.connection(), {"id": 1})


def test_a_missing_value_is_refused(session: Session) -> None:
    with pytest.raises(KeyError, match="user_id"):
        USERS_BY_ID.all(session.connection(), {})


def test_an_expanding_parameter_is_refused(session: Session) -> None:
    query = PreparedQuery(select(User.id).where(User.id.in_(bindparam("ids", expanding=True))))

    with pytest.raises(ValueError, match="plain bind parameters only"):
        query.all(session.connection(), {"ids": [1]})

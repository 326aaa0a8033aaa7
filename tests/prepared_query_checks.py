"""Checks that a PreparedQuery runs exactly what Core runs, for SQLite and PostgreSQL tests.

`PreparedQuery` replays SQLAlchemy's compiled statement on the driver's cursor. These
checks hold it to Core: the same SQL text and driver arguments as `Connection.execute`
sends (captured with Core's own `before_cursor_execute` event), and the same rows,
converted alike. They run on the token check, the product reads and the product INSERT,
so a SQLAlchemy release that compiles, binds or converts differently fails them.

The three `test_` functions are imported by tests/unit/test_prepared_query.py (SQLite) and
tests/integration/test_prepared_query_postgres.py (PostgreSQL); pytest collects them in
each, with that module's `session` fixture.
"""

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import timedelta
from decimal import Decimal
from typing import Any
from unittest import mock

import pytest
from sqlalchemy import Connection, event
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.common.clock import utcnow
from app.repositories import product_reads, product_repository, token_repository
from app.repositories.keyset import Seek
from app.repositories.prepared_query import PreparedQuery
from app.repositories.product_repository import ProductFilters
from app.services import auth_service
from app.services.auth_service import TokenLifetimes
from tests.factories import CategoryFactory, ProductFactory, UserFactory

Sent = tuple[str, Any]
Rows = list[tuple[Any, ...]]


@contextmanager
def core_statements(connection: Connection) -> Iterator[list[Sent]]:
    """Record what Core sends to the driver on `connection`: (SQL text, arguments) each.

    Any listener sends `PreparedQuery` through `Connection.execute`, so inside this block
    every statement is Core's. SQLAlchemy keeps a connection on that path once listened
    to, so the helpers below end the session's transaction after it: the next one gets a
    connection nobody listens to.
    """
    sent: list[Sent] = []

    def record(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_rest: Any) -> None:
        sent.append((statement, parameters))

    event.listen(connection, "before_cursor_execute", record)
    try:
        yield sent
    finally:
        event.remove(connection, "before_cursor_execute", record)


@contextmanager
def direct_only() -> Iterator[None]:
    """Fail if a PreparedQuery falls back to Core (a listener, or a driver error)."""
    fallback = AssertionError("the query went through Connection.execute")
    with mock.patch.object(PreparedQuery, "_through_core", side_effect=fallback):
        yield


def assert_runs_as_core(session: Session, query: PreparedQuery, values: Mapping[str, Any]) -> Rows:
    """Run `query` directly, then through Core; assert the same SQL, arguments and rows."""
    connection = session.connection()
    with direct_only():
        direct = list(query.all(connection, values))
    with core_statements(connection) as sent:
        through_core = list(query.all(connection, values))
    session.rollback()
    assert sent == [query.sent(connection.dialect, values)]
    assert direct == through_core
    assert all(type(row) is tuple for row in direct)
    return direct


def assert_reads_as_core(session: Session, read: Callable[[], Rows]) -> Rows:
    """Read rows directly, then through Core (listened to); assert one statement, same rows."""
    with direct_only():
        direct = read()
    with core_statements(session.connection()) as sent:
        through_core = read()
    session.rollback()
    assert len(sent) == 1
    assert direct == through_core
    return direct


def test_the_token_check_runs_as_core_runs_it(session: Session) -> None:
    """The token check: one row per role, each value as Core gives it; none once expired."""
    user = UserFactory(roles=["admin", "manager"])
    pair = auth_service.issue_tokens(session, user, TokenLifetimes())
    values = {"token_hash": auth_service.hash_token(pair.access_token), "now": utcnow()}
    rows = assert_runs_as_core(session, token_repository.LIVE_ACCESS, values)
    assert sorted(row[3] for row in rows) == ["admin", "manager"]
    later = {**values, "now": utcnow() + timedelta(hours=2)}
    assert assert_runs_as_core(session, token_repository.LIVE_ACCESS, later) == []


def test_the_product_reads_run_as_core_runs_them(session: Session) -> None:
    """A product with two categories, and pages of every sort, both ways, seeked and narrowed."""
    garden, tools = CategoryFactory(name="Garden"), CategoryFactory(name="Tools")
    products = [
        ProductFactory(price=Decimal(number) + Decimal("0.25"), categories=[tools, garden][:number])
        for number in range(3)
    ]
    session.commit()
    rows = assert_runs_as_core(session, product_reads.DETAIL, {"product_id": products[2].id})
    assert [row[product_reads.DETAIL_CATEGORY] for row in rows] == [garden.id, tools.id]
    for sort_field in ("id", "name", "price", "created_at"):
        for descending in (False, True):
            first = assert_reads_as_core(session, _page(session, sort_field, descending))
            assert len({row[0] for row in first}) == len(products)
            seek = Seek(value=first[0][product_reads.SORT_VALUE], row_id=first[0][0], limit=2)
            assert assert_reads_as_core(session, _page(session, sort_field, descending, seek=seek))
    narrowed = ProductFilters(category_id=tools.id, min_price=Decimal("0.5"), max_price=Decimal(9))
    page = assert_reads_as_core(session, _page(session, "price", False, narrowed))
    assert {row[0] for row in page} == {products[1].id, products[2].id}


def test_a_new_product_is_inserted_as_core_inserts_it(session: Session) -> None:
    """A new product's INSERT ... RETURNING: Core's SQL and values, its row; a taken SKU."""
    insert = product_repository.INSERT_ONE
    now = utcnow()

    def values(sku: str) -> dict[str, Any]:
        return {
            "sku": sku,
            "name": "Spade",
            "description": None,
            "price": Decimal("12.50"),
            "created_at": now,
            "updated_at": now,
            "version": product_repository.FIRST_VERSION,
        }

    connection = session.connection()
    with direct_only():
        [direct] = insert.all(connection, values("DIRECT-1"))
    with core_statements(connection) as sent:
        [through_core] = insert.all(connection, values("CORE-1"))
    assert sent == [insert.sent(connection.dialect, values("CORE-1"))]
    assert direct[1:] == through_core[1:] == (1, now, now)
    assert through_core[0] == direct[0] + 1
    session.commit()
    connection = session.connection()  # a new one: nobody listens to it
    with direct_only(), pytest.raises(IntegrityError) as raised:
        insert.all(connection, values("DIRECT-1"))
    assert isinstance(raised.value.orig, connection.dialect.loaded_dbapi.IntegrityError)
    assert not raised.value.connection_invalidated
    session.rollback()


def _page(
    session: Session,
    sort_field: str,
    descending: bool,
    filters: ProductFilters | None = None,
    seek: Seek | None = None,
) -> Callable[[], Rows]:
    def read() -> Rows:
        return list(
            product_reads.read_page(
                session,
                filters or ProductFilters(),
                sort_field,
                descending=descending,
                seek=seek or Seek(limit=10),
            )
        )

    return read

"""The import repository's PostgreSQL path: batches as one JSON parameter, lookups by array."""

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from app.extensions import db
from app.models.product import Product
from app.models.product_category import product_categories
from app.models.stock_item import StockItem
from app.repositories import import_repository
from tests.factories import CategoryFactory, ProductFactory, StockItemFactory, StoreFactory

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("factories")]

COLUMNS = ["sku", "name", "description", "price"]
TRICKY_TEXT = [
    'Quote " and \\ backslash',
    "Line\nbreak\tand tab",
    "Café ☕ 😀 naïve",
    '{"looks": ["like", "json"]}',
    "NULL",
    "",
]


@pytest.fixture
def session(pg_app: Flask) -> Session:
    """The PostgreSQL app's session; `factories` (tests/conftest.py) binds to it."""
    return db.session()


@pytest.fixture
def statements(session: Session) -> Iterator[list[tuple[str, Any]]]:
    """Every (SQL, parameters) the session's engine sends while the test runs."""
    seen: list[tuple[str, Any]] = []

    def record(*args: Any) -> None:
        seen.append((args[2], args[3]))

    engine = session.get_bind()
    event.listen(engine, "before_cursor_execute", record)
    yield seen
    event.remove(engine, "before_cursor_execute", record)


def _product_row(number: int, **values: Any) -> dict[str, Any]:
    row = {"sku": f"T-{number:05d}", "name": f"Thing {number}", "description": None}
    return {**row, "price": Decimal("1.50"), **values}


def test_text_and_prices_come_back_exactly_as_sent(session: Session) -> None:
    rows = [
        _product_row(number, name=text or "x", description=text)
        for number, text in enumerate(TRICKY_TEXT)
    ]
    rows += [
        _product_row(90, price=Decimal("0.00")),
        _product_row(91, price=Decimal("9999999999.99")),
    ]

    ids = import_repository.upsert_products(session, rows, COLUMNS)

    stored = {p.sku: p for p in session.scalars(select(Product))}
    assert ids == {sku: product.id for sku, product in stored.items()}
    for row in rows:
        product = stored[row["sku"]]
        sent = (row["name"], row["description"], row["price"])
        assert (product.name, product.description, product.price) == sent
        assert product.version == 1


def test_an_existing_sku_is_updated_with_its_version_bumped(session: Session) -> None:
    old = ProductFactory(sku="T-00001", name="Old", description="Kept", price=Decimal("2.00"))
    created = old.created_at

    ids = import_repository.upsert_products(
        session,
        [{"sku": "T-00001", "name": "New", "price": Decimal("3.25")}],
        ["sku", "name", "price"],
    )

    session.expire_all()
    product = session.get(Product, old.id)
    assert product is not None
    assert ids == {"T-00001": old.id}
    assert (product.name, product.description, product.price) == ("New", "Kept", Decimal("3.25"))
    assert (product.version, product.created_at) == (2, created)
    assert product.updated_at > created


def test_a_batch_is_one_statement_with_a_few_parameters(
    session: Session, statements: list[tuple[str, Any]]
) -> None:
    rows = [_product_row(number) for number in range(1000)]

    ids = import_repository.upsert_products(session, rows, COLUMNS)

    assert len(ids) == 1000
    [(sql, parameters)] = statements
    assert "json_to_recordset" in sql
    assert len(parameters) == 5  # the rows as JSON, two times and two 1s, for any row count


def test_lookups_and_link_replacement_cover_every_id_in_one_statement_each(
    session: Session, statements: list[tuple[str, Any]]
) -> None:
    garden, tools = CategoryFactory(name="Garden").id, CategoryFactory(name="Tools").id
    ids = import_repository.upsert_products(
        session, [_product_row(number) for number in range(1200)], COLUMNS
    )
    product_ids = sorted(ids.values())
    import_repository.replace_category_links(
        session, product_ids, [(product, garden) for product in product_ids]
    )
    statements.clear()

    found = import_repository.map_product_ids(session, [*ids, "T-MISSING"])
    import_repository.replace_category_links(
        session, product_ids, [(product, tools) for product in product_ids[:700]]
    )

    assert found == ids
    assert len(statements) == 3  # the lookup, the DELETE and the INSERT of links
    links = session.execute(
        select(product_categories.c.product_id, product_categories.c.category_id)
    )
    assert sorted(links.all()) == [(product, tools) for product in product_ids[:700]]


def test_stock_rows_are_added_or_set_with_their_version_bumped(session: Session) -> None:
    store = StoreFactory()
    stocked = StockItemFactory(store=store, quantity=3)
    new = ProductFactory()

    import_repository.upsert_stock(session, store.id, {stocked.product_id: 40, new.id: 5})

    session.expire_all()
    items = {item.product_id: item for item in session.scalars(select(StockItem))}
    assert (items[stocked.product_id].quantity, items[stocked.product_id].version) == (40, 2)
    assert (items[new.id].quantity, items[new.id].version, items[new.id].store_id) == (
        5,
        1,
        store.id,
    )

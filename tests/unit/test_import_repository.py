"""The import repository on SQLite: lookups and link replacement in chunks of IN lists."""

from decimal import Decimal
from typing import Any

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from app.models.product_category import product_categories
from app.repositories import import_repository
from app.repositories.import_repository import LOOKUP_CHUNK
from tests.factories import CategoryFactory

COLUMNS = ["sku", "name", "price"]


def test_lookups_and_link_replacement_cover_more_than_one_chunk(session: Session) -> None:
    count = LOOKUP_CHUNK * 2 + 100
    garden, tools = CategoryFactory(name="Garden").id, CategoryFactory(name="Tools").id
    rows = [{"sku": f"T-{n:05d}", "name": f"Thing {n}", "price": Decimal(1)} for n in range(count)]
    ids = import_repository.upsert_products(session, rows, COLUMNS)
    product_ids = sorted(ids.values())
    import_repository.replace_category_links(
        session, product_ids, [(product, garden) for product in product_ids]
    )

    found = import_repository.map_product_ids(session, [*ids, "T-MISSING"])
    import_repository.replace_category_links(
        session, product_ids, [(product, tools) for product in product_ids[:700]]
    )

    assert len(ids) == count
    assert found == ids
    links = session.execute(
        select(product_categories.c.product_id, product_categories.c.category_id)
    )
    assert sorted(links.all()) == [(product, tools) for product in product_ids[:700]]


def test_empty_batches_send_no_statement(session: Session) -> None:
    sent: list[str] = []

    def record(*args: Any) -> None:
        sent.append(args[2])

    event.listen(session.get_bind(), "before_cursor_execute", record)
    try:
        assert import_repository.upsert_products(session, [], COLUMNS) == {}
        assert import_repository.map_product_ids(session, []) == {}
        import_repository.replace_category_links(session, [], [])
        import_repository.upsert_stock(session, 1, {})
    finally:
        event.remove(session.get_bind(), "before_cursor_execute", record)

    assert sent == []

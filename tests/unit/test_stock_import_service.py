import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models.stock_item import MAX_QUANTITY, StockItem
from app.models.store import Store
from tests.factories import ProductFactory, StockItemFactory, StoreFactory
from tests.unit.job_helpers import import_csv


@pytest.fixture
def store(session: Session) -> Store:
    ProductFactory(sku="SP-1")
    ProductFactory(sku="RK-1")
    return StoreFactory()


def _quantities(session: Session, store: Store) -> dict[int, int]:
    rows = session.execute(
        select(StockItem.product_id, StockItem.quantity).where(StockItem.store_id == store.id)
    )
    return dict(rows.all())


def test_a_stock_file_sets_each_quantity_adding_missing_rows(
    session: Session, store: Store
) -> None:
    stocked = StockItemFactory(store=store, product=ProductFactory(sku="HS-1"), quantity=3)

    job = import_csv(session, "sku,quantity\nSP-1,5\nHS-1,40\n", "stock", store.id)

    session.expire_all()
    assert job.status == "succeeded"
    assert job.result == {"written": 2, "rows": 2, "skipped": 0}
    quantities = _quantities(session, store)
    assert quantities[stocked.product_id] == 40
    assert sorted(quantities.values()) == [5, 40]


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("NOPE,1", "sku: No product has SKU 'NOPE'."),
        (" ,1", "sku: May not be blank."),
        ("RK-1,-1", f"quantity: Give a whole number from 0 to {MAX_QUANTITY}."),
        ("RK-1,1.5", f"quantity: Give a whole number from 0 to {MAX_QUANTITY}."),
        (f"RK-1,{MAX_QUANTITY + 1}", f"quantity: Give a whole number from 0 to {MAX_QUANTITY}."),
        ("SP-1,2", "sku: 'SP-1' is already on line 2."),
    ],
)
def test_a_bad_stock_row_fails_the_job_with_its_line_and_writes_nothing(
    session: Session, store: Store, row: str, message: str
) -> None:
    job = import_csv(session, f"sku,quantity\nSP-1,1\n{row}\n", "stock", store.id)

    assert job.status == "failed"
    assert job.errors == [{"line": 3, "message": message}]
    assert _quantities(session, store) == {}

from decimal import Decimal

import pytest
from sqlalchemy.orm import Session

from app.models.job_file import ROLE_OUTPUT
from app.services import export_service, job_service
from tests.factories import CategoryFactory, ProductFactory, StockItemFactory, StoreFactory
from tests.unit.job_helpers import import_csv


def _export(session: Session, target: str, store_id: int | None = None) -> bytes:
    request = job_service.ExportRequest(target, store_id)
    job = job_service.create_export_job(session, None, request)
    finished = export_service.run_export(session, job.id)
    assert finished is not None
    assert finished.status == "succeeded"
    return job_service.read_file(session, job.id, ROLE_OUTPUT) or b""


def test_the_catalog_exports_with_the_columns_an_import_takes(session: Session) -> None:
    garden, tools = CategoryFactory(name="Garden"), CategoryFactory(name="Tools")
    ProductFactory(
        sku="SP-1",
        name="Spade, steel",
        description=None,
        price=Decimal("12.5"),
        categories=[tools, garden],
    )

    content = _export(session, "products")

    assert content == (
        b'sku,name,description,price,categories\r\nSP-1,"Spade, steel",,12.50,Garden;Tools\r\n'
    )


def test_an_exported_catalog_imports_back_as_updates_of_every_product(session: Session) -> None:
    garden = CategoryFactory(name="Garden")
    for _ in range(3):
        ProductFactory(categories=[garden])
    content = _export(session, "products")

    job = import_csv(session, content)

    assert job.result == {"written": 3, "created": 0, "updated": 3, "rows": 3, "skipped": 0}


def test_a_stores_stock_exports_as_sku_and_quantity(session: Session) -> None:
    store = StoreFactory()
    StockItemFactory(store=store, product=ProductFactory(sku="SP-1"), quantity=7)
    StockItemFactory(product=ProductFactory(sku="OTHER"), quantity=1)

    content = _export(session, "stock", store.id)

    assert content == b"sku,quantity\r\nSP-1,7\r\n"


def test_an_export_records_its_progress_page_by_page(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    for _ in range(3):
        ProductFactory()
    monkeypatch.setattr(export_service, "PAGE_SIZE", 2)
    seen: list[tuple[int, int]] = []
    job = job_service.create_export_job(session, None, job_service.ExportRequest("products"))

    export_service.run_export(session, job.id, lambda done, total: seen.append((done, total)))

    assert seen == [(2, 3), (3, 3)]


def test_cells_a_spreadsheet_would_run_as_formulas_are_defused_with_a_quote(
    session: Session,
) -> None:
    ProductFactory(sku="F-1", name="=HYPERLINK(1)", description="-20% off", categories=[])

    content = _export(session, "products")

    assert content == (
        b"sku,name,description,price,categories\r\n"
        + b"F-1,'=HYPERLINK(1),'-20% off,"
        + content.split(b"-20% off,")[1]
    )
    assert b"\r\nF-1,=HYPERLINK" not in content


def test_a_defused_export_imports_back_to_the_original_text(session: Session) -> None:
    from app.models.product import Product

    product = ProductFactory(sku="F-2", name="@home kit", description="'=quoted", categories=[])
    content = _export(session, "products")

    import_csv(session, content)

    session.expire_all()
    stored = session.get(Product, product.id)
    assert stored is not None
    assert (stored.name, stored.description) == ("@home kit", "'=quoted")

"""CSV imports and exports on PostgreSQL: the upsert dialect, links and search in sync."""

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.extensions import db
from app.models.product import Product
from app.services import product_service
from app.services.product_listing import ProductListing
from tests.factories import CategoryFactory, ProductFactory
from tests.unit.job_helpers import import_csv

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("factories")]


@pytest.fixture
def session(pg_app: Flask) -> Session:
    """The PostgreSQL app's session; `factories` (tests/conftest.py) binds to it."""
    return db.session()


def test_an_import_updates_existing_skus_and_replaces_their_categories(session: Session) -> None:
    CategoryFactory(name="Garden")
    CategoryFactory(name="Tools")
    ProductFactory(sku="SP-1", name="Old spade")

    job = import_csv(
        session, "sku,name,price,categories\nSP-1,Spade,2,Tools\nRK-1,Rake,3,Garden;Tools\n"
    )

    session.expire_all()
    products = {p.sku: p for p in session.scalars(select(Product))}
    assert job.result == {"written": 2, "created": 1, "updated": 1, "rows": 2, "skipped": 0}
    assert (products["SP-1"].name, products["SP-1"].version) == ("Spade", 2)
    assert [c.name for c in products["SP-1"].categories] == ["Tools"]
    assert sorted(c.name for c in products["RK-1"].categories) == ["Garden", "Tools"]


def test_imported_names_are_searchable_at_once(session: Session) -> None:
    ProductFactory(sku="SP-1", name="Spade")

    import_csv(session, "sku,name,price\nSP-1,Shovel,2\n")

    found = product_service.list_products(session, ProductListing(q="shovel"))
    assert [product.sku for product in found.items] == ["SP-1"]


def test_a_bad_file_writes_nothing_on_postgresql(session: Session) -> None:
    job = import_csv(session, "sku,name,price\nA-1,Spade,1\nB-2,Rake,-1\n")

    assert job.status == "failed"
    assert session.scalars(select(Product.sku)).all() == []


def test_a_row_holding_nul_is_a_line_error_not_a_crash_on_postgresql(session: Session) -> None:
    job = import_csv(session, "sku,name,price\nA-1,Spade,1\nB-2,Ra\x00ke,2\n", skip_invalid=True)

    assert job.status == "succeeded"
    assert job.errors == [
        {"line": 3, "message": "name: Text may not contain the NUL character (U+0000)."}
    ]
    assert session.scalars(select(Product.sku)).all() == ["A-1"]

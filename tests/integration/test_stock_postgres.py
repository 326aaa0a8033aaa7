"""Stores and stock on PostgreSQL: concurrent adjustments never go below zero, and
deleting a store or a product removes its stock rows."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from flask import Flask
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.common.errors import ConflictError
from app.extensions import db
from app.models.product import Product
from app.models.stock_item import StockItem
from app.models.store_manager import StoreManager
from app.models.user import User
from app.services import stock_service, store_service
from app.services.stock_service import QuantityChange, StockKey
from tests.factories import StockItemFactory, StoreFactory, UserFactory

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("factories")]

WORKERS = 20


@pytest.fixture
def session(pg_app: Flask) -> Session:
    """The PostgreSQL app's session; `factories` (tests/conftest.py) binds to it."""
    return db.session()


def _take_one(key: StockKey, admin_id: int) -> str:
    with Session(db.engine) as session:
        actor = session.get(User, admin_id)
        assert actor is not None
        try:
            stock_service.change_stock(session, actor, key, QuantityChange(delta=-1))
        except ConflictError:
            return "refused"
        return "taken"


def test_concurrent_decrements_take_exactly_the_stock_there_is(
    pg_app: Flask, session: Session, admin: User
) -> None:
    item = StockItemFactory(quantity=WORKERS // 2)
    key = StockKey(item.store_id, item.product_id)

    def run(_: int) -> str:
        with pg_app.app_context():
            return _take_one(key, admin.id)

    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        outcomes = list(pool.map(run, range(WORKERS)))

    assert outcomes.count("taken") == WORKERS // 2
    assert outcomes.count("refused") == WORKERS // 2
    session.expire_all()
    assert session.get(StockItem, item.id).quantity == 0


def test_the_database_refuses_a_negative_quantity_written_past_the_service(
    session: Session,
) -> None:
    item = StockItemFactory(quantity=1)

    with pytest.raises(IntegrityError):
        session.execute(
            text("UPDATE stock_items SET quantity = -1 WHERE id = :id"), {"id": item.id}
        )
    session.rollback()


def test_deleting_a_store_removes_its_managers_and_stock(session: Session, admin: User) -> None:
    store = StoreFactory(managers=[UserFactory()])
    StockItemFactory(store=store)
    kept = StockItemFactory()

    store_service.delete_store(session, admin, store.id)

    assert session.scalars(select(StockItem.id)).all() == [kept.id]
    assert session.scalar(select(func.count()).select_from(StoreManager)) == 0


def test_deleting_a_product_removes_its_stock_rows(session: Session) -> None:
    item = StockItemFactory()
    kept = StockItemFactory()

    session.delete(session.get(Product, item.product_id))
    session.commit()

    assert session.scalars(select(StockItem.id)).all() == [kept.id]

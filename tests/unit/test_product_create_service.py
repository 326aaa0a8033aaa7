"""product_service.create_product: one INSERT ... RETURNING, the answer built from it."""

from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from app.common.errors import ConflictError
from app.models.category import Category
from app.models.product import Product
from app.models.product_category import product_categories
from app.models.user import User
from app.services import product_service
from app.services.product_service import CategoryName
from tests.factories import CategoryFactory, ProductFactory


def fields(**overrides: Any) -> dict[str, Any]:
    return {"sku": "SPADE-1", "name": "Spade", "price": Decimal("12.5"), **overrides}


def count(session: Session, table: Any) -> int:
    return session.scalar(select(func.count()).select_from(table)) or 0


def test_the_new_product_is_what_was_stored(session: Session, admin: User) -> None:
    created = product_service.create_product(
        session, admin, fields(sku=" SPADE-1 ", name=" Spade ", description="Digs")
    )

    session.expire_all()
    stored = session.get(Product, created.id)
    assert stored is not None
    assert (created.sku, created.name, created.description) == ("SPADE-1", "Spade", "Digs")
    assert (
        (created.price, created.version)
        == (stored.price, stored.version)
        == (
            Decimal("12.50"),
            1,
        )
    )
    assert (created.created_at, created.updated_at) == (stored.created_at, stored.updated_at)
    assert created.categories == []


def test_categories_are_linked_once_each_and_listed_by_id(session: Session, admin: User) -> None:
    tools, garden = CategoryFactory(name="Tools"), CategoryFactory(name="Garden")

    created = product_service.create_product(
        session, admin, fields(categories=[garden.id, tools.id, garden.id])
    )

    assert created.categories == [
        CategoryName(tools.id, "Tools"),
        CategoryName(garden.id, "Garden"),
    ]
    assert count(session, product_categories) == 2


def test_a_taken_sku_is_a_conflict_naming_it_and_the_session_stays_usable(
    session: Session, admin: User
) -> None:
    ProductFactory(sku="SPADE-1")

    with pytest.raises(ConflictError) as caught:
        product_service.create_product(session, admin, fields())
    product_service.create_product(session, admin, fields(sku="SPADE-2"))

    assert caught.value.detail == "A product with SKU 'SPADE-1' already exists."
    assert sorted(session.scalars(select(Product.sku))) == ["SPADE-1", "SPADE-2"]


def test_a_category_deleted_meanwhile_is_a_conflict_and_nothing_is_written(
    session: Session, admin: User
) -> None:
    garden = CategoryFactory(name="Garden")
    # Another writer's delete, landing between the category check and the link insert.
    session.execute(
        text(
            "CREATE TEMP TRIGGER delete_first BEFORE INSERT ON product_categories "
            "BEGIN DELETE FROM categories WHERE id = NEW.category_id; END"
        )
    )

    with pytest.raises(ConflictError, match="category was deleted"):
        product_service.create_product(session, admin, fields(categories=[garden.id]))

    assert count(session, Product) == 0
    assert count(session, Category) == 1

from flask import Flask
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from app.models.category import Category
from app.models.product import Product
from app.models.product_category import product_categories
from app.services import catalog_seed_service
from tests.conftest import make_test_app


def count(session: Session, table: object) -> int:
    session.expire_all()
    return session.scalar(select(func.count()).select_from(table)) or 0  # type: ignore[arg-type]


def test_seed_catalog_adds_the_products_linked_to_demo_categories(
    app: Flask, session: Session, monkeypatch
) -> None:
    monkeypatch.setattr(catalog_seed_service, "BATCH_SIZE", 7)  # several batches

    result = app.test_cli_runner().invoke(args=["seed", "catalog", "--products", "30"])

    assert result.exit_code == 0, result.output
    assert "Added 30 products." in result.output
    assert count(session, Product) == 30
    assert count(session, product_categories) == 30
    assert count(session, Category) == len(catalog_seed_service.CATEGORY_NAMES)


def test_seeded_products_are_searchable(app: Flask, session: Session) -> None:
    app.test_cli_runner().invoke(args=["seed", "catalog", "--products", "20"])

    matches = session.execute(
        text("SELECT count(*) FROM products_fts WHERE products_fts MATCH 'spade'")
    ).scalar_one()

    assert matches == 7  # numbers 0-6 of 20 get the first noun


def test_seeding_twice_adds_more_products_and_no_more_categories(
    app: Flask, session: Session
) -> None:
    runner = app.test_cli_runner()
    runner.invoke(args=["seed", "catalog", "--products", "5"])

    result = runner.invoke(args=["seed", "catalog", "--products", "5"])

    assert result.exit_code == 0, result.output
    assert count(session, Product) == 10
    assert count(session, Category) == len(catalog_seed_service.CATEGORY_NAMES)


def test_seed_catalog_refuses_a_count_below_one(app: Flask) -> None:
    result = app.test_cli_runner().invoke(args=["seed", "catalog", "--products", "0"])

    assert result.exit_code == 2
    assert "--products" in result.output


def test_seed_catalog_refuses_in_production(database_uri: str) -> None:
    app = make_test_app(database_uri, STOCKROOM_ENV="production", SECRET_KEY="x" * 40, DEBUG=False)

    result = app.test_cli_runner().invoke(args=["seed", "catalog", "--products", "3"])

    assert result.exit_code == 1
    assert "Error: Demo data is never seeded in production." in result.output
    assert "Traceback" not in result.output

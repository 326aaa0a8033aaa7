from pathlib import Path

from flask import Flask
from sqlalchemy.orm import Session

from app.models.product import Product
from app.models.stock_item import StockItem
from app.models.store import Store


def test_export_products_writes_the_catalog_as_csv(
    app: Flask, session: Session, tmp_path: Path
) -> None:
    session.add(Product(sku="A-1", name="Spade, steel", description="Sharp", price=3))
    session.commit()
    path = tmp_path / "out.csv"

    result = app.test_cli_runner().invoke(args=["export", "products", str(path)])

    assert result.exit_code == 0, result.output
    assert f"Wrote {path}." in result.output
    assert path.read_bytes() == (
        b'sku,name,description,price,categories\r\nA-1,"Spade, steel",Sharp,3.00,\r\n'
    )


def test_an_exported_catalog_imports_back_as_updates(
    app: Flask, session: Session, tmp_path: Path
) -> None:
    session.add(Product(sku="A-1", name="Spade", price=3))
    session.commit()
    path = str(tmp_path / "out.csv")
    app.test_cli_runner().invoke(args=["export", "products", path])

    result = app.test_cli_runner().invoke(args=["import", "products", path])

    assert result.exit_code == 0, result.output
    assert "created 0, updated 1" in result.output


def test_export_stock_writes_a_stores_quantities(
    app: Flask, session: Session, tmp_path: Path
) -> None:
    product = Product(sku="A-1", name="Spade", price=3)
    store = Store(name="S", address="1 Road", city="C", state="ST", zip_code="1")
    session.add_all([product, store])
    session.flush()
    session.add(StockItem(store_id=store.id, product_id=product.id, quantity=5))
    session.commit()
    path = tmp_path / "stock.csv"

    result = app.test_cli_runner().invoke(
        args=["export", "stock", "--store", str(store.id), str(path)]
    )

    assert result.exit_code == 0, result.output
    assert path.read_bytes() == b"sku,quantity\r\nA-1,5\r\n"


def test_export_stock_of_an_unknown_store_fails_clearly(app: Flask, tmp_path: Path) -> None:
    path = tmp_path / "stock.csv"

    result = app.test_cli_runner().invoke(args=["export", "stock", "--store", "99", str(path)])

    assert result.exit_code == 1
    assert "There is no store with id 99." in result.output
    assert not path.exists()

from pathlib import Path

from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models.job import Job
from app.models.product import Product
from app.models.stock_item import StockItem
from app.models.store import Store


def _csv(tmp_path: Path, content: str, name: str = "catalog.csv") -> str:
    path = tmp_path / name
    path.write_text(content)
    return str(path)


def _skus(session: Session) -> list[str]:
    session.expire_all()
    return list(session.scalars(select(Product.sku).order_by(Product.sku)))


def test_import_products_writes_the_file_and_records_a_job(
    app: Flask, session: Session, tmp_path: Path
) -> None:
    path = _csv(tmp_path, "sku,name,price\nA-1,Spade,1\nB-2,Rake,2\n")

    result = app.test_cli_runner().invoke(args=["import", "products", path])

    assert result.exit_code == 0, result.output
    assert "Importing catalog.csv" in result.output
    assert "Done: written 2, created 2, updated 0, rows 2, skipped 0." in result.output
    assert _skus(session) == ["A-1", "B-2"]
    assert session.scalars(select(Job.status)).one() == "succeeded"


def test_import_products_lists_bad_lines_writes_nothing_and_exits_non_zero(
    app: Flask, session: Session, tmp_path: Path
) -> None:
    path = _csv(tmp_path, "sku,name,price\nA-1,Spade,1\nB-2,,2\nC-3,Hoe,x\n")

    result = app.test_cli_runner().invoke(args=["import", "products", path])

    assert result.exit_code == 1
    assert "line 3: name: May not be blank." in result.output
    assert "line 4: price: Give a number such as 12.50." in result.output
    assert "Nothing was written" in result.output
    assert _skus(session) == []


def test_import_products_with_skip_invalid_writes_the_good_rows_and_exits_non_zero(
    app: Flask, session: Session, tmp_path: Path
) -> None:
    path = _csv(tmp_path, "sku,name,price\nA-1,Spade,1\nB-2,,2\n")

    result = app.test_cli_runner().invoke(args=["import", "products", "--skip-invalid", path])

    assert result.exit_code == 1
    assert "1 bad row(s) were skipped." in result.output
    assert _skus(session) == ["A-1"]


def test_import_products_refuses_a_bad_header(app: Flask, tmp_path: Path) -> None:
    path = _csv(tmp_path, "sku,title,price\n")

    result = app.test_cli_runner().invoke(args=["import", "products", path])

    assert result.exit_code == 1
    assert "line 1: Bad header (missing column(s): name; unknown column(s): 'title')" in (
        result.output
    )


def test_import_products_refuses_a_missing_file(app: Flask, tmp_path: Path) -> None:
    result = app.test_cli_runner().invoke(args=["import", "products", str(tmp_path / "no.csv")])

    assert result.exit_code == 2
    assert "does not exist" in result.output


def test_import_stock_sets_a_stores_quantities(
    app: Flask, session: Session, tmp_path: Path
) -> None:
    session.add(Product(sku="A-1", name="Spade", price=1))
    store = Store(name="S", address="1 Road", city="C", state="ST", zip_code="1")
    session.add(store)
    session.commit()
    path = _csv(tmp_path, "sku,quantity\nA-1,9\n")

    result = app.test_cli_runner().invoke(args=["import", "stock", "--store", str(store.id), path])

    assert result.exit_code == 0, result.output
    assert session.scalars(select(StockItem.quantity)).one() == 9


def test_import_stock_into_an_unknown_store_fails_clearly(app: Flask, tmp_path: Path) -> None:
    path = _csv(tmp_path, "sku,quantity\n")

    result = app.test_cli_runner().invoke(args=["import", "stock", "--store", "99", path])

    assert result.exit_code == 1
    assert "There is no store with id 99." in result.output

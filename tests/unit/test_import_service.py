from decimal import Decimal

import pytest
from sqlalchemy import create_engine, select, text
from sqlalchemy.orm import Session

from app.models.job import MAX_STORED_ERRORS
from app.models.product import Product
from app.services import import_service, job_service
from tests.factories import CategoryFactory, ProductFactory
from tests.unit.job_helpers import PRODUCT_HEADER, import_csv, product_skus


@pytest.fixture
def garden(session: Session) -> None:
    CategoryFactory(name="Garden")
    CategoryFactory(name="Tools")


@pytest.mark.usefixtures("garden")
def test_a_valid_file_creates_its_products_with_their_categories(session: Session) -> None:
    job = import_csv(
        session, PRODUCT_HEADER + "SP-1,Spade,Steel,12.5,Garden;Tools\nRK-1,Rake,,3,\n"
    )

    assert job.status == "succeeded"
    assert job.result == {"written": 2, "created": 2, "updated": 0, "rows": 2, "skipped": 0}
    spade = session.scalars(select(Product).where(Product.sku == "SP-1")).one()
    assert (spade.name, spade.price, spade.description) == ("Spade", Decimal("12.50"), "Steel")
    assert sorted(category.name for category in spade.categories) == ["Garden", "Tools"]


def test_a_row_whose_sku_exists_updates_that_product(session: Session) -> None:
    ProductFactory(sku="SP-1", name="Old spade", price=Decimal("1.00"))

    job = import_csv(session, PRODUCT_HEADER + "SP-1,New spade,,9.99,\n")

    session.expire_all()
    product = session.scalars(select(Product).where(Product.sku == "SP-1")).one()
    assert job.result is not None
    assert (job.result["created"], job.result["updated"]) == (0, 1)
    assert (product.name, product.price, product.version) == ("New spade", Decimal("9.99"), 2)


def test_an_update_without_a_categories_column_keeps_the_categories(session: Session) -> None:
    garden = CategoryFactory(name="Garden")
    ProductFactory(sku="SP-1", categories=[garden])

    import_csv(session, "sku,name,price\nSP-1,Spade,2\n")

    session.expire_all()
    product = session.scalars(select(Product).where(Product.sku == "SP-1")).one()
    assert [category.name for category in product.categories] == ["Garden"]


@pytest.mark.usefixtures("garden")
@pytest.mark.parametrize(
    ("row", "message"),
    [
        (" ,Spade,,1,", "sku: May not be blank."),
        ("X-1, ,,1,", "name: May not be blank."),
        ("X-1,Spade,,abc,", "price: Give a number such as 12.50."),
        ("X-1,Spade,,-1,", "price: A price is 0 or more, with at most 2 decimals."),
        ("X-1,Spade,,1.005,", "price: A price is 0 or more, with at most 2 decimals."),
        ("X-1,Spade,,10000000000,", "price: A price is less than 10000000000."),
        ("X" * 65 + ",Spade,,1,", "sku: At most 64 characters."),
        ("X-1,Spade,,1,Garden;Toys", "categories: Unknown category name(s): 'Toys'."),
        ("X-1,Spade,,1", "Expected 5 fields, found 4."),
        ("OK-1,Spade again,,1,", "sku: 'OK-1' is already on line 2."),
        (
            "X-1,Spa\x00de,x\x00,1,",
            "name, description: Text may not contain the NUL character (U+0000).",
        ),
    ],
)
def test_a_bad_row_fails_the_job_with_its_line_and_writes_nothing(
    session: Session, row: str, message: str
) -> None:
    job = import_csv(session, PRODUCT_HEADER + "OK-1,Spade,,1,Garden\n" + row + "\n")

    assert job.status == "failed"
    assert job.errors == [{"line": 3, "message": message}]
    assert job.result == {"rows": 2, "written": 0}
    assert product_skus(session) == []


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "The file is empty: its first line must name the columns."),
        (b"sku,name\nA,B\n", "Bad header (missing column(s): price);"),
        (b"sku,name,price,colour\n", "Bad header (unknown column(s): 'colour');"),
        (b"sku,name,price,name\n", "Bad header (repeated column(s): name);"),
    ],
)
def test_a_bad_header_fails_the_job_on_line_1(
    session: Session, content: bytes, message: str
) -> None:
    job = import_csv(session, content)

    assert job.status == "failed"
    assert job.errors[0]["line"] == 1
    assert job.errors[0]["message"].startswith(message)


def test_a_file_that_is_not_utf8_fails_with_the_line_of_the_first_bad_byte(
    session: Session,
) -> None:
    job = import_csv(session, b"sku,name,price\nA-1,Caf\xe9,1\n")

    assert job.errors == [{"line": 2, "message": "The file is not UTF-8 text."}]


def test_a_byte_order_mark_and_crlf_line_ends_are_accepted(session: Session) -> None:
    job = import_csv(session, b"\xef\xbb\xbfsku,name,price\r\nA-1,Spade,1\r\n")

    assert job.status == "succeeded"
    assert product_skus(session) == ["A-1"]


def test_a_row_after_a_multi_line_field_is_reported_on_its_own_line(session: Session) -> None:
    job = import_csv(session, 'sku,name,description,price\nA-1,Spade,"two\nlines",1\nB-2,Rake,,x\n')

    assert job.errors == [{"line": 4, "message": "price: Give a number such as 12.50."}]


def test_skip_invalid_writes_the_good_rows_and_lists_the_bad_ones(session: Session) -> None:
    job = import_csv(session, "sku,name,price\nA-1,Spade,1\nB-2,,1\nC-3,Hoe,2\n", skip_invalid=True)

    assert job.status == "succeeded"
    assert job.errors == [{"line": 3, "message": "name: May not be blank."}]
    assert job.result is not None
    assert (job.result["written"], job.result["skipped"]) == (2, 1)
    assert product_skus(session) == ["A-1", "C-3"]


def test_only_the_first_errors_are_stored_but_all_are_counted(session: Session) -> None:
    rows = "".join(f"S-{number},,1\n" for number in range(MAX_STORED_ERRORS + 5))

    job = import_csv(session, "sku,name,price\n" + rows)

    assert job.error_count == MAX_STORED_ERRORS + 5
    assert len(job.errors) == MAX_STORED_ERRORS


def test_ten_thousand_rows_import_with_progress_rising(session: Session) -> None:
    rows = "".join(
        f"BULK-{number:05d},Item {number},{number % 90}.25\n" for number in range(10_000)
    )
    request = job_service.ImportRequest(
        "products", "bulk.csv", ("sku,name,price\n" + rows).encode()
    )
    job = job_service.create_import_job(session, None, request)
    # Another connection reads what was committed, as GET /api/jobs/<id> would.
    reader = create_engine(session.get_bind().url)
    seen: list[int] = []

    def read_progress(_done: int, _total: int) -> None:
        with reader.connect() as connection:
            query = text("SELECT progress_done FROM jobs WHERE id = :id")
            seen.append(connection.execute(query, {"id": job.id}).scalar_one())

    finished = import_service.run_import(session, job.id, read_progress)
    reader.dispose()

    assert finished is not None
    assert finished.status == "succeeded"
    assert seen == sorted(set(seen))
    assert len(seen) == 10
    assert seen[-1] == 10_000
    assert len(product_skus(session)) == 10_000


def test_a_finished_job_is_not_run_again(session: Session) -> None:
    job = import_csv(session, "sku,name,price\nA-1,Spade,1\n")
    session.execute(text("DELETE FROM products"))
    session.commit()

    assert import_service.run_import(session, job.id) is None
    assert product_skus(session) == []


def test_a_job_left_running_by_a_crashed_worker_starts_over(session: Session) -> None:
    request = job_service.ImportRequest("products", "a.csv", b"sku,name,price\nA-1,Spade,1\n")
    job = job_service.create_import_job(session, None, request)
    job.status, job.progress_done = "running", 7
    session.commit()

    finished = import_service.run_import(session, job.id)

    assert finished is not None
    assert (finished.status, finished.progress_done, finished.progress_total) == ("succeeded", 1, 1)

"""product_view: the API's product JSON built from rows equals the ORM path's, page by page."""

from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import orjson
import pytest
from pydantic import TypeAdapter
from sqlalchemy import bindparam, text
from sqlalchemy.orm import Session

from app.common.errors import BadRequestError, NotFoundError
from app.models.category import Category
from app.schemas.product_schema import ProductOut
from app.services import product_view
from app.services.product_listing import ProductListing
from app.services.product_service import CategoryName, NewProduct
from tests.factories import CategoryFactory, ProductFactory
from tests.product_reads import orm_json, orm_pages, view_pages

ON_THE_SECOND = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)


@pytest.fixture
def categories(session: Session) -> list[Category]:
    # Made out of id order by name, so "by id" and "by name" differ.
    return [CategoryFactory(name=name) for name in ("Tools", "Garden", "Sale")]


@pytest.fixture
def catalog(categories: list[Category]) -> None:
    """Eleven products: shared names and prices (ties), none to three categories."""
    for number in range(11):
        ProductFactory(
            name=f"Item {number % 4}",
            price=Decimal(number % 3) * Decimal("10.25"),
            description=None if number % 5 == 0 else f"Number {number}",
            categories=categories[: number % 4],
        )


@pytest.mark.parametrize(
    "fields",
    [
        {"description": None},
        {"categories": "none"},
        {"categories": "all"},
        {"price": Decimal("0.00")},
        {"price": Decimal("99999.99")},
        {"price": Decimal("12.5")},
        {"created_at": ON_THE_SECOND, "updated_at": ON_THE_SECOND},
        {"name": "Bêche « pro » 🌱", "description": "Line\nbreak and \"quotes\""},
    ],
    ids=["null-description", "no-category", "three-categories", "zero", "max", "one-decimal",
         "no-microseconds", "unicode"],
)  # fmt: skip
def test_a_product_reads_exactly_as_product_out_shows_it(
    session: Session, categories: list[Category], fields: dict[str, Any]
) -> None:
    linked = {"none": [], "all": list(reversed(categories))}.get(fields.get("categories", "all"))
    product = ProductFactory(**{**fields, "categories": linked})
    ProductFactory(categories=categories[:1])

    view = product_view.read_product(session, product.id)

    assert view.data == orm_json(session, product.id)
    assert view.version == product.version


PRICES = ["0", "0.01", "0.07", "0.1", "0.29", "1.005", "12", "19.99", "1234.56", "9999999999.99"]


def test_prices_read_as_the_driver_gives_them_show_as_the_orm_path_does(
    session: Session,
) -> None:
    products = [ProductFactory(price=Decimal(price).quantize(Decimal("0.01"))) for price in PRICES]
    stored = session.execute(
        text("SELECT DISTINCT typeof(price) FROM products WHERE id IN :ids").bindparams(
            bindparam("ids", expanding=True)
        ),
        {"ids": [product.id for product in products]},
    ).scalars()

    assert set(stored) == {"integer", "real"}  # SQLite keeps 12 as an integer, 19.99 a real
    for product in products:
        expected = orm_json(session, product.id)
        assert product_view.read_product(session, product.id).data == expected
    assert [product_view.price_text(price) for price in (Decimal("12.50"), 12.5, 12)] == [
        "12.50",
        "12.50",
        "12.00",
    ]


def test_categories_are_listed_by_id(session: Session, categories: list[Category]) -> None:
    product = ProductFactory(categories=list(reversed(categories)))

    data = product_view.read_product(session, product.id).data

    assert [category["id"] for category in data["categories"]] == sorted(
        category.id for category in categories
    )


def test_an_unknown_product_is_not_found(session: Session) -> None:
    with pytest.raises(NotFoundError, match=r"No product with id 99\."):
        product_view.read_product(session, 99)


@pytest.mark.usefixtures("catalog")
@pytest.mark.parametrize(
    "sort", ["name", "-name", "price", "-price", "created_at", "-created_at", "id", "-id", "sku"]
)
@pytest.mark.parametrize("limit", [1, 3, 20])
def test_every_page_and_cursor_match_the_orm_listing(
    session: Session, sort: str, limit: int
) -> None:
    listing = ProductListing(sort=sort, limit=limit)

    assert view_pages(session, listing) == orm_pages(session, listing)


@pytest.mark.usefixtures("catalog")
@pytest.mark.parametrize(
    "filters",
    [
        {"category": 1},
        {"min_price": Decimal("10.25")},
        {"max_price": Decimal("10.25")},
        {"min_price": Decimal("1"), "max_price": Decimal("20"), "category": 2},
        {"category": 999},
    ],
)
def test_filtered_pages_match_the_orm_listing(session: Session, filters: dict[str, Any]) -> None:
    listing = ProductListing(**filters, sort="-price", limit=2)

    assert view_pages(session, listing) == orm_pages(session, listing)


def test_a_page_holds_only_its_own_products_categories(
    session: Session, categories: list[Category]
) -> None:
    ProductFactory(name="A", categories=categories)
    ProductFactory(name="B", categories=[])
    ProductFactory(name="C", categories=categories[1:])

    page = product_view.read_products(session, ProductListing(limit=2))

    assert [len(item["categories"]) for item in page.items] == [3, 0]
    assert page.next_cursor is not None


def test_an_empty_list_has_no_items_and_no_next_cursor(session: Session) -> None:
    page = product_view.read_products(session, ProductListing())

    assert list(page.items) == []
    assert page.next_cursor is None


@pytest.mark.usefixtures("catalog")
def test_a_cursor_made_for_another_sort_is_refused(session: Session) -> None:
    cursor = product_view.read_products(session, ProductListing(limit=1)).next_cursor

    with pytest.raises(BadRequestError):
        product_view.read_products(session, ProductListing(sort="-price", cursor=cursor))


@pytest.mark.parametrize(
    "moment",
    [
        datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC),
        datetime(2026, 1, 2, 3, 4, 5, 120000, tzinfo=UTC),
        datetime(2026, 12, 31, 23, 59, 59, 999999, tzinfo=UTC),
        datetime(2026, 1, 2, 3, 4, 5, 6, tzinfo=timezone(timedelta(hours=-5))),
    ],
)
def test_a_timestamp_is_written_as_the_orm_path_writes_it(moment: datetime) -> None:
    # UTCDateTime reads every value back in UTC; pydantic then writes it.
    expected = TypeAdapter(datetime).dump_python(moment.astimezone(UTC), mode="json")

    assert product_view.timestamp_text(moment) == expected
    assert product_view.timestamp_text(moment.astimezone(UTC).replace(tzinfo=None)) == expected


@pytest.mark.parametrize(
    "overrides",
    [
        {},
        {"description": None, "price": Decimal("0")},
        {"price": Decimal("99999.99"), "description": 'Bêche « pro » 🌱\n"quoted"'},
        {"created_at": ON_THE_SECOND, "updated_at": ON_THE_SECOND + timedelta(microseconds=7)},
    ],
    ids=["categories", "zero-no-description", "max-unicode", "microseconds"],
)
def test_a_new_product_shows_byte_for_byte_as_product_out_does(
    overrides: dict[str, Any],
) -> None:
    # Timestamps as the service returns them: aware, in UTC (UTCDateTime reads them so).
    product = NewProduct(
        **{
            "id": 7,
            "sku": "SPADE-1",
            "name": "Spade",
            "description": "Digs",
            "price": Decimal("12.50"),
            "categories": [CategoryName(2, "Garden"), CategoryName(5, "Tools")],
            "version": 1,
            "created_at": ON_THE_SECOND + timedelta(microseconds=250),
            "updated_at": ON_THE_SECOND,
            **overrides,
        }
    )
    expected = ProductOut.model_validate(product, from_attributes=True).model_dump(mode="json")

    assert orjson.dumps(product_view.new_product_json(product)) == orjson.dumps(expected)

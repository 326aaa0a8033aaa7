"""product_service on a plain SQLite Session over the migrated schema (with FTS5)."""

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import create_engine, event, func, select, text
from sqlalchemy.orm import Session

from app.common.errors import (
    BadRequestError,
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
    PreconditionFailedError,
    ValidationError,
)
from app.common.pagination import encode_cursor
from app.models.product import Product
from app.models.user import User
from app.services import product_service
from app.services.product_listing import ProductListing
from tests.factories import CategoryFactory, ProductFactory, bind_session


def _enforce_foreign_keys(dbapi_connection: Any, _record: object) -> None:
    dbapi_connection.execute("PRAGMA foreign_keys=ON")


@pytest.fixture
def session(database_uri: str) -> Iterator[Session]:
    """A plain Session on a copy of the migrated database: search needs the FTS5 table."""
    engine = create_engine(database_uri)
    event.listen(engine, "connect", _enforce_foreign_keys)
    with Session(engine) as session:
        bind_session(session)
        yield session
        bind_session(None)
    engine.dispose()


def fields(**overrides: Any) -> dict[str, Any]:
    return {"sku": "SPADE-1", "name": "Spade", "price": Decimal("12.5"), **overrides}


def search(session: Session, q: str, **options: Any) -> list[str]:
    page = product_service.list_products(session, ProductListing(q=q, **options))
    return [product.sku for product in page.items]


def walk(session: Session, listing: ProductListing) -> list[Product]:
    seen: list[Product] = []
    while True:
        page = product_service.list_products(session, listing)
        seen.extend(page.items)
        if page.next_cursor is None:
            return seen
        listing = ProductListing(**{**listing.__dict__, "cursor": page.next_cursor})


def test_an_admin_creates_a_product_with_its_categories(session: Session, admin: User) -> None:
    garden, tools = CategoryFactory(), CategoryFactory()

    product = product_service.create_product(
        session, admin, fields(categories=[tools.id, garden.id, tools.id])
    )

    assert product.price == Decimal("12.50")
    assert [category.id for category in product.categories] == sorted([garden.id, tools.id])


def test_a_manager_may_not_create_a_product(session: Session, manager: User) -> None:
    with pytest.raises(PermissionDeniedError):
        product_service.create_product(session, manager, fields())


def test_a_duplicate_sku_is_a_conflict(session: Session, admin: User) -> None:
    ProductFactory(sku="SPADE-1")

    with pytest.raises(ConflictError):
        product_service.create_product(session, admin, fields(sku=" SPADE-1 "))


@pytest.mark.parametrize(
    ("given", "field"),
    [
        (fields(categories=[999]), "categories"),
        (fields(price=Decimal("-0.01")), "price"),
        (fields(price=Decimal("1.005")), "price"),
        (fields(name="   "), "name"),
        (fields(colour="red"), "colour"),
        ({"sku": "A", "name": "B"}, "price"),
        (fields(sku=None), "sku"),
    ],
)
def test_invalid_product_input_names_the_field_and_writes_nothing(
    session: Session, admin: User, given: dict[str, Any], field: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        product_service.create_product(session, admin, given)

    assert field in caught.value.errors
    assert session.scalar(select(func.count()).select_from(Product)) == 0


def test_replacing_the_categories_moves_the_version_on(session: Session, admin: User) -> None:
    first, second = CategoryFactory(), CategoryFactory()
    product = ProductFactory(categories=[first])

    changed = product_service.update_product(
        session, admin, product.id, {"categories": [second.id]}
    )

    assert [category.id for category in changed.categories] == [second.id]
    assert changed.version == 2


def test_an_update_with_an_unknown_category_changes_nothing(session: Session, admin: User) -> None:
    product = ProductFactory(name="Spade")

    with pytest.raises(ValidationError):
        product_service.update_product(
            session, admin, product.id, {"name": "Fork", "categories": [999]}
        )

    session.expire_all()
    assert session.get(Product, product.id).name == "Spade"  # type: ignore[union-attr]


def test_an_update_against_an_old_version_fails_the_precondition(
    session: Session, admin: User
) -> None:
    product = ProductFactory()

    with pytest.raises(PreconditionFailedError):
        product_service.update_product(
            session, admin, product.id, {"name": "Fork"}, expected_version=2
        )


def test_deleting_an_unknown_product_is_not_found(session: Session, admin: User) -> None:
    with pytest.raises(NotFoundError):
        product_service.delete_product(session, admin, 404)


def test_search_finds_words_in_sku_name_and_description(session: Session) -> None:
    ProductFactory(sku="RAKE-1", name="Leaf rake", description="For autumn")
    ProductFactory(sku="HOSE-1", name="Hose", description="Waters the garden")
    ProductFactory(sku="SPADE-1", name="Spade", description="Digs")

    assert search(session, "rake") == ["RAKE-1"]
    assert search(session, "GARDEN") == ["HOSE-1"]
    assert search(session, "spade 1") == ["SPADE-1"]


def test_search_ranks_a_name_match_above_a_description_match(session: Session) -> None:
    ProductFactory(sku="A", name="Bucket", description="Holds a shovel")
    ProductFactory(sku="B", name="Shovel", description="Steel")

    assert search(session, "shovel") == ["B", "A"]


def test_search_stays_in_sync_after_an_update(session: Session, admin: User) -> None:
    product = ProductFactory(sku="A", name="Bucket")

    product_service.update_product(session, admin, product.id, {"name": "Pail"})

    assert search(session, "bucket") == []
    assert search(session, "pail") == ["A"]


def test_search_stays_in_sync_after_a_delete(session: Session, admin: User) -> None:
    product = ProductFactory(sku="A", name="Bucket")

    product_service.delete_product(session, admin, product.id)

    assert search(session, "bucket") == []


def test_query_syntax_in_search_is_treated_as_plain_words(session: Session) -> None:
    ProductFactory(sku="A", name="Bucket or pail, near the door")

    assert search(session, 'bucket" OR NEAR(* -') == ["A"]


def test_a_search_without_any_word_is_a_validation_error(session: Session) -> None:
    with pytest.raises(ValidationError) as caught:
        search(session, "!!! ---")

    assert set(caught.value.errors) == {"q"}


def test_filters_narrow_by_category_and_price(session: Session) -> None:
    garden = CategoryFactory()
    ProductFactory(sku="A", price=Decimal("5.00"), categories=[garden])
    ProductFactory(sku="B", price=Decimal("15.00"), categories=[garden])
    ProductFactory(sku="C", price=Decimal("10.00"))
    listing = ProductListing(
        category=garden.id, min_price=Decimal("4.99"), max_price=Decimal("10"), sort="sku"
    )

    page = product_service.list_products(session, listing)

    assert [product.sku for product in page.items] == ["A"]


@pytest.mark.parametrize(
    "sort", ["name", "-name", "sku", "-sku", "price", "-price", "created_at", "-created_at"]
)
def test_walking_the_pages_yields_every_product_once_in_order(session: Session, sort: str) -> None:
    for index in range(9):
        ProductFactory(name=f"Product {index % 4}", price=Decimal(index % 3))
    field = sort.removeprefix("-")

    seen = walk(session, ProductListing(sort=sort, limit=2))

    keys = [(getattr(product, field), product.id) for product in seen]
    assert keys == sorted(keys, reverse=sort.startswith("-"))
    assert len({product.id for product in seen}) == 9


def test_walking_ranked_search_results_yields_every_match_once(session: Session) -> None:
    for index in range(7):
        ProductFactory(name="Shovel " * (index % 3 + 1), description="steel")
    ProductFactory(name="Bucket")

    seen = walk(session, ProductListing(q="shovel", limit=2))

    assert len(seen) == len({product.id for product in seen}) == 7


@pytest.mark.parametrize(
    "cursor",
    [
        encode_cursor(["price", "twelve", 1]),
        encode_cursor(["price", "NaN", 1]),
        encode_cursor(["created_at", "2026-01-01T00:00:00", 1]),  # naive
        encode_cursor(["name", "a", 1]),  # made for another sort
    ],
)
def test_a_cursor_that_does_not_fit_the_sort_is_a_bad_request(
    session: Session, cursor: str
) -> None:
    with pytest.raises(BadRequestError):
        product_service.list_products(session, ProductListing(sort="price", cursor=cursor))


def test_the_fts_index_holds_one_row_per_product(session: Session, admin: User) -> None:
    products = [ProductFactory() for _ in range(3)]
    product_service.delete_product(session, admin, products[0].id)

    # FTS5 raises "database disk image is malformed" when index and content disagree.
    session.execute(
        text("INSERT INTO products_fts(products_fts, rank) VALUES ('integrity-check', 1)")
    )

    assert search(session, "catalog") == [product.sku for product in products[1:]]

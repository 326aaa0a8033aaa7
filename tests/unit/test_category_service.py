"""category_service on a plain SQLite Session: rules, permissions, conflicts, pages."""

import pytest
from sqlalchemy import func, select
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
from app.models.category import Category
from app.models.product import Product
from app.models.product_category import product_categories
from app.models.user import User
from app.services import category_service
from tests.factories import CategoryFactory, ProductFactory


def walk(session: Session, sort: str, limit: int) -> list[Category]:
    seen: list[Category] = []
    cursor = None
    while True:
        page = category_service.list_categories(session, sort, limit, cursor)
        seen.extend(page.items)
        if page.next_cursor is None:
            return seen
        cursor = page.next_cursor


def test_an_admin_creates_a_category_with_its_name_trimmed(session: Session, admin: User) -> None:
    category = category_service.create_category(session, admin, "  Garden  ", "Tools")

    stored = session.get(Category, category.id)
    assert stored is not None
    assert (stored.name, stored.description, stored.version) == ("Garden", "Tools", 1)


def test_a_manager_may_not_create_a_category(session: Session, manager: User) -> None:
    with pytest.raises(PermissionDeniedError):
        category_service.create_category(session, manager, "Garden")

    assert session.scalar(select(func.count()).select_from(Category)) == 0


def test_a_second_category_with_the_same_name_is_a_conflict(session: Session, admin: User) -> None:
    CategoryFactory(name="Garden")

    with pytest.raises(ConflictError):
        category_service.create_category(session, admin, " Garden ")


@pytest.mark.parametrize("name", ["", "   ", None])
def test_a_blank_name_is_refused_with_the_field_named(
    session: Session, admin: User, name: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        category_service.create_category(session, admin, name)

    assert set(caught.value.errors) == {"name"}


def test_an_admin_renames_a_category_and_its_version_moves_on(
    session: Session, admin: User
) -> None:
    category = CategoryFactory(name="Garden")

    changed = category_service.update_category(
        session, admin, category.id, {"name": "Outdoors", "description": None}
    )

    assert (changed.name, changed.description, changed.version) == ("Outdoors", None, 2)


def test_renaming_to_a_taken_name_is_a_conflict(session: Session, admin: User) -> None:
    CategoryFactory(name="Garden")
    category = CategoryFactory(name="Kitchen")

    with pytest.raises(ConflictError):
        category_service.update_category(session, admin, category.id, {"name": "Garden"})


def test_an_update_with_an_unknown_field_changes_nothing(session: Session, admin: User) -> None:
    category = CategoryFactory(name="Garden")

    with pytest.raises(ValidationError) as caught:
        category_service.update_category(
            session, admin, category.id, {"name": "New", "colour": "red"}
        )

    assert caught.value.errors == {"colour": ["Unknown field."]}
    session.expire_all()
    assert session.get(Category, category.id).name == "Garden"  # type: ignore[union-attr]


def test_an_update_against_an_old_version_fails_the_precondition(
    session: Session, admin: User
) -> None:
    category = CategoryFactory(name="Garden")

    with pytest.raises(PreconditionFailedError):
        category_service.update_category(
            session, admin, category.id, {"name": "New"}, expected_version=7
        )


def test_a_manager_may_not_delete_a_category(session: Session, manager: User) -> None:
    category = CategoryFactory()

    with pytest.raises(PermissionDeniedError):
        category_service.delete_category(session, manager, category.id)


def test_deleting_a_category_unlinks_its_products_and_keeps_them(
    session: Session, admin: User
) -> None:
    category = CategoryFactory()
    product = ProductFactory(categories=[category])

    category_service.delete_category(session, admin, category.id)

    session.expire_all()
    assert session.get(Category, category.id) is None
    assert session.get(Product, product.id) is not None
    links = session.scalar(select(func.count()).select_from(product_categories))
    assert links == 0


def test_reading_an_unknown_category_is_not_found(session: Session) -> None:
    with pytest.raises(NotFoundError):
        category_service.get_category(session, 404)


@pytest.mark.parametrize("sort", ["name", "-name", "id", "-id", "created_at", "-created_at"])
@pytest.mark.parametrize("limit", [1, 3, 100])
def test_walking_the_pages_yields_every_category_once_in_order(
    session: Session, sort: str, limit: int
) -> None:
    for name in ["b", "a", "d", "c", "e", "g", "f"]:
        CategoryFactory(name=name)
    field = sort.removeprefix("-")

    seen = walk(session, sort, limit)

    keys = [(getattr(category, field), category.id) for category in seen]
    assert keys == sorted(keys, reverse=sort.startswith("-"))
    assert len({category.id for category in seen}) == 7


def test_an_unknown_sort_is_a_validation_error(session: Session) -> None:
    with pytest.raises(ValidationError) as caught:
        category_service.list_categories(session, "description")

    assert set(caught.value.errors) == {"sort"}


@pytest.mark.parametrize(
    "cursor",
    [
        "not a cursor",
        encode_cursor(["id", 3, 3]),  # made for another sort
        encode_cursor(["name", 3, 3]),  # a number where a name belongs
        encode_cursor(["name", "a", "x"]),  # an id that is not an integer
        encode_cursor(["name", "a"]),
    ],
)
def test_an_unreadable_cursor_is_a_bad_request(session: Session, cursor: str) -> None:
    with pytest.raises(BadRequestError):
        category_service.list_categories(session, "name", 20, cursor)

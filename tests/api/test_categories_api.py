"""/api/categories: reads for anyone signed in, changes for admins, problem+json errors."""

from collections.abc import Callable
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from app.models.category import Category
from app.models.product import Product
from tests.api.problems import Headers, assert_problem
from tests.factories import CategoryFactory, ProductFactory, count_rows
from tests.pages import walk_pages


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/api/categories"),
        ("GET", "/api/categories/1"),
        ("POST", "/api/categories"),
        ("PATCH", "/api/categories/1"),
        ("DELETE", "/api/categories/1"),
    ],
)
def test_an_anonymous_caller_gets_401_on_every_category_route(
    client: FlaskClient, method: str, path: str
) -> None:
    CategoryFactory()

    response = client.open(path, method=method, json={"name": "Garden"})

    assert_problem(response, 401)
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_a_manager_reads_the_list_and_one_category(
    client: FlaskClient, manager_headers: Headers
) -> None:
    category = CategoryFactory(name="Garden", description="Outside")

    listed = client.get("/api/categories", headers=manager_headers)
    one = client.get(f"/api/categories/{category.id}", headers=manager_headers)

    assert listed.status_code == 200
    assert listed.get_json()["links"] == {"next": None}
    assert [item["name"] for item in listed.get_json()["data"]] == ["Garden"]
    assert one.status_code == 200
    data = one.get_json()["data"]
    assert set(data) == {"id", "name", "description", "created_at", "updated_at"}
    assert (data["id"], data["name"], data["description"]) == (category.id, "Garden", "Outside")
    assert data["created_at"].endswith("Z")


@pytest.mark.parametrize(
    ("method", "suffix"), [("POST", ""), ("PATCH", "/{id}"), ("DELETE", "/{id}")]
)
def test_a_manager_may_not_change_categories(
    client: FlaskClient, session: Session, manager_headers: Headers, method: str, suffix: str
) -> None:
    category = CategoryFactory(name="Garden")
    path = "/api/categories" + suffix.format(id=category.id)

    response = client.open(path, method=method, json={"name": "Other"}, headers=manager_headers)

    assert_problem(response, 403)
    assert count_rows(session, Category) == 1
    assert session.get(Category, category.id).name == "Garden"  # type: ignore[union-attr]


def test_an_admin_creates_a_category(client: FlaskClient, admin_headers: Headers) -> None:
    response = client.post(
        "/api/categories",
        json={"name": " Garden ", "description": "Outside"},
        headers=admin_headers,
    )

    assert response.status_code == 201
    data = response.get_json()["data"]
    assert (data["name"], data["description"]) == ("Garden", "Outside")
    assert response.headers["Location"].endswith(f"/api/categories/{data['id']}")
    assert client.get(response.headers["Location"], headers=admin_headers).status_code == 200


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({}, {"name"}),
        ({"description": "no name"}, {"name"}),
        ({"name": 5}, {"name"}),
        ({"name": ""}, {"name"}),
        ({"name": "x" * 101}, {"name"}),
        ({"name": "Garden", "description": "x" * 2001}, {"description"}),
        ({"name": "Garden", "colour": "green"}, {"colour"}),
    ],
)
def test_invalid_category_input_is_a_422_naming_the_field_and_writes_nothing(
    client: FlaskClient,
    session: Session,
    admin_headers: Headers,
    body: dict[str, Any],
    fields: set[str],
) -> None:
    response = client.post("/api/categories", json=body, headers=admin_headers)

    assert_problem(response, 422, fields)
    assert count_rows(session, Category) == 0


def test_a_duplicate_category_name_is_a_409(
    client: FlaskClient, session: Session, admin_headers: Headers
) -> None:
    CategoryFactory(name="Garden")

    response = client.post("/api/categories", json={"name": "Garden"}, headers=admin_headers)

    body = assert_problem(response, 409)
    assert body["type"] == "urn:stockroom:problem:conflict"
    assert count_rows(session, Category) == 1


def test_an_admin_renames_a_category(client: FlaskClient, admin_headers: Headers) -> None:
    category = CategoryFactory(name="Garden", description="Outside")

    response = client.patch(
        f"/api/categories/{category.id}", json={"name": "Outdoors"}, headers=admin_headers
    )

    assert response.status_code == 200
    data = response.get_json()["data"]
    assert (data["name"], data["description"]) == ("Outdoors", "Outside")


@pytest.mark.parametrize(
    ("body", "fields"),
    [({"name": None}, {"name"}), ({"name": 1}, {"name"}), ({"colour": "green"}, {"colour"})],
)
def test_an_invalid_category_change_is_a_422_and_changes_nothing(
    client: FlaskClient,
    session: Session,
    admin_headers: Headers,
    body: dict[str, Any],
    fields: set[str],
) -> None:
    category = CategoryFactory(name="Garden")

    response = client.patch(f"/api/categories/{category.id}", json=body, headers=admin_headers)

    assert_problem(response, 422, fields)
    session.expire_all()
    assert session.get(Category, category.id).name == "Garden"  # type: ignore[union-attr]


def test_renaming_to_a_taken_name_is_a_409(client: FlaskClient, admin_headers: Headers) -> None:
    CategoryFactory(name="Garden")
    category = CategoryFactory(name="Kitchen")

    response = client.patch(
        f"/api/categories/{category.id}", json={"name": "Garden"}, headers=admin_headers
    )

    assert_problem(response, 409)


@pytest.mark.parametrize("method", ["GET", "PATCH", "DELETE"])
def test_an_unknown_category_is_a_404(
    client: FlaskClient, admin_headers: Headers, method: str
) -> None:
    response = client.open(
        "/api/categories/999", method=method, json={"name": "x"}, headers=admin_headers
    )

    assert_problem(response, 404)


def test_deleting_a_category_keeps_its_products_and_removes_the_links(
    client: FlaskClient, session: Session, admin_headers: Headers
) -> None:
    category = CategoryFactory()
    product = ProductFactory(categories=[category])

    response = client.delete(f"/api/categories/{category.id}", headers=admin_headers)

    assert response.status_code == 204
    assert response.data == b""
    assert_problem(client.get(f"/api/categories/{category.id}", headers=admin_headers), 404)
    shown = client.get(f"/api/products/{product.id}", headers=admin_headers).get_json()
    assert shown["data"]["categories"] == []
    session.expire_all()
    assert session.get(Product, product.id) is not None


@pytest.mark.parametrize("sort", ["name", "-name", "id", "-id", "created_at", "-created_at"])
def test_following_next_links_yields_every_category_exactly_once(
    client: FlaskClient, manager_headers: Headers, sort: str
) -> None:
    created = {CategoryFactory().id for _ in range(7)}
    url = f"/api/categories?limit=3&sort={sort}"

    seen = [item["id"] for item in walk_pages(client, url, manager_headers)]

    assert sorted(seen) == sorted(created)
    assert len(seen) == 7


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("limit=0", "limit"),
        ("limit=101", "limit"),
        ("limit=ten", "limit"),
        ("sort=description", "sort"),
        ("sort=-colour", "sort"),
    ],
)
def test_a_bad_limit_or_sort_is_a_422_never_clamped(
    client: FlaskClient, manager_headers: Headers, query: str, field: str
) -> None:
    response = client.get(f"/api/categories?{query}", headers=manager_headers)

    assert_problem(response, 422, {field})


@pytest.mark.parametrize("cursor", ["garbage", "eyJhIjoxfQ", "WyJpZCIsMSwxXQ"])
def test_an_unreadable_cursor_is_a_400(
    client: FlaskClient, manager_headers: Headers, cursor: str
) -> None:
    response = client.get(f"/api/categories?cursor={cursor}", headers=manager_headers)

    body = assert_problem(response, 400)
    assert body["type"] == "urn:stockroom:problem:bad-request"


@pytest.mark.parametrize("limit", [1, 20, 100])
def test_a_list_page_costs_the_same_few_queries_whatever_its_size_or_depth(
    client: FlaskClient, manager_headers: Headers, count_queries: Callable[..., Any], limit: int
) -> None:
    for _ in range(limit * 2 + 1):
        CategoryFactory()
    first = client.get(f"/api/categories?limit={limit}", headers=manager_headers).get_json()

    with count_queries() as counter:
        response = client.get(first["links"]["next"], headers=manager_headers)

    assert len(response.get_json()["data"]) == limit
    assert counter.count <= 2

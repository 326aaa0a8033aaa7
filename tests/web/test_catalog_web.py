"""The catalog page: full-text search, filters, and the admin's product forms."""

from decimal import Decimal

import pytest
from flask.testing import FlaskClient

from tests.factories import CategoryFactory, ProductFactory

PRODUCT = {"sku": "NEW-1", "name": "Brass hose", "price": "9.50", "description": ""}


@pytest.fixture
def products() -> None:
    garden = CategoryFactory(name="Garden")
    ProductFactory(sku="OAK-1", name="Oak spade", price=Decimal("20.00"), categories=[garden])
    ProductFactory(sku="LMP-1", name="Desk lamp", price=Decimal("35.00"))
    ProductFactory(sku="RAK-1", name="Steel rake", price=Decimal("12.00"), categories=[garden])


@pytest.mark.parametrize(
    ("query", "shown", "hidden"),
    [
        ({"q": "spade"}, ["Oak spade"], ["Desk lamp", "Steel rake"]),
        ({"category": "1"}, ["Oak spade", "Steel rake"], ["Desk lamp"]),
        ({"min_price": "15", "max_price": "30"}, ["Oak spade"], ["Desk lamp", "Steel rake"]),
    ],
)
def test_the_catalog_searches_and_filters(
    manager_client: FlaskClient,
    products: None,
    query: dict[str, str],
    shown: list[str],
    hidden: list[str],
) -> None:
    response = manager_client.get("/catalog", query_string=query)

    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert all(name in page for name in shown)
    assert not any(name in page for name in hidden)


@pytest.mark.parametrize(
    ("query", "field"), [({"min_price": "cheap"}, "min_price"), ({"q": "!!!"}, "q")]
)
def test_a_bad_filter_is_shown_by_its_field_and_kept(
    manager_client: FlaskClient, query: dict[str, str], field: str
) -> None:
    response = manager_client.get("/catalog", query_string=query)

    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert f'id="{field}-errors"' in page
    assert f'value="{next(iter(query.values()))}"' in page


def test_a_manager_sees_no_product_forms(manager_client: FlaskClient, products: None) -> None:
    assert "New product" not in manager_client.get("/catalog").get_data(as_text=True)
    assert manager_client.get("/catalog/new").status_code == 403


def test_an_admin_creates_a_product(admin_client: FlaskClient) -> None:
    category = CategoryFactory(name="Garden")

    response = admin_client.post("/catalog/new", data={**PRODUCT, "categories": [category.id]})

    assert response.status_code == 302
    page = admin_client.get("/catalog", query_string={"q": "hose"}).get_data(as_text=True)
    assert "Brass hose" in page
    assert "Garden" in page


@pytest.mark.parametrize(
    ("changes", "status", "message"),
    [
        ({"price": "-1"}, 422, "A price is 0 or more"),
        ({"price": "ten"}, 422, "Not a valid decimal value."),
        ({"sku": "OAK-1"}, 409, "OAK-1"),
    ],
)
def test_a_product_form_error_is_shown_and_what_was_typed_is_kept(
    admin_client: FlaskClient, products: None, changes: dict[str, str], status: int, message: str
) -> None:
    response = admin_client.post("/catalog/new", data={**PRODUCT, **changes})

    page = response.get_data(as_text=True)
    assert response.status_code == status
    assert message in page
    if status == 422:
        assert 'id="price-errors"' in page
    assert 'value="Brass hose"' in page


def test_an_admin_edits_a_product(admin_client: FlaskClient) -> None:
    product = ProductFactory(sku="OLD-1", name="Old name")

    response = admin_client.post(
        f"/catalog/{product.id}/edit", data={**PRODUCT, "sku": "OLD-1", "name": "New name"}
    )

    assert response.status_code == 302
    assert "New name" in admin_client.get("/catalog").get_data(as_text=True)


def test_an_admin_deletes_a_product(admin_client: FlaskClient) -> None:
    product = ProductFactory(name="Doomed")

    response = admin_client.post(f"/catalog/{product.id}/delete")

    assert response.status_code == 302
    assert "Doomed" not in admin_client.get("/catalog").get_data(as_text=True)


def test_editing_an_unknown_product_is_404(admin_client: FlaskClient) -> None:
    assert admin_client.get("/catalog/999/edit").status_code == 404

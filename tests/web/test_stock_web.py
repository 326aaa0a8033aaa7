"""Stock from the dashboard: inline quantity edits (JSON for fetch, or a redirect), add, remove."""

import pytest
from flask.testing import FlaskClient

from app.models.stock_item import StockItem
from app.models.store import Store
from tests.factories import ProductFactory, StockItemFactory

JSON = {"Accept": "application/json"}


@pytest.fixture
def item(store: Store) -> StockItem:
    return StockItemFactory(store=store, product=ProductFactory(sku="OAK-1"), quantity=3)


def _url(item: StockItem) -> str:
    return f"/stores/{item.store_id}/stock/{item.product_id}"


@pytest.mark.parametrize(("data", "quantity"), [({"quantity": "12"}, 12), ({"delta": "-1"}, 2)])
def test_a_quantity_change_answers_json_to_the_script_and_is_saved(
    manager_client: FlaskClient, item: StockItem, data: dict[str, str], quantity: int
) -> None:
    response = manager_client.post(_url(item), data=data, headers=JSON)

    assert response.status_code == 200
    assert response.get_json() == {"product_id": item.product_id, "quantity": quantity}
    page = manager_client.get(f"/stores/{item.store_id}").get_data(as_text=True)
    assert f'value="{quantity}"' in page


def test_a_quantity_change_without_javascript_redirects_to_the_store(
    manager_client: FlaskClient, item: StockItem
) -> None:
    response = manager_client.post(_url(item), data={"delta": "1"})

    assert response.status_code == 302
    assert response.headers["Location"] == f"/stores/{item.store_id}"


def test_a_quantity_never_drops_below_zero(manager_client: FlaskClient, item: StockItem) -> None:
    response = manager_client.post(_url(item), data={"delta": "-4"}, headers=JSON)

    assert response.status_code == 409
    assert "never drops below zero" in response.get_json()["detail"]


@pytest.mark.parametrize("data", [{"quantity": "many"}, {}, {"quantity": "1", "delta": "1"}])
def test_a_quantity_change_that_is_not_one_whole_number_is_422(
    manager_client: FlaskClient, item: StockItem, data: dict[str, str]
) -> None:
    response = manager_client.post(_url(item), data=data, headers=JSON)

    assert response.status_code == 422
    assert response.mimetype == "application/json"


def test_a_manager_cannot_change_another_stores_stock(
    manager_client: FlaskClient, other_store: Store
) -> None:
    other = StockItemFactory(store=other_store)

    response = manager_client.post(_url(other), data={"delta": "1"}, headers=JSON)

    assert response.status_code == 403


def test_adding_a_product_by_sku_stocks_it(manager_client: FlaskClient, store: Store) -> None:
    ProductFactory(sku="RAKE-9", name="Steel rake")

    response = manager_client.post(
        f"/stores/{store.id}/stock", data={"sku": " RAKE-9 ", "quantity": "4"}
    )

    assert response.status_code == 302
    assert "Steel rake" in manager_client.get(f"/stores/{store.id}").get_data(as_text=True)


@pytest.mark.parametrize(
    ("sku", "status", "message"),
    [("NOPE", 422, "No product has this SKU."), ("OAK-1", 409, "already stocks")],
)
def test_adding_an_unknown_or_stocked_product_shows_why_and_keeps_the_sku(
    manager_client: FlaskClient, item: StockItem, sku: str, status: int, message: str
) -> None:
    response = manager_client.post(
        f"/stores/{item.store_id}/stock", data={"sku": sku, "quantity": "1"}
    )

    page = response.get_data(as_text=True)
    assert response.status_code == status
    assert message in page
    assert f'value="{sku}"' in page


def test_removing_a_product_stops_stocking_it(manager_client: FlaskClient, item: StockItem) -> None:
    response = manager_client.post(f"{_url(item)}/delete")

    assert response.status_code == 302
    page = manager_client.get(f"/stores/{item.store_id}").get_data(as_text=True)
    assert "OAK-1" not in page

"""/api/stores reads: anyone signed in lists, filters, pages and reads stores; anonymous
callers get 401 on every store route."""

import base64
import json
from collections.abc import Callable
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from app.models.store import Store
from tests.api.store_helpers import STORE, assert_problem, count_rows
from tests.factories import StoreFactory
from tests.pages import assert_pages_cost_alike, walk_pages

Headers = dict[str, str]


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/api/stores"),
        ("POST", "/api/stores"),
        ("GET", "/api/stores/{id}"),
        ("PATCH", "/api/stores/{id}"),
        ("DELETE", "/api/stores/{id}"),
        ("GET", "/api/stores/{id}/managers"),
        ("GET", "/api/stores/{id}/managers/1"),
        ("PUT", "/api/stores/{id}/managers/1"),
        ("DELETE", "/api/stores/{id}/managers/1"),
        ("GET", "/api/stores/{id}/stock"),
        ("GET", "/api/stores/{id}/stock/1"),
        ("PUT", "/api/stores/{id}/stock/1"),
        ("PATCH", "/api/stores/{id}/stock/1"),
        ("DELETE", "/api/stores/{id}/stock/1"),
    ],
)
def test_an_anonymous_caller_gets_401_on_every_store_route(
    client: FlaskClient, session: Session, store: Store, method: str, path: str
) -> None:
    response = client.open(path.format(id=store.id), method=method, json={"delta": 1})

    assert_problem(response, 401, kind="unauthorized")
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert count_rows(session, Store) == 1


def test_anyone_signed_in_lists_stores(
    client: FlaskClient, manager_headers: Headers, store: Store, other_store: Store
) -> None:
    response = client.get("/api/stores", headers=manager_headers)

    assert response.status_code == 200
    body = response.get_json()
    assert [item["name"] for item in body["data"]] == ["Mine", "Theirs"]
    assert body["links"] == {"next": None}
    assert set(body["data"][0]) == {"id", *STORE, "created_at", "updated_at"}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("city=Shelbyville", ["B"]),
        ("state=OH", ["C"]),
        ("city=Springfield&state=IL", ["A"]),
        ("sort=-name", ["C", "B", "A"]),
        ("sort=city", ["C", "B", "A"]),
        ("sort=-id", ["C", "B", "A"]),
        ("city=Nowhere", []),
        ("city=&state=", ["A", "B", "C"]),
    ],
)
def test_stores_are_filtered_and_sorted(
    client: FlaskClient, manager_headers: Headers, query: str, expected: list[str]
) -> None:
    StoreFactory(name="A", city="Springfield", state="IL")
    StoreFactory(name="B", city="Shelbyville", state="IL")
    StoreFactory(name="C", city="Capital City", state="OH")

    response = client.get(f"/api/stores?{query}", headers=manager_headers)

    assert [item["name"] for item in response.get_json()["data"]] == expected


def test_stores_are_filtered_by_their_manager(
    client: FlaskClient, manager_headers: Headers, manager, store: Store, other_store: Store
) -> None:
    response = client.get(f"/api/stores?manager={manager.id}", headers=manager_headers)

    assert [item["id"] for item in response.get_json()["data"]] == [store.id]


def test_following_links_next_visits_every_store_once(
    client: FlaskClient, manager_headers: Headers
) -> None:
    created = {StoreFactory(city="Springfield").id for _ in range(7)}
    StoreFactory(city="Elsewhere")
    url = "/api/stores?city=Springfield&sort=-name&limit=3"

    seen = [item["id"] for item in walk_pages(client, url, manager_headers)]

    assert len(seen) == 7
    assert set(seen) == created


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("limit=0", "limit"),
        ("limit=101", "limit"),
        ("limit=ten", "limit"),
        ("sort=zip_code", "sort"),
        ("manager=0", "manager"),
        ("colour=red", "colour"),
    ],
)
def test_an_invalid_list_query_is_a_422(
    client: FlaskClient, manager_headers: Headers, query: str, field: str
) -> None:
    response = client.get(f"/api/stores?{query}", headers=manager_headers)

    assert_problem(response, 422, {field})


@pytest.mark.parametrize(
    ("url", "field"),
    [
        ("/api/stores/99999999999999999999", "store_id"),
        ("/api/stores/9223372036854775808/managers", "store_id"),
        ("/api/stores/1/stock/99999999999999999999", "product_id"),
        ("/api/stores?manager=99999999999999999999", "manager"),
    ],
)
def test_an_id_too_large_to_exist_is_a_422_not_a_500(
    client: FlaskClient, manager_headers: Headers, url: str, field: str
) -> None:
    response = client.get(url, headers=manager_headers)

    assert_problem(response, 422, {field})


def _cursor(key: list[object]) -> str:
    """Encode a cursor by hand, as a client forging one would (orjson refuses huge ints)."""
    return base64.urlsafe_b64encode(json.dumps(key).encode()).decode().rstrip("=")


@pytest.mark.parametrize(
    "query",
    [
        "cursor=garbage",
        f"cursor={_cursor({'x': 1})}",
        f"cursor={_cursor(['city', 'x', 1])}",
        f"cursor={_cursor(['name', 'x', 2**63])}",
        f"sort=id&cursor={_cursor(['id', 2**63, 1])}",
        f"sort=id&cursor={_cursor(['id', 0, 1])}",
    ],
)
def test_an_unreadable_cursor_is_a_400(
    client: FlaskClient, manager_headers: Headers, query: str
) -> None:
    response = client.get(f"/api/stores?{query}", headers=manager_headers)

    assert_problem(response, 400, kind="bad-request")


@pytest.mark.parametrize("listing", ["stock", "managers"])
def test_a_forged_cursor_for_a_stores_stock_or_managers_is_a_400(
    client: FlaskClient, manager_headers: Headers, store: Store, listing: str
) -> None:
    sort = "product" if listing == "stock" else "id"
    url = f"/api/stores/{store.id}/{listing}?cursor={_cursor([sort, 2**63, 2**63])}"

    response = client.get(url, headers=manager_headers)

    assert_problem(response, 400, kind="bad-request")


@pytest.mark.parametrize("limit", [1, 20, 100])
def test_a_store_list_costs_the_same_few_queries_at_any_size_and_depth(
    client: FlaskClient,
    manager_headers: Headers,
    manager,
    count_queries: Callable[..., Any],
    limit: int,
) -> None:
    for _ in range(2 * limit + 1):
        StoreFactory(managers=[manager])
    url = f"/api/stores?limit={limit}&manager={manager.id}&sort=-city"

    assert_pages_cost_alike(client, url, manager_headers, count_queries, limit)


def test_anyone_signed_in_reads_a_store_with_its_etag(
    client: FlaskClient, manager_headers: Headers, other_store: Store
) -> None:
    response = client.get(f"/api/stores/{other_store.id}", headers=manager_headers)

    assert response.status_code == 200
    assert response.get_json()["data"]["name"] == "Theirs"
    assert response.headers["ETag"] == '"1"'


def test_a_store_the_client_already_has_is_not_modified(
    client: FlaskClient, manager_headers: Headers, store: Store
) -> None:
    response = client.get(
        f"/api/stores/{store.id}", headers={**manager_headers, "If-None-Match": '"1"'}
    )

    assert response.status_code == 304


@pytest.mark.parametrize("method", ["GET", "PATCH", "DELETE"])
def test_an_unknown_store_is_a_404(
    client: FlaskClient, admin_headers: Headers, method: str
) -> None:
    response = client.open("/api/stores/999", method=method, headers=admin_headers, json={})

    assert_problem(response, 404, kind="not-found")

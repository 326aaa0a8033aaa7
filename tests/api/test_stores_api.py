"""/api/stores: reads for anyone signed in, creates and deletes for admins, changes for
admins and the store's own managers."""

from collections.abc import Callable
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from app.models.stock_item import StockItem
from app.models.store import Store
from app.models.store_manager import StoreManager
from tests.api.store_helpers import STORE, assert_problem, count_rows
from tests.factories import StockItemFactory, StoreFactory, UserFactory

Headers = dict[str, str]


@pytest.fixture
def store(manager) -> Store:
    """A store `manager` manages."""
    return StoreFactory(name="Mine", managers=[manager])


@pytest.fixture
def other_store(other_manager) -> Store:
    """A store `other_manager` manages, and `manager` does not."""
    return StoreFactory(name="Theirs", managers=[other_manager])


def _name(client: FlaskClient, headers: Headers, store: Store) -> str:
    name: str = client.get(f"/api/stores/{store.id}", headers=headers).get_json()["data"]["name"]
    return name


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
    seen: list[int] = []
    url: str | None = "/api/stores?city=Springfield&sort=-name&limit=3"
    while url:
        body = client.get(url, headers=manager_headers).get_json()
        seen += [item["id"] for item in body["data"]]
        url = body["links"]["next"]

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


@pytest.mark.parametrize("cursor", ["garbage", "eyJ4IjoxfQ", "WyJjaXR5IiwieCIsMV0"])
def test_an_unreadable_cursor_is_a_400(
    client: FlaskClient, manager_headers: Headers, cursor: str
) -> None:
    response = client.get(f"/api/stores?cursor={cursor}", headers=manager_headers)

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
    first = client.get(url, headers=manager_headers)

    with count_queries() as first_counter:
        client.get(url, headers=manager_headers)
    with count_queries() as deep_counter:
        response = client.get(first.get_json()["links"]["next"], headers=manager_headers)

    assert len(response.get_json()["data"]) == limit
    assert first_counter.count == deep_counter.count
    assert deep_counter.count <= 3, deep_counter.statements


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


def test_an_admin_creates_a_store(client: FlaskClient, admin_headers: Headers) -> None:
    response = client.post("/api/stores", headers=admin_headers, json=STORE)

    assert response.status_code == 201
    data = response.get_json()["data"]
    assert {key: data[key] for key in STORE} == STORE
    assert response.headers["Location"] == f"/api/stores/{data['id']}"
    assert client.get(response.headers["Location"], headers=admin_headers).status_code == 200


def test_a_manager_cannot_create_a_store(
    client: FlaskClient, session: Session, manager_headers: Headers
) -> None:
    response = client.post("/api/stores", headers=manager_headers, json=STORE)

    assert_problem(response, 403, kind="forbidden")
    assert count_rows(session, Store) == 0


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({}, set(STORE)),
        ({**STORE, "zip_code": None}, {"zip_code"}),
        ({**STORE, "name": "   "}, {"name"}),
        ({**STORE, "city": "x" * 101}, {"city"}),
        ({**STORE, "state": 7}, {"state"}),
        ({**STORE, "id": 5}, {"id"}),
        ({**STORE, "version": 9}, {"version"}),
    ],
)
def test_an_invalid_store_is_a_422_and_nothing_is_written(
    client: FlaskClient,
    session: Session,
    admin_headers: Headers,
    body: dict[str, Any],
    fields: set[str],
) -> None:
    response = client.post("/api/stores", headers=admin_headers, json=body)

    assert_problem(response, 422, fields)
    assert count_rows(session, Store) == 0


def test_a_malformed_json_body_is_a_400(client: FlaskClient, admin_headers: Headers) -> None:
    response = client.post(
        "/api/stores",
        headers={**admin_headers, "Content-Type": "application/json"},
        data='{"name": ',
    )

    assert_problem(response, 400)


def test_a_body_that_is_not_json_is_a_415(client: FlaskClient, admin_headers: Headers) -> None:
    response = client.post("/api/stores", headers=admin_headers, data=STORE)

    assert_problem(response, 415)


def test_an_admin_changes_any_store(
    client: FlaskClient, admin_headers: Headers, store: Store
) -> None:
    response = client.patch(
        f"/api/stores/{store.id}", headers=admin_headers, json={"city": "Shelbyville"}
    )

    assert response.status_code == 200
    assert response.get_json()["data"]["city"] == "Shelbyville"
    assert response.get_json()["data"]["name"] == "Mine"
    assert response.headers["ETag"] == '"2"'


def test_a_manager_changes_their_own_store(
    client: FlaskClient, manager_headers: Headers, store: Store
) -> None:
    response = client.patch(
        f"/api/stores/{store.id}", headers=manager_headers, json={"name": "Still mine"}
    )

    assert response.status_code == 200
    assert response.get_json()["data"]["name"] == "Still mine"


@pytest.mark.parametrize("caller", ["manager", "plain user"])
def test_only_an_admin_or_its_own_manager_changes_a_store(
    client: FlaskClient,
    manager_headers: Headers,
    auth_headers_for: Callable[..., Headers],
    other_store: Store,
    caller: str,
) -> None:
    headers = manager_headers if caller == "manager" else auth_headers_for(UserFactory())

    response = client.patch(
        f"/api/stores/{other_store.id}", headers=headers, json={"name": "Stolen"}
    )

    assert_problem(response, 403, kind="forbidden")
    assert _name(client, manager_headers, other_store) == "Theirs"


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({"name": None}, {"name"}),
        ({"name": ""}, {"name"}),
        ({"zip_code": "1" * 21}, {"zip_code"}),
        ({"name": "Sneaky", "manager_ids": [1]}, {"manager_ids"}),
    ],
)
def test_an_invalid_change_is_a_422_and_nothing_is_written(
    client: FlaskClient,
    admin_headers: Headers,
    store: Store,
    body: dict[str, Any],
    fields: set[str],
) -> None:
    response = client.patch(f"/api/stores/{store.id}", headers=admin_headers, json=body)

    assert_problem(response, 422, fields)
    assert _name(client, admin_headers, store) == "Mine"


def test_a_change_with_a_stale_if_match_is_a_412(
    client: FlaskClient, session: Session, admin_headers: Headers, store: Store
) -> None:
    url = f"/api/stores/{store.id}"
    client.patch(url, headers=admin_headers, json={"name": "Second"})

    response = client.patch(
        url, headers={**admin_headers, "If-Match": '"1"'}, json={"name": "Third"}
    )

    assert_problem(response, 412, kind="precondition-failed")
    session.expire_all()
    assert session.get(Store, store.id).name == "Second"


def test_a_change_with_the_current_if_match_succeeds(
    client: FlaskClient, admin_headers: Headers, store: Store
) -> None:
    response = client.patch(
        f"/api/stores/{store.id}",
        headers={**admin_headers, "If-Match": '"1"'},
        json={"name": "Second"},
    )

    assert response.status_code == 200


def test_an_admin_deletes_a_store_with_its_managers_and_stock(
    client: FlaskClient, session: Session, admin_headers: Headers, store: Store
) -> None:
    StockItemFactory(store=store)
    StockItemFactory(store=store)
    kept = StockItemFactory()

    response = client.delete(f"/api/stores/{store.id}", headers=admin_headers)

    assert response.status_code == 204
    assert response.data == b""
    assert count_rows(session, Store) == 1  # the store of `kept`
    assert count_rows(session, StoreManager) == 0
    assert count_rows(session, StockItem) == 1
    assert session.get(StockItem, kept.id) is not None


def test_a_manager_cannot_delete_their_store(
    client: FlaskClient, session: Session, manager_headers: Headers, store: Store
) -> None:
    response = client.delete(f"/api/stores/{store.id}", headers=manager_headers)

    assert_problem(response, 403, kind="forbidden")
    assert count_rows(session, Store) == 1


def test_a_delete_with_a_stale_if_match_is_a_412(
    client: FlaskClient, session: Session, admin_headers: Headers, store: Store
) -> None:
    response = client.delete(
        f"/api/stores/{store.id}", headers={**admin_headers, "If-Match": '"5"'}
    )

    assert_problem(response, 412)
    assert count_rows(session, Store) == 1


def test_a_retried_create_with_the_same_idempotency_key_makes_one_store(
    client: FlaskClient, session: Session, admin_headers: Headers
) -> None:
    headers = {**admin_headers, "Idempotency-Key": "create-downtown-1"}
    first = client.post("/api/stores", headers=headers, json=STORE)

    retry = client.post("/api/stores", headers=headers, json=STORE)

    assert retry.status_code == 201
    assert retry.headers["Idempotent-Replayed"] == "true"
    assert retry.headers["Location"] == first.headers["Location"]
    assert count_rows(session, Store) == 1

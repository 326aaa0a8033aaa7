"""/api/stores/<id>/managers: anyone signed in lists them; an admin adds and removes them,
and the user is mailed about it."""

from collections.abc import Callable, Iterator
from email.message import EmailMessage
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from app.models.store import Store
from tests.api.store_helpers import assert_problem
from tests.factories import StoreFactory, UserFactory
from tests.pages import assert_pages_cost_alike, walk_pages

Headers = dict[str, str]


@pytest.fixture
def outbox(app: Flask) -> list[EmailMessage]:
    """Mail the app sent (TestingConfig: the memory backend, tasks run eagerly)."""
    messages: list[EmailMessage] = app.extensions["mail"].outbox
    return messages


@pytest.fixture
def outbox_is_empty_after(outbox: list[EmailMessage]) -> Iterator[None]:
    """Check, after the test, that nobody was mailed."""
    yield
    assert outbox == []


def _manager_ids(client: FlaskClient, headers: Headers, store: Store) -> list[int]:
    response = client.get(f"/api/stores/{store.id}/managers", headers=headers)
    return [item["id"] for item in response.get_json()["data"]]


def test_anyone_signed_in_lists_a_stores_managers(
    client: FlaskClient, auth_headers_for: Callable[..., Headers], manager, store: Store
) -> None:
    headers = auth_headers_for(UserFactory())

    response = client.get(f"/api/stores/{store.id}/managers", headers=headers)

    assert response.status_code == 200
    assert response.get_json() == {
        "data": [{"id": manager.id, "name": "Max Manager", "email": "manager@example.com"}],
        "links": {"next": None},
    }


def test_following_links_next_visits_every_manager_once(
    client: FlaskClient, manager_headers: Headers
) -> None:
    users = [UserFactory() for _ in range(5)]
    store = StoreFactory(managers=users)
    url = f"/api/stores/{store.id}/managers?limit=2"

    seen = [item["id"] for item in walk_pages(client, url, manager_headers)]

    assert seen == [user.id for user in users]


@pytest.mark.parametrize("limit", [1, 20, 100])
def test_a_manager_list_costs_the_same_few_queries_at_any_size_and_depth(
    client: FlaskClient,
    manager_headers: Headers,
    count_queries: Callable[..., Any],
    limit: int,
) -> None:
    store = StoreFactory(managers=[UserFactory() for _ in range(2 * limit + 1)])
    url = f"/api/stores/{store.id}/managers?limit={limit}"

    assert_pages_cost_alike(client, url, manager_headers, count_queries, limit)


@pytest.mark.parametrize(
    ("query", "status"), [("limit=0", 422), ("limit=101", 422), ("cursor=x", 400)]
)
def test_an_invalid_manager_list_query_is_refused(
    client: FlaskClient, manager_headers: Headers, store: Store, query: str, status: int
) -> None:
    response = client.get(f"/api/stores/{store.id}/managers?{query}", headers=manager_headers)

    assert_problem(response, status)


def test_the_managers_of_an_unknown_store_are_a_404(
    client: FlaskClient, manager_headers: Headers
) -> None:
    assert_problem(client.get("/api/stores/999/managers", headers=manager_headers), 404)


def test_one_manager_is_readable_and_a_non_manager_is_a_404(
    client: FlaskClient, manager_headers: Headers, manager, other_manager, store: Store
) -> None:
    found = client.get(f"/api/stores/{store.id}/managers/{manager.id}", headers=manager_headers)
    missing = client.get(
        f"/api/stores/{store.id}/managers/{other_manager.id}", headers=manager_headers
    )

    assert found.get_json()["data"]["id"] == manager.id
    assert_problem(missing, 404, kind="not-found")


def test_an_admin_makes_a_user_a_manager_and_the_user_is_mailed(
    client: FlaskClient,
    admin_headers: Headers,
    other_manager,
    store: Store,
    outbox: list[EmailMessage],
) -> None:
    url = f"/api/stores/{store.id}/managers/{other_manager.id}"

    response = client.put(url, headers=admin_headers)

    assert response.status_code == 201
    assert response.headers["Location"] == url
    assert response.get_json()["data"]["email"] == "other.manager@example.com"
    assert other_manager.id in _manager_ids(client, admin_headers, store)
    assert [(mail["To"], mail["Subject"]) for mail in outbox] == [
        ("Olga Other <other.manager@example.com>", "You now manage Mine")
    ]


def test_making_a_manager_twice_is_a_409_and_nobody_is_mailed(
    client: FlaskClient, admin_headers: Headers, manager, store: Store, outbox
) -> None:
    response = client.put(f"/api/stores/{store.id}/managers/{manager.id}", headers=admin_headers)

    body = assert_problem(response, 409, kind="conflict")
    assert "already a manager" in body["detail"]
    assert outbox == []


@pytest.mark.parametrize("method", ["PUT", "DELETE"])
def test_an_unknown_user_or_store_is_a_404(
    client: FlaskClient, admin_headers: Headers, manager, store: Store, method: str
) -> None:
    unknown_user = client.open(
        f"/api/stores/{store.id}/managers/999", method=method, headers=admin_headers
    )
    unknown_store = client.open(
        f"/api/stores/999/managers/{manager.id}", method=method, headers=admin_headers
    )

    assert_problem(unknown_user, 404)
    assert_problem(unknown_store, 404)


@pytest.mark.parametrize("method", ["PUT", "DELETE"])
@pytest.mark.usefixtures("outbox_is_empty_after")
def test_even_a_stores_own_manager_cannot_choose_its_managers(
    client: FlaskClient, manager_headers: Headers, other_manager, store: Store, method: str
) -> None:
    before = _manager_ids(client, manager_headers, store)

    response = client.open(
        f"/api/stores/{store.id}/managers/{other_manager.id}",
        method=method,
        headers=manager_headers,
    )

    assert_problem(response, 403, kind="forbidden")
    assert _manager_ids(client, manager_headers, store) == before


def test_an_admin_removes_a_manager_and_the_user_is_mailed(
    client: FlaskClient,
    admin_headers: Headers,
    manager,
    store: Store,
    outbox: list[EmailMessage],
) -> None:
    response = client.delete(f"/api/stores/{store.id}/managers/{manager.id}", headers=admin_headers)

    assert response.status_code == 204
    assert _manager_ids(client, admin_headers, store) == []
    assert [mail["Subject"] for mail in outbox] == ["You no longer manage Mine"]


def test_removing_a_user_who_is_not_a_manager_is_a_404(
    client: FlaskClient, admin_headers: Headers, other_manager, store: Store, outbox
) -> None:
    response = client.delete(
        f"/api/stores/{store.id}/managers/{other_manager.id}", headers=admin_headers
    )

    assert_problem(response, 404, kind="not-found")
    assert outbox == []


def test_a_new_manager_gains_the_right_to_change_the_store(
    client: FlaskClient,
    admin_headers: Headers,
    auth_headers_for: Callable[..., Headers],
    other_manager,
    store: Store,
) -> None:
    headers = auth_headers_for(other_manager)
    before = client.patch(f"/api/stores/{store.id}", headers=headers, json={"name": "Ours"})
    client.put(f"/api/stores/{store.id}/managers/{other_manager.id}", headers=admin_headers)

    after = client.patch(f"/api/stores/{store.id}", headers=headers, json={"name": "Ours"})

    assert before.status_code == 403
    assert after.status_code == 200


def test_a_removed_manager_loses_the_right_to_change_the_store(
    client: FlaskClient, admin_headers: Headers, manager_headers: Headers, manager, store: Store
) -> None:
    client.delete(f"/api/stores/{store.id}/managers/{manager.id}", headers=admin_headers)

    response = client.patch(
        f"/api/stores/{store.id}", headers=manager_headers, json={"name": "Still mine?"}
    )

    assert_problem(response, 403)

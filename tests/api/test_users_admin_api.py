"""Admin user management through the users API: list, get, change and delete /api/users."""

from collections.abc import Callable
from typing import Any

import pytest
from flask.testing import FlaskClient

from app.models.user import User
from tests.api.problems import Headers, assert_problem
from tests.api.user_helpers import GOOD_PASSWORD
from tests.factories import UserFactory
from tests.pages import walk_pages

# --- GET /api/users ---------------------------------------------------------------------


def test_an_admin_lists_users_by_id(
    client: FlaskClient, admin: User, manager: User, admin_headers: Headers
) -> None:
    response = client.get("/api/users", headers=admin_headers)

    assert response.status_code == 200
    body = response.get_json()
    assert [user["id"] for user in body["data"]] == [admin.id, manager.id]
    assert body["links"] == {"next": None}


def test_the_list_follows_links_next_through_every_user(
    client: FlaskClient, admin: User, admin_headers: Headers
) -> None:
    others = UserFactory.create_batch(4)

    seen = [user["id"] for user in walk_pages(client, "/api/users?limit=2", admin_headers)]

    assert seen == [admin.id, *(user.id for user in others)]


def test_the_list_filters_by_role_and_active_flag(
    client: FlaskClient, admin: User, manager: User, admin_headers: Headers
) -> None:
    UserFactory(roles=["manager"], is_active=False)

    response = client.get("/api/users?role=manager&is_active=true", headers=admin_headers)

    assert [user["id"] for user in response.get_json()["data"]] == [manager.id]


def test_the_list_costs_the_same_queries_whatever_the_page_size(
    client: FlaskClient,
    admin_headers: Headers,
    count_queries: Callable[[], Any],
) -> None:
    UserFactory.create_batch(6, roles=["manager"])
    counts = []
    for limit in (1, 7):
        with count_queries() as counter:
            client.get(f"/api/users?limit={limit}", headers=admin_headers)
        counts.append(counter.count)

    assert counts[0] == counts[1] <= 3


def test_a_manager_may_not_list_users(client: FlaskClient, manager_headers: Headers) -> None:
    assert_problem(client.get("/api/users", headers=manager_headers), 403)


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("limit=0", "limit"),
        ("limit=101", "limit"),
        ("limit=ten", "limit"),
        ("role=owner", "role"),
        ("is_active=perhaps", "is_active"),
        ("colour=red", "colour"),
    ],
)
def test_bad_list_parameters_are_a_422(
    client: FlaskClient, admin_headers: Headers, query: str, field: str
) -> None:
    problem = assert_problem(client.get(f"/api/users?{query}", headers=admin_headers), 422)

    assert list(problem["errors"]) == [field]


@pytest.mark.parametrize("cursor", ["!!!", "bm9wZQ", "WyJ4Il0", "WzIxNDc0ODM2NDhd", "WzBd"])
def test_an_unreadable_cursor_is_a_400(
    client: FlaskClient, admin_headers: Headers, cursor: str
) -> None:
    assert_problem(client.get(f"/api/users?cursor={cursor}", headers=admin_headers), 400)


# --- GET /api/users/<id> ----------------------------------------------------------------


def test_an_admin_gets_any_user(client: FlaskClient, manager: User, admin_headers: Headers) -> None:
    response = client.get(f"/api/users/{manager.id}", headers=admin_headers)

    assert response.status_code == 200
    assert response.get_json()["data"]["email"] == manager.email


def test_a_user_gets_themselves_by_id(
    client: FlaskClient, manager: User, manager_headers: Headers
) -> None:
    assert client.get(f"/api/users/{manager.id}", headers=manager_headers).status_code == 200


def test_a_manager_gets_404_for_another_user(
    client: FlaskClient, other_manager: User, manager_headers: Headers
) -> None:
    assert_problem(client.get(f"/api/users/{other_manager.id}", headers=manager_headers), 404)


def test_an_unknown_user_is_404(client: FlaskClient, admin_headers: Headers) -> None:
    assert_problem(client.get("/api/users/999", headers=admin_headers), 404)


def test_a_user_id_that_is_not_a_number_is_404(client: FlaskClient, admin_headers: Headers) -> None:
    assert_problem(client.get("/api/users/abc", headers=admin_headers), 404)


@pytest.mark.parametrize("method", ["GET", "PATCH", "DELETE"])
def test_a_user_id_beyond_the_row_id_range_is_a_422_not_a_server_error(
    client: FlaskClient, admin_headers: Headers, method: str
) -> None:
    url = f"/api/users/{2**63}"

    problem = assert_problem(client.open(url, method=method, json={}, headers=admin_headers), 422)

    assert list(problem["errors"]) == ["user_id"]


# --- PATCH /api/users/<id> --------------------------------------------------------------


def test_an_admin_changes_a_users_roles_and_name(
    client: FlaskClient, manager: User, admin_headers: Headers
) -> None:
    response = client.patch(
        f"/api/users/{manager.id}",
        json={"roles": ["admin", "manager"], "name": "Boss"},
        headers=admin_headers,
    )

    assert response.status_code == 200
    data = response.get_json()["data"]
    assert (data["roles"], data["name"]) == (["admin", "manager"], "Boss")


def test_deactivating_a_user_stops_their_token_at_once(
    client: FlaskClient, manager: User, admin_headers: Headers, manager_headers: Headers
) -> None:
    response = client.patch(
        f"/api/users/{manager.id}", json={"is_active": False}, headers=admin_headers
    )

    assert response.get_json()["data"]["is_active"] is False
    assert_problem(client.get("/api/users/me", headers=manager_headers), 401)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"roles": ["owner"]}, "roles.0"),
        ({"roles": "admin"}, "roles"),
        ({"is_active": "yes"}, "is_active"),
        ({"is_active": None}, "is_active"),
        ({"name": "n" * 121}, "name"),
        ({"email": "x@x.com"}, "email"),
        ({"password": GOOD_PASSWORD}, "password"),
    ],
    ids=[
        "unknown-role",
        "roles-type",
        "active-type",
        "active-null",
        "name-too-long",
        "email",
        "password",
    ],
)
def test_bad_admin_changes_are_a_422(
    client: FlaskClient, manager: User, admin_headers: Headers, body: dict[str, Any], field: str
) -> None:
    response = client.patch(f"/api/users/{manager.id}", json=body, headers=admin_headers)

    assert list(assert_problem(response, 422)["errors"]) == [field]


def test_a_manager_may_not_change_their_own_roles(
    client: FlaskClient, manager: User, manager_headers: Headers
) -> None:
    response = client.patch(
        f"/api/users/{manager.id}", json={"roles": ["admin"]}, headers=manager_headers
    )

    assert_problem(response, 403)


def test_a_manager_gets_404_changing_another_user(
    client: FlaskClient, other_manager: User, manager_headers: Headers
) -> None:
    response = client.patch(
        f"/api/users/{other_manager.id}", json={"name": "x"}, headers=manager_headers
    )

    assert_problem(response, 404)


def test_the_last_admin_cannot_deactivate_themselves(
    client: FlaskClient, admin: User, admin_headers: Headers
) -> None:
    response = client.patch(
        f"/api/users/{admin.id}", json={"is_active": False}, headers=admin_headers
    )

    assert "last active admin" in assert_problem(response, 409)["detail"]


def test_changing_an_unknown_user_is_404(client: FlaskClient, admin_headers: Headers) -> None:
    assert_problem(client.patch("/api/users/999", json={"name": "x"}, headers=admin_headers), 404)


# --- DELETE /api/users/<id> -------------------------------------------------------------


def test_an_admin_deletes_a_user(
    client: FlaskClient, manager: User, admin_headers: Headers, manager_headers: Headers
) -> None:
    response = client.delete(f"/api/users/{manager.id}", headers=admin_headers)

    assert response.status_code == 204
    assert response.get_data() == b""
    assert_problem(client.get(f"/api/users/{manager.id}", headers=admin_headers), 404)
    assert_problem(client.get("/api/users/me", headers=manager_headers), 401)


def test_a_manager_may_not_delete_themselves_here(
    client: FlaskClient, manager: User, manager_headers: Headers
) -> None:
    assert_problem(client.delete(f"/api/users/{manager.id}", headers=manager_headers), 403)


def test_a_manager_gets_404_deleting_another_user(
    client: FlaskClient, other_manager: User, manager_headers: Headers
) -> None:
    assert_problem(client.delete(f"/api/users/{other_manager.id}", headers=manager_headers), 404)


def test_the_last_admin_cannot_be_deleted(
    client: FlaskClient, admin: User, admin_headers: Headers
) -> None:
    assert_problem(client.delete(f"/api/users/{admin.id}", headers=admin_headers), 409)


def test_deleting_an_unknown_user_is_404(client: FlaskClient, admin_headers: Headers) -> None:
    assert_problem(client.delete("/api/users/999", headers=admin_headers), 404)

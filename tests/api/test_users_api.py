from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models.user import User
from app.services import passwords
from tests.api.problems import assert_problem
from tests.factories import DEFAULT_PASSWORD, UserFactory
from tests.pages import walk_pages

Headers = dict[str, str]
GOOD_PASSWORD = "a long enough passphrase"
USER_FIELDS = {
    "id",
    "email",
    "name",
    "is_active",
    "roles",
    "last_login_at",
    "created_at",
    "updated_at",
}


def _sign_up(client: FlaskClient, **body: Any) -> Any:
    return client.post("/api/users", json={"email": "ann@x.com", "password": GOOD_PASSWORD, **body})


# --- POST /api/users (sign-up) ----------------------------------------------------------


def test_sign_up_answers_201_with_the_user_and_its_location(client: FlaskClient) -> None:
    response = _sign_up(client, email="  Ann@X.com ", name="Ann")

    assert response.status_code == 201
    data = response.get_json()["data"]
    assert set(data) == USER_FIELDS
    assert (data["email"], data["name"], data["roles"], data["is_active"]) == (
        "ann@x.com",
        "Ann",
        [],
        True,
    )
    assert response.headers["Location"] == f"/api/users/{data['id']}"


def test_sign_up_never_returns_the_password_or_its_hash(client: FlaskClient) -> None:
    text = _sign_up(client).get_data(as_text=True)

    assert GOOD_PASSWORD not in text
    assert "argon2" not in text
    assert "password" not in text


@pytest.mark.parametrize("email", ["ann@x.com", "ANN@X.COM", " Ann@x.com "])
def test_sign_up_with_a_taken_email_in_any_case_is_409(client: FlaskClient, email: str) -> None:
    _sign_up(client, email="Ann@X.com")

    body = assert_problem(_sign_up(client, email=email), 409)

    assert body["detail"] == "An account with this email already exists."


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"password": GOOD_PASSWORD}, "email"),
        ({"email": "ann@x.com"}, "password"),
        ({"email": ["ann@x.com"], "password": GOOD_PASSWORD}, "email"),
        ({"email": "ann@x.com", "password": 123456789012345}, "password"),
        ({"email": "ann@x.com", "password": GOOD_PASSWORD, "name": 5}, "name"),
        ({"email": "ann@x.com", "password": GOOD_PASSWORD, "roles": ["admin"]}, "roles"),
        ({"email": "ann@x.com", "password": GOOD_PASSWORD, "is_active": True}, "is_active"),
        ({"email": "ann@x.com", "password": GOOD_PASSWORD, "name": "n" * 121}, "name"),
        ({"email": "ann@x.com", "password": "p" * 129}, "password"),
        (
            {
                "email": "a" * 64 + "@" + ("b" * 60 + ".") * 4 + "com",
                "password": GOOD_PASSWORD,
            },
            "email",
        ),
        ({"email": "not-an-email", "password": GOOD_PASSWORD}, "email"),
        ({"email": "ann@", "password": GOOD_PASSWORD}, "email"),
    ],
    ids=[
        "missing-email",
        "missing-password",
        "email-type",
        "password-type",
        "name-type",
        "unknown-roles",
        "unknown-is-active",
        "name-too-long",
        "password-too-long",
        "email-too-long",
        "bad-email",
        "bad-email-domain",
    ],
)
def test_bad_sign_up_input_is_a_422_naming_the_field(
    client: FlaskClient, body: dict[str, Any], field: str
) -> None:
    problem = assert_problem(client.post("/api/users", json=body), 422)

    assert problem["type"] == "urn:stockroom:problem:validation-error"
    assert list(problem["errors"]) == [field]


def test_a_weak_password_is_a_422_with_the_reason(client: FlaskClient) -> None:
    problem = assert_problem(_sign_up(client, password="short"), 422)

    assert problem["errors"] == {"password": ["Use between 12 and 128 characters."]}


def test_a_common_password_is_a_422(client: FlaskClient) -> None:
    problem = assert_problem(_sign_up(client, password="password1234"), 422)

    assert list(problem["errors"]) == ["password"]


def test_sign_up_is_403_when_disabled(app: Flask, client: FlaskClient) -> None:
    app.config["SIGNUP_ENABLED"] = False

    body = assert_problem(_sign_up(client), 403)

    assert "disabled" in body["detail"]


def test_sign_up_stores_an_argon2id_hash(client: FlaskClient, session: Session) -> None:
    _sign_up(client)

    user = session.scalars(select(User).where(User.email == "ann@x.com")).one()
    assert user.password_hash.startswith("$argon2id$v=19$m=19456,t=2,p=1$")


def test_a_new_account_can_sign_in(client: FlaskClient) -> None:
    _sign_up(client, email="Ann@X.com")

    response = client.post(
        "/api/auth/tokens", json={"email": "ann@x.com", "password": GOOD_PASSWORD}
    )

    assert response.status_code == 201


# --- GET /api/users/me ------------------------------------------------------------------


def test_me_answers_the_callers_profile(
    client: FlaskClient, manager: User, manager_headers: Headers
) -> None:
    response = client.get("/api/users/me", headers=manager_headers)

    assert response.status_code == 200
    data = response.get_json()["data"]
    assert set(data) == USER_FIELDS
    assert (data["id"], data["email"], data["roles"]) == (manager.id, manager.email, ["manager"])


# --- PATCH /api/users/me ----------------------------------------------------------------


def test_a_user_renames_themselves(client: FlaskClient, manager_headers: Headers) -> None:
    response = client.patch("/api/users/me", json={"name": "New Name"}, headers=manager_headers)

    assert response.status_code == 200
    assert response.get_json()["data"]["name"] == "New Name"


def test_a_password_change_with_the_current_password_works_and_keeps_this_token(
    client: FlaskClient, manager: User, manager_headers: Headers, session: Session
) -> None:
    body = {"password": GOOD_PASSWORD, "current_password": DEFAULT_PASSWORD}

    response = client.patch("/api/users/me", json=body, headers=manager_headers)

    assert response.status_code == 200
    session.refresh(manager)
    assert passwords.verify_password(manager.password_hash, GOOD_PASSWORD)
    assert client.get("/api/users/me", headers=manager_headers).status_code == 200


def test_a_password_change_revokes_the_callers_other_tokens(
    client: FlaskClient, manager: User, auth_headers_for: Callable[[User], Headers]
) -> None:
    here, elsewhere = auth_headers_for(manager), auth_headers_for(manager)
    body = {"password": GOOD_PASSWORD, "current_password": DEFAULT_PASSWORD}

    client.patch("/api/users/me", json=body, headers=here)

    assert_problem(client.get("/api/users/me", headers=elsewhere), 401)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"password": GOOD_PASSWORD}, "current_password"),
        ({"password": GOOD_PASSWORD, "current_password": "not my password"}, "current_password"),
        ({"password": "short", "current_password": DEFAULT_PASSWORD}, "password"),
        ({"name": None}, "name"),
        ({"name": 12}, "name"),
        ({"name": "n" * 121}, "name"),
        ({"email": "new@x.com"}, "email"),
        ({"roles": ["admin"]}, "roles"),
    ],
    ids=[
        "missing-current",
        "wrong-current",
        "weak",
        "null-name",
        "name-type",
        "name-too-long",
        "unknown-email",
        "unknown-roles",
    ],
)
def test_bad_profile_changes_are_a_422_naming_the_field(
    client: FlaskClient, manager_headers: Headers, body: dict[str, Any], field: str
) -> None:
    problem = assert_problem(client.patch("/api/users/me", json=body, headers=manager_headers), 422)

    assert list(problem["errors"]) == [field]


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

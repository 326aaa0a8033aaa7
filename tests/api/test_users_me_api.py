"""The caller's own profile through the users API: GET and PATCH /api/users/me."""

from collections.abc import Callable
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from app.models.user import User
from app.services import passwords
from tests.api.problems import Headers, assert_problem
from tests.api.user_helpers import GOOD_PASSWORD, USER_FIELDS
from tests.factories import DEFAULT_PASSWORD

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

"""Admin pages for accounts: list, create, change role, deactivate."""

import pytest
from flask.testing import FlaskClient

from app.models.user import User
from tests.factories import DEFAULT_PASSWORD, UserFactory

NEW_USER = {"email": "New.Person@Example.com", "name": "New Person", "password": "a long enough pw"}


def test_an_admin_lists_users(admin_client: FlaskClient, manager: User) -> None:
    page = admin_client.get("/users").get_data(as_text=True)

    assert "manager@example.com" in page
    assert "admin@example.com" in page


@pytest.mark.parametrize("path", ["/users", "/users/new", "/users/1/edit"])
def test_a_manager_gets_403_on_the_user_pages(manager_client: FlaskClient, path: str) -> None:
    response = manager_client.get(path)

    assert response.status_code == 403
    assert response.mimetype == "text/html"


def test_an_admin_creates_a_manager_who_can_sign_in(
    admin_client: FlaskClient, client: FlaskClient
) -> None:
    response = admin_client.post("/users/new", data={**NEW_USER, "role": "manager"})

    assert response.status_code == 302
    assert "new.person@example.com" in admin_client.get("/users").get_data(as_text=True)
    signed_in = client.post(
        "/sign-in", data={"email": "new.person@example.com", "password": NEW_USER["password"]}
    )
    assert signed_in.status_code == 302


@pytest.mark.parametrize(
    ("changes", "status", "field"),
    [
        ({"password": "short"}, 422, "password"),
        ({"email": "not an email"}, 422, "email"),
        ({"email": "ADMIN@example.com"}, 409, None),
    ],
)
def test_a_bad_new_user_is_explained_and_the_typed_name_kept(
    admin_client: FlaskClient, changes: dict[str, str], status: int, field: str | None
) -> None:
    response = admin_client.post("/users/new", data={**NEW_USER, **changes})

    page = response.get_data(as_text=True)
    assert response.status_code == status
    if field:
        assert f'id="{field}-errors"' in page
    assert 'value="New Person"' in page


def test_an_admin_makes_a_manager_an_admin(admin_client: FlaskClient, manager: User) -> None:
    response = admin_client.post(
        f"/users/{manager.id}/edit", data={"name": "Max", "role": "admin", "is_active": "y"}
    )

    assert response.status_code == 302
    assert manager.role_names == ["admin"]


def test_a_deactivated_user_can_no_longer_sign_in(
    admin_client: FlaskClient, client: FlaskClient, manager: User
) -> None:
    admin_client.post(f"/users/{manager.id}/edit", data={"name": "Max", "role": "manager"})

    response = client.post("/sign-in", data={"email": manager.email, "password": DEFAULT_PASSWORD})

    assert response.status_code == 401


def test_the_last_admin_cannot_be_deactivated(admin_client: FlaskClient, admin: User) -> None:
    response = admin_client.post(f"/users/{admin.id}/edit", data={"role": "admin"})

    assert response.status_code == 409
    assert "last active admin" in response.get_data(as_text=True)


def test_an_unknown_user_is_404(admin_client: FlaskClient) -> None:
    assert admin_client.get("/users/999/edit").status_code == 404


def test_the_user_list_is_paginated(admin_client: FlaskClient) -> None:
    for _ in range(50):
        UserFactory()

    assert "Next page" in admin_client.get("/users").get_data(as_text=True)

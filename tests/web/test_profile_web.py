"""The profile page: your own name and password, through the service behind PATCH /api/users/me."""

import re
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from app.models.user import User
from app.services import auth_service
from tests.factories import DEFAULT_PASSWORD
from tests.web.conftest import SignedIn

NEW_PASSWORD = "a brand new passphrase"


def _change_password(client: FlaskClient, **changes: str) -> Any:
    form = {
        "name": "Max Manager",
        "current_password": DEFAULT_PASSWORD,
        "password": NEW_PASSWORD,
        "confirm_password": NEW_PASSWORD,
        **changes,
    }
    return client.post("/profile", data=form)


def _can_sign_in(client: FlaskClient, email: str, password: str) -> bool:
    """Sign in from another browser (a new client of the same app)."""
    other_browser = client.application.test_client()
    response = other_browser.post("/sign-in", data={"email": email, "password": password})
    return response.status_code == 302


def _saved_name(client: FlaskClient) -> str:
    """The name the profile page shows, as stored."""
    page = client.get("/profile").get_data(as_text=True)
    match = re.search(r'name="name" type="text" value="([^"]*)"', page)
    assert match is not None
    return match.group(1)


def test_a_signed_out_visitor_is_sent_to_sign_in(client: FlaskClient) -> None:
    response = client.get("/profile")

    assert response.status_code == 302
    assert response.headers["Location"] == "/sign-in?next=/profile"


def test_the_header_links_to_the_profile_page(manager_client: FlaskClient) -> None:
    page = manager_client.get("/").get_data(as_text=True)

    assert 'href="/profile"' in page


@pytest.mark.parametrize("who", ["manager", "admin"])
def test_the_profile_page_shows_your_email_and_name(
    signed_in: SignedIn, manager: User, admin: User, who: str
) -> None:
    user = manager if who == "manager" else admin

    response = signed_in(user).get("/profile")

    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert user.email in page
    assert f'value="{user.name}"' in page


def test_changing_your_name_saves_it_and_says_so(
    manager_client: FlaskClient, manager: User
) -> None:
    response = manager_client.post("/profile", data={"name": "Maxine"})

    assert response.status_code == 302
    assert response.headers["Location"] == "/profile"
    assert "Your profile was saved." in manager_client.get("/profile").get_data(as_text=True)
    assert _saved_name(manager_client) == "Maxine"


def test_a_name_change_alone_leaves_the_password_and_api_tokens_alone(
    manager_client: FlaskClient, session: Session, manager: User
) -> None:
    pair = auth_service.issue_tokens(session, manager, auth_service.TokenLifetimes())

    manager_client.post("/profile", data={"name": "Maxine"})

    headers = {"Authorization": f"Bearer {pair.access_token}"}
    assert manager_client.get("/api/users/me", headers=headers).status_code == 200
    assert _can_sign_in(manager_client, manager.email, DEFAULT_PASSWORD)


def test_a_name_longer_than_the_limit_is_refused_next_to_the_field(
    manager_client: FlaskClient, manager: User
) -> None:
    response = manager_client.post("/profile", data={"name": "x" * 121})

    assert response.status_code == 422
    assert 'id="name-errors"' in response.get_data(as_text=True)
    assert _saved_name(manager_client) == "Max Manager"


def test_a_new_password_works_at_sign_in_and_the_old_one_stops(
    manager_client: FlaskClient, manager: User
) -> None:
    response = _change_password(manager_client)

    assert response.status_code == 302
    assert _can_sign_in(manager_client, manager.email, NEW_PASSWORD)
    assert not _can_sign_in(manager_client, manager.email, DEFAULT_PASSWORD)


def test_after_a_new_password_this_browser_stays_signed_in_under_a_new_session(
    manager_client: FlaskClient,
) -> None:
    assert _change_password(manager_client).status_code == 302

    page = manager_client.get("/profile")
    assert page.status_code == 200
    assert "your other sessions and API tokens were signed out" in page.get_data(as_text=True)


def test_a_new_password_signs_out_your_other_sessions(signed_in: SignedIn, manager: User) -> None:
    this_browser, other_browser = signed_in(manager), signed_in(manager)

    _change_password(this_browser)

    assert other_browser.get("/profile").status_code == 302


def test_a_new_password_revokes_your_api_tokens(
    manager_client: FlaskClient, session: Session, manager: User
) -> None:
    pair = auth_service.issue_tokens(session, manager, auth_service.TokenLifetimes())

    _change_password(manager_client)

    headers = {"Authorization": f"Bearer {pair.access_token}"}
    assert manager_client.get("/api/users/me", headers=headers).status_code == 401


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"current_password": ""}, "current_password", "Give your current password"),
        ({"current_password": "not my password"}, "current_password", "not your current password"),
        ({"password": "short", "confirm_password": "short"}, "password", "Use between 12 and 128"),
        ({"confirm_password": "something else entirely"}, "confirm_password", "same new password"),
    ],
    ids=["no-current", "wrong-current", "weak", "mismatch"],
)
def test_a_refused_password_change_is_explained_next_to_its_field_and_changes_nothing(
    manager_client: FlaskClient,
    manager: User,
    changes: dict[str, str],
    field: str,
    message: str,
) -> None:
    response = _change_password(manager_client, name="Typed name", **changes)

    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert f'id="{field}-errors"' in page
    assert message in page
    assert 'value="Typed name"' in page
    assert _saved_name(manager_client) == "Max Manager"
    assert _can_sign_in(manager_client, manager.email, DEFAULT_PASSWORD)


def test_passwords_are_never_written_back_into_the_page(manager_client: FlaskClient) -> None:
    response = _change_password(manager_client, current_password="not my password")

    page = response.get_data(as_text=True)
    assert "not my password" not in page
    assert NEW_PASSWORD not in page


class TestCsrf:
    @pytest.fixture
    def app_overrides(self) -> dict[str, Any]:
        return {"WTF_CSRF_ENABLED": True}

    def test_the_profile_form_posted_without_its_csrf_token_is_refused(
        self, manager_client: FlaskClient
    ) -> None:
        response = manager_client.post("/profile", data={"name": "Forged"})

        assert response.status_code == 400
        assert "CSRF" in response.get_data(as_text=True)
        assert _saved_name(manager_client) == "Max Manager"

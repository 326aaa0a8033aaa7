"""Dashboard sign-in and sign-out: sessions, field errors, safe redirects, the rate limit."""

from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from app.models.store import Store
from app.models.user import User
from tests.factories import DEFAULT_PASSWORD
from tests.web.conftest import SignedIn


def test_signing_in_with_the_right_password_starts_a_session_cookie(
    client: FlaskClient, manager: User
) -> None:
    response = client.post(
        "/sign-in", data={"email": "Manager@Example.com ", "password": DEFAULT_PASSWORD}
    )

    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "My stores" in client.get("/").get_data(as_text=True)


def test_a_wrong_password_is_refused_and_the_email_is_kept(
    client: FlaskClient, manager: User
) -> None:
    response = client.post("/sign-in", data={"email": manager.email, "password": "wrong one"})

    page = response.get_data(as_text=True)
    assert response.status_code == 401
    assert "The email or password is not correct." in page
    assert f'value="{manager.email}"' in page


def test_empty_fields_get_an_error_next_to_each_field(client: FlaskClient) -> None:
    response = client.post("/sign-in", data={"email": "", "password": ""})

    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="email-errors"' in page
    assert 'id="password-errors"' in page


@pytest.mark.parametrize(
    ("target", "location"),
    [
        ("/catalog", "/catalog"),
        ("https://evil.example/", "/"),
        ("//evil.example/x", "/"),
        ("/\\evil.example", "/"),
    ],
)
def test_sign_in_only_follows_next_to_a_path_on_this_site(
    client: FlaskClient, manager: User, target: str, location: str
) -> None:
    response = client.post(
        "/sign-in",
        query_string={"next": target},
        data={"email": manager.email, "password": DEFAULT_PASSWORD},
    )

    assert response.headers["Location"] == location


def test_a_signed_out_visitor_is_sent_to_sign_in_with_the_page_to_return_to(
    client: FlaskClient, store: Store
) -> None:
    response = client.get(f"/stores/{store.id}")

    assert response.status_code == 302
    assert response.headers["Location"] == f"/sign-in?next=/stores/{store.id}"


def test_the_home_page_shows_the_sign_in_form_when_signed_out(client: FlaskClient) -> None:
    response = client.get("/")

    assert response.status_code == 200
    assert 'action="/sign-in"' in response.get_data(as_text=True)


@pytest.mark.parametrize("change", ["deactivate", "delete", "new password"])
def test_a_deactivated_deleted_or_re_passworded_user_is_signed_out(
    signed_in: SignedIn, manager: User, store: Store, session: Session, change: str
) -> None:
    client = signed_in(manager)
    assert client.get(f"/stores/{store.id}").status_code == 200
    if change == "deactivate":
        manager.is_active = False
    elif change == "delete":
        session.delete(manager)
    else:
        manager.password_hash = "$argon2id$another"
    session.commit()

    response = client.get(f"/stores/{store.id}")

    assert response.status_code == 302
    assert response.headers["Location"].startswith("/sign-in")


def test_signing_out_ends_the_session(manager_client: FlaskClient, store: Store) -> None:
    response = manager_client.post("/sign-out")

    assert response.status_code == 302
    assert manager_client.get(f"/stores/{store.id}").status_code == 302


class TestRateLimit:
    @pytest.fixture
    def app_overrides(self) -> dict[str, Any]:
        return {"RATELIMIT_ENABLED": True, "RATELIMIT_LOGIN": "2/minute"}

    def test_sign_in_attempts_over_the_login_limit_get_a_429_page(
        self, client: FlaskClient, manager: User
    ) -> None:
        form = {"email": manager.email, "password": "wrong one"}
        statuses = [client.post("/sign-in", data=form).status_code for _ in range(3)]

        assert statuses == [401, 401, 429]
        assert client.post("/sign-in", data=form).mimetype == "text/html"


def test_fields_without_errors_carry_no_aria_invalid_or_dangling_describedby(
    client: FlaskClient,
) -> None:
    page = client.get("/sign-in").get_data(as_text=True)

    assert "aria-invalid" not in page
    assert "aria-describedby" not in page
    assert '"None"' not in page


def test_a_field_with_an_error_points_at_its_messages(client: FlaskClient) -> None:
    page = client.post("/sign-in", data={"email": "", "password": ""}).get_data(as_text=True)

    assert 'aria-invalid="true"' in page
    assert 'aria-describedby="email-errors"' in page
    assert 'id="email-errors"' in page

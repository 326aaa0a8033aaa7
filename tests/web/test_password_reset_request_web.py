"""The "forgot your password?" page (same answer for every email, a mail, a rate limit); CSRF."""

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from app.models.user import User
from tests.factories import UserFactory
from tests.web.reset_helpers import NEW_PASSWORD, REQUEST_LINK, SENT, ask, outbox_of, token_in


def test_the_sign_in_page_links_to_the_forgotten_password_page(client: FlaskClient) -> None:
    page = client.get("/sign-in").get_data(as_text=True)

    assert REQUEST_LINK in page
    assert "Forgot your password?" in page


def test_the_request_page_shows_an_email_field(client: FlaskClient) -> None:
    response = client.get("/password-reset/request")

    assert response.status_code == 200
    assert 'name="email"' in response.get_data(as_text=True)


def test_asking_for_a_known_email_mails_a_link_to_the_reset_page(
    app: Flask, client: FlaskClient, manager: User
) -> None:
    response = ask(client, " Manager@Example.com ")

    assert response.status_code == 200
    assert SENT in response.get_data(as_text=True)
    assert [message["To"] for message in outbox_of(app)] == ["Max Manager <manager@example.com>"]
    assert token_in(outbox_of(app)[0])


@pytest.mark.parametrize("email", ["manager@example.com", "nobody@example.com", "gone@example.com"])
def test_known_unknown_and_deactivated_emails_get_the_same_page(
    client: FlaskClient, manager: User, email: str
) -> None:
    UserFactory(email="gone@example.com", is_active=False)

    response = ask(client, email)

    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert SENT in page
    assert email not in page


def test_unknown_and_deactivated_emails_get_no_mail(app: Flask, client: FlaskClient) -> None:
    UserFactory(email="gone@example.com", is_active=False)

    ask(client, "nobody@example.com")
    ask(client, "gone@example.com")

    assert outbox_of(app) == []


def test_an_empty_email_gets_an_error_next_to_the_field(app: Flask, client: FlaskClient) -> None:
    response = ask(client, "")

    assert response.status_code == 422
    assert 'id="email-errors"' in response.get_data(as_text=True)
    assert outbox_of(app) == []


class TestRequestRateLimit:
    @pytest.fixture
    def app_overrides(self) -> dict[str, Any]:
        return {"RATELIMIT_ENABLED": True, "RATELIMIT_PASSWORD_RESET": "2/hour"}

    def test_asking_over_the_limit_gets_a_429_page_and_no_mail(
        self, app: Flask, client: FlaskClient, manager: User
    ) -> None:
        statuses = [ask(client, manager.email).status_code for _ in range(2)]

        response = ask(client, manager.email)

        assert statuses == [200, 200]
        assert response.status_code == 429
        assert response.mimetype == "text/html"
        assert 0 < int(response.headers["Retry-After"]) <= 3600
        assert len(outbox_of(app)) == 2

    def test_the_limit_counts_per_email_in_any_letter_case_from_any_address(
        self, client: FlaskClient, manager: User
    ) -> None:
        ask(client, manager.email.upper(), "10.0.0.1")
        ask(client, f" {manager.email} ", "10.0.0.2")

        assert ask(client, manager.email, "10.0.0.3").status_code == 429
        assert ask(client, "someone.else@example.com", "10.0.0.3").status_code == 200


class TestCsrf:
    @pytest.fixture
    def app_overrides(self) -> dict[str, Any]:
        return {"WTF_CSRF_ENABLED": True}

    @pytest.mark.parametrize(
        ("path", "form"),
        [
            ("/password-reset/request", {"email": "manager@example.com"}),
            ("/password-reset", {"token": "x", "new_password": NEW_PASSWORD}),
        ],
    )
    @pytest.mark.usefixtures("manager")
    def test_a_reset_form_posted_without_its_csrf_token_is_refused(
        self, app: Flask, client: FlaskClient, path: str, form: dict[str, str]
    ) -> None:
        response = client.post(path, data=form)

        assert response.status_code == 400
        assert "CSRF" in response.get_data(as_text=True)
        assert outbox_of(app) == []

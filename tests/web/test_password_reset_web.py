"""The page a reset mail links to: set a new password from the token, then sign in with it."""

from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import update
from sqlalchemy.orm import Session

from app.common.clock import utcnow
from app.models.token import RESET, Token
from app.models.user import User
from app.services import auth_service
from app.services.password_reset_service import INVALID_LINK
from tests.factories import DEFAULT_PASSWORD
from tests.web.conftest import SignedIn
from tests.web.reset_helpers import NEW_PASSWORD, REQUEST_LINK, ask, outbox_of, token_in


def _set(client: FlaskClient, token: str, password: str = NEW_PASSWORD, **extra: str) -> Any:
    form = {"token": token, "new_password": password, "confirm_password": password, **extra}
    return client.post("/password-reset", data=form)


def _can_sign_in(client: FlaskClient, email: str, password: str) -> bool:
    response = client.post("/sign-in", data={"email": email, "password": password})
    return response.status_code == 302


@pytest.fixture
def token(app: Flask, client: FlaskClient, manager: User) -> str:
    """The raw token of a reset link mailed to `manager` through the request page."""
    assert ask(client, manager.email).status_code == 200
    return token_in(outbox_of(app)[-1])


def test_the_link_opens_a_form_with_the_token_only_in_a_hidden_field(
    client: FlaskClient, token: str
) -> None:
    response = client.get("/password-reset", query_string={"token": token})

    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f'name="token" type="hidden" value="{token}"' in page
    assert page.count(token) == 1
    assert 'action="/password-reset"' in page
    assert 'name="new_password"' in page
    assert 'name="confirm_password"' in page


def test_the_reset_page_sends_no_referer_runs_no_inline_script_and_is_not_cached(
    client: FlaskClient, token: str
) -> None:
    response = client.get("/password-reset", query_string={"token": token})

    csp = response.headers["Content-Security-Policy"]
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert "script-src 'self';" in csp
    assert "unsafe-inline" not in csp
    assert response.headers["Cache-Control"] == "no-store"


def test_a_new_password_from_the_link_sends_you_to_sign_in_with_a_message(
    client: FlaskClient, token: str
) -> None:
    response = _set(client, token)

    assert response.status_code == 302
    assert response.headers["Location"] == "/sign-in"
    assert "Your password was changed; sign in" in client.get("/sign-in").get_data(as_text=True)


def test_after_a_reset_the_new_password_signs_in_and_the_old_one_does_not(
    client: FlaskClient, manager: User, token: str
) -> None:
    _set(client, token)

    assert _can_sign_in(client, manager.email, NEW_PASSWORD)
    assert not _can_sign_in(client, manager.email, DEFAULT_PASSWORD)


def test_a_reset_signs_out_the_users_dashboard_sessions(
    signed_in: SignedIn, client: FlaskClient, manager: User, token: str
) -> None:
    elsewhere = signed_in(manager)
    assert elsewhere.get("/profile").status_code == 200

    _set(client, token)

    assert elsewhere.get("/profile").status_code == 302


def test_a_reset_revokes_the_users_api_tokens(
    client: FlaskClient, session: Session, manager: User, token: str
) -> None:
    pair = auth_service.issue_tokens(session, manager, auth_service.TokenLifetimes())

    _set(client, token)

    answer = client.get("/api/users/me", headers={"Authorization": f"Bearer {pair.access_token}"})
    assert answer.status_code == 401


def _spend(client: FlaskClient, session: Session, token: str) -> None:
    assert _set(client, token).status_code == 302


def _expire(client: FlaskClient, session: Session, token: str) -> None:
    session.execute(
        update(Token).where(Token.kind == RESET).values(expires_at=utcnow() - timedelta(seconds=1))
    )
    session.commit()


def _replace(client: FlaskClient, session: Session, token: str) -> None:
    assert ask(client, "manager@example.com").status_code == 200


def _deactivate(client: FlaskClient, session: Session, token: str) -> None:
    session.execute(update(User).values(is_active=False))
    session.commit()


@pytest.mark.parametrize(
    "kill",
    [_spend, _expire, _replace, _deactivate],
    ids=["used", "expired", "replaced", "inactive"],
)
def test_a_used_expired_replaced_or_inactive_link_says_so_and_offers_a_new_one(
    client: FlaskClient, session: Session, token: str, kill: Any
) -> None:
    kill(client, session, token)

    response = _set(client, token, "yet another passphrase")

    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert response.mimetype == "text/html"
    assert "This link cannot be used" in page
    assert INVALID_LINK.replace("'", "&#39;") in page
    assert REQUEST_LINK in page


def test_an_unknown_token_says_so_and_offers_a_new_link(client: FlaskClient) -> None:
    response = _set(client, "not-a-real-token")

    assert response.status_code == 400
    assert REQUEST_LINK in response.get_data(as_text=True)


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_the_reset_page_without_a_token_says_the_link_is_incomplete(
    client: FlaskClient, method: str
) -> None:
    response = client.open("/password-reset", method=method, data={"new_password": NEW_PASSWORD})

    assert response.status_code == 400
    assert REQUEST_LINK in response.get_data(as_text=True)


def test_a_weak_password_is_explained_next_to_the_field_and_the_link_still_works(
    client: FlaskClient, manager: User, token: str
) -> None:
    response = _set(client, token, "short")

    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="new_password-errors"' in page
    assert "Use between 12 and 128 characters." in page
    assert f'name="token" type="hidden" value="{token}"' in page
    assert _set(client, token).status_code == 302
    assert _can_sign_in(client, manager.email, NEW_PASSWORD)


@pytest.mark.parametrize(
    ("fields", "error_id"),
    [
        ({"new_password": "", "confirm_password": ""}, "new_password-errors"),
        ({"confirm_password": "not the same passphrase"}, "confirm_password-errors"),
    ],
    ids=["empty", "mismatch"],
)
def test_an_empty_or_mismatched_password_keeps_the_token_and_changes_nothing(
    client: FlaskClient, manager: User, token: str, fields: dict[str, str], error_id: str
) -> None:
    response = _set(client, token, **fields)

    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert f'id="{error_id}"' in page
    assert f'value="{token}"' in page
    assert _can_sign_in(client, manager.email, DEFAULT_PASSWORD)

"""Asking for a password reset through the API: POST /api/auth/password-reset."""

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from app.api.password_resets.routes import ACCEPTED
from app.common.clock import utcnow
from app.models.token import RESET, Token
from app.models.user import User
from app.services import auth_service
from app.services.password_reset_service import INVALID_LINK
from tests.api.password_reset_helpers import ask_reset, confirm_reset, mail_outbox, reset_link
from tests.api.problems import assert_problem
from tests.factories import UserFactory

# --- POST /api/auth/password-reset ------------------------------------------------------


@pytest.mark.parametrize("email", ["ann@x.com", "nobody@x.com", "gone@x.com"])
def test_asking_answers_the_same_202_whether_or_not_the_account_exists(
    client: FlaskClient, ann: User, email: str
) -> None:
    UserFactory(email="gone@x.com", is_active=False)

    response = ask_reset(client, email)

    assert response.status_code == 202
    assert response.mimetype == "application/json"
    assert response.get_json() == {"data": {"detail": ACCEPTED}}


def test_asking_mails_the_user_a_link_to_the_reset_page(
    app: Flask, client: FlaskClient, ann: User
) -> None:
    ask_reset(client, " ANN@x.com ")

    [message] = mail_outbox(app)
    base_url, raw_token = reset_link(message)
    assert message["To"].endswith("<ann@x.com>")
    assert base_url == app.config["PUBLIC_BASE_URL"]
    assert len(raw_token) >= 43  # 32 random bytes, base64url


@pytest.mark.parametrize("email", ["nobody@x.com", "gone@x.com"])
def test_an_unknown_or_deactivated_account_gets_no_mail_and_no_token(
    app: Flask, client: FlaskClient, session: Session, email: str
) -> None:
    UserFactory(email="gone@x.com", is_active=False)

    ask_reset(client, email)

    assert mail_outbox(app) == []
    assert session.scalars(select(Token).where(Token.kind == RESET)).all() == []


def test_only_the_sha256_of_the_reset_token_is_stored(
    app: Flask, session: Session, reset_token: str, database_uri: str
) -> None:
    stored = session.scalars(select(Token).where(Token.kind == RESET)).one()

    assert stored.token_hash == auth_service.hash_token(reset_token)
    session.close()
    assert reset_token.encode() not in Path(database_uri.removeprefix("sqlite:///")).read_bytes()


def test_the_link_lives_for_password_reset_ttl(
    app: Flask, client: FlaskClient, session: Session, ann: User
) -> None:
    app.config["PASSWORD_RESET_TTL"] = 1800
    before = utcnow()

    ask_reset(client, ann.email)

    stored = session.scalars(select(Token).where(Token.kind == RESET)).one()
    lifetime = stored.expires_at - before
    assert timedelta(seconds=1799) <= lifetime <= timedelta(seconds=1805)
    plain = mail_outbox(app)[0].get_body(preferencelist=("plain",))
    assert plain is not None
    assert "within 30 minutes" in plain.get_content()


def test_a_request_that_fails_before_its_commit_sends_nothing(
    app: Flask, client: FlaskClient, session: Session, ann: User
) -> None:
    session.execute(
        text(
            "CREATE TRIGGER refuse_reset BEFORE INSERT ON tokens WHEN NEW.kind = 'reset' "
            "BEGIN SELECT RAISE(ABORT, 'refused by the test'); END"
        )
    )
    session.commit()

    response = ask_reset(client, ann.email)

    assert_problem(response, 500)
    assert mail_outbox(app) == []
    assert session.scalars(select(Token).where(Token.kind == RESET)).all() == []


def test_a_new_link_makes_the_previous_one_stop_working(
    app: Flask, client: FlaskClient, ann: User, reset_token: str
) -> None:
    ask_reset(client, ann.email)

    problem = assert_problem(confirm_reset(client, reset_token), 400)
    assert problem["detail"] == INVALID_LINK
    assert confirm_reset(client, reset_link(mail_outbox(app)[-1])[1]).status_code == 204


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "email"),
        ({"email": 7}, "email"),
        ({"email": ""}, "email"),
        ({"email": "a" * 255}, "email"),
        ({"email": "a@x.com", "extra": 1}, "extra"),
    ],
    ids=["missing", "type", "empty", "too-long", "unknown-field"],
)
def test_bad_reset_requests_are_a_422_naming_the_field(
    client: FlaskClient, body: dict[str, Any], field: str
) -> None:
    response = client.post("/api/auth/password-reset", json=body)

    assert_problem(response, 422, fields={field})

"""Password reset: POST /api/auth/password-reset and POST /api/auth/password-reset/confirm.

TestingConfig runs Celery tasks eagerly and keeps mail in memory, so the reset mail is in
`app.extensions["mail"].outbox` as soon as the request returns.
"""

import re
from collections.abc import Callable
from datetime import timedelta
from email.message import EmailMessage
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, text, update
from sqlalchemy.orm import Session

from app.api.password_resets.routes import ACCEPTED
from app.common.clock import utcnow
from app.models.token import RESET, Token
from app.models.user import User
from app.services import auth_service, passwords
from app.services.password_reset_service import INVALID_LINK
from tests.api.problems import assert_problem
from tests.factories import DEFAULT_PASSWORD, UserFactory

Headers = dict[str, str]
NEW_PASSWORD = "a brand new passphrase"
LINK = re.compile(r"(\S+)/password-reset\?token=(\S+)")


def _outbox(app: Flask) -> list[EmailMessage]:
    outbox: list[EmailMessage] = app.extensions["mail"].outbox
    return outbox


def _ask(client: FlaskClient, email: str) -> Any:
    return client.post("/api/auth/password-reset", json={"email": email})


def _confirm(client: FlaskClient, token: str, password: str = NEW_PASSWORD) -> Any:
    return client.post(
        "/api/auth/password-reset/confirm", json={"token": token, "new_password": password}
    )


def _link(message: EmailMessage) -> tuple[str, str]:
    """Return the base URL and the raw token of the link in the plain-text part."""
    plain = message.get_body(preferencelist=("plain",))
    assert plain is not None
    match = LINK.search(plain.get_content())
    assert match is not None
    return match.group(1), unquote(match.group(2))


@pytest.fixture
def ann() -> User:
    return UserFactory(email="ann@x.com", name="Ann")


@pytest.fixture
def reset_token(app: Flask, client: FlaskClient, ann: User) -> str:
    """The raw token of a reset link mailed to `ann`."""
    assert _ask(client, ann.email).status_code == 202
    return _link(_outbox(app)[-1])[1]


# --- POST /api/auth/password-reset ------------------------------------------------------


@pytest.mark.parametrize("email", ["ann@x.com", "nobody@x.com", "gone@x.com"])
def test_asking_answers_the_same_202_whether_or_not_the_account_exists(
    client: FlaskClient, ann: User, email: str
) -> None:
    UserFactory(email="gone@x.com", is_active=False)

    response = _ask(client, email)

    assert response.status_code == 202
    assert response.mimetype == "application/json"
    assert response.get_json() == {"data": {"detail": ACCEPTED}}


def test_asking_mails_the_user_a_link_to_the_reset_page(
    app: Flask, client: FlaskClient, ann: User
) -> None:
    _ask(client, " ANN@x.com ")

    [message] = _outbox(app)
    base_url, raw_token = _link(message)
    assert message["To"].endswith("<ann@x.com>")
    assert base_url == app.config["PUBLIC_BASE_URL"]
    assert len(raw_token) >= 43  # 32 random bytes, base64url


@pytest.mark.parametrize("email", ["nobody@x.com", "gone@x.com"])
def test_an_unknown_or_deactivated_account_gets_no_mail_and_no_token(
    app: Flask, client: FlaskClient, session: Session, email: str
) -> None:
    UserFactory(email="gone@x.com", is_active=False)

    _ask(client, email)

    assert _outbox(app) == []
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

    _ask(client, ann.email)

    stored = session.scalars(select(Token).where(Token.kind == RESET)).one()
    lifetime = stored.expires_at - before
    assert timedelta(seconds=1799) <= lifetime <= timedelta(seconds=1805)
    plain = _outbox(app)[0].get_body(preferencelist=("plain",))
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

    response = _ask(client, ann.email)

    assert_problem(response, 500)
    assert _outbox(app) == []
    assert session.scalars(select(Token).where(Token.kind == RESET)).all() == []


def test_a_new_link_makes_the_previous_one_stop_working(
    app: Flask, client: FlaskClient, ann: User, reset_token: str
) -> None:
    _ask(client, ann.email)

    problem = assert_problem(_confirm(client, reset_token), 400)
    assert problem["detail"] == INVALID_LINK
    assert _confirm(client, _link(_outbox(app)[-1])[1]).status_code == 204


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
    problem = assert_problem(client.post("/api/auth/password-reset", json=body), 422)

    assert problem["type"] == "urn:stockroom:problem:validation-error"
    assert list(problem["errors"]) == [field]


# --- POST /api/auth/password-reset/confirm ----------------------------------------------


def test_confirming_sets_the_new_password(
    client: FlaskClient, session: Session, ann: User, reset_token: str
) -> None:
    response = _confirm(client, reset_token)

    assert response.status_code == 204
    assert response.get_data() == b""
    session.refresh(ann)
    assert passwords.verify_password(ann.password_hash, NEW_PASSWORD)
    assert not passwords.verify_password(ann.password_hash, DEFAULT_PASSWORD)


def test_the_new_password_signs_in(client: FlaskClient, ann: User, reset_token: str) -> None:
    _confirm(client, reset_token)

    response = client.post("/api/auth/tokens", json={"email": ann.email, "password": NEW_PASSWORD})

    assert response.status_code == 201


def test_a_reset_token_works_only_once(client: FlaskClient, reset_token: str) -> None:
    _confirm(client, reset_token)

    problem = assert_problem(_confirm(client, reset_token, "yet another passphrase"), 400)

    assert problem["type"] == "urn:stockroom:problem:bad-request"
    assert problem["detail"] == INVALID_LINK


def _expire_resets(session: Session) -> None:
    session.execute(update(Token).values(expires_at=utcnow() - timedelta(seconds=1)))
    session.commit()


def _deactivate(session: Session) -> None:
    session.execute(update(User).values(is_active=False))
    session.commit()


# How a test spoils the reset link, and which token it then sends.
SPOILED: dict[str, tuple[Callable[[Session], None], str]] = {
    "unknown": (lambda _session: None, "unknown"),
    "expired": (_expire_resets, "reset"),
    "user-deactivated": (_deactivate, "reset"),
    "an-access-token": (lambda _session: None, "access"),
}


@pytest.mark.parametrize("case", sorted(SPOILED))
def test_a_token_that_cannot_reset_is_a_400_problem(
    client: FlaskClient, session: Session, ann: User, reset_token: str, case: str
) -> None:
    access = auth_service.issue_tokens(session, ann, auth_service.TokenLifetimes()).access_token
    spoil, token_to_send = SPOILED[case]
    spoil(session)
    token = {"unknown": "not-a-token-we-gave-out", "reset": reset_token, "access": access}

    problem = assert_problem(_confirm(client, token[token_to_send]), 400)

    assert problem["type"] == "urn:stockroom:problem:bad-request"
    assert problem["detail"] == INVALID_LINK
    session.refresh(ann)
    assert passwords.verify_password(ann.password_hash, DEFAULT_PASSWORD)


def test_confirming_revokes_every_access_and_refresh_token_of_the_user(
    client: FlaskClient, session: Session, ann: User, reset_token: str
) -> None:
    pair = auth_service.issue_tokens(session, ann, auth_service.TokenLifetimes())

    _confirm(client, reset_token)

    me = client.get("/api/users/me", headers={"Authorization": f"Bearer {pair.access_token}"})
    assert_problem(me, 401)
    refresh = client.post("/api/auth/tokens/refresh", json={"refresh_token": pair.refresh_token})
    assert_problem(refresh, 401)


def test_a_weak_new_password_is_a_422_and_leaves_the_link_usable(
    client: FlaskClient, reset_token: str
) -> None:
    problem = assert_problem(_confirm(client, reset_token, "short"), 422)

    assert problem["errors"] == {"new_password": ["Use between 12 and 128 characters."]}
    assert _confirm(client, reset_token).status_code == 204


def test_the_email_address_as_new_password_is_a_422(client: FlaskClient, reset_token: str) -> None:
    problem = assert_problem(_confirm(client, reset_token, "ann@x.com"), 422)

    assert list(problem["errors"]) == ["new_password"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"new_password": NEW_PASSWORD}, "token"),
        ({"token": "t"}, "new_password"),
        ({"token": 5, "new_password": NEW_PASSWORD}, "token"),
        ({"token": "", "new_password": NEW_PASSWORD}, "token"),
        ({"token": "t" * 129, "new_password": NEW_PASSWORD}, "token"),
        ({"token": "t", "new_password": "p" * 129}, "new_password"),
        ({"token": "t", "new_password": NEW_PASSWORD, "email": "a@x.com"}, "email"),
    ],
    ids=["missing-token", "missing-password", "token-type", "empty-token", "long-token",
         "long-password", "unknown-field"],
)  # fmt: skip
def test_bad_confirmations_are_a_422_naming_the_field(
    client: FlaskClient, body: dict[str, Any], field: str
) -> None:
    response = client.post("/api/auth/password-reset/confirm", json=body)

    problem = assert_problem(response, 422)
    assert problem["type"] == "urn:stockroom:problem:validation-error"
    assert list(problem["errors"]) == [field]


@pytest.mark.parametrize("path", ["/api/auth/password-reset", "/api/auth/password-reset/confirm"])
def test_a_body_that_is_not_json_is_415(client: FlaskClient, path: str) -> None:
    assert_problem(client.post(path, data="email=a", content_type="text/plain"), 415)


# --- the OpenAPI document ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "statuses"),
    [
        ("/api/auth/password-reset", {"202", "400", "413", "415", "422", "429", "500"}),
        ("/api/auth/password-reset/confirm", {"204", "400", "413", "415", "422", "429", "500"}),
    ],
)
def test_the_reset_operations_are_documented_as_public_with_exactly_their_answers(
    client: FlaskClient, path: str, statuses: set[str]
) -> None:
    operation = client.get("/api/openapi.json").get_json()["paths"][path]["post"]

    assert set(operation["responses"]) == statuses
    assert "security" not in operation
    assert "Idempotency-Key" not in {p["name"] for p in operation.get("parameters", [])}

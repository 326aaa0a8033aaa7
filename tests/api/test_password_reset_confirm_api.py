"""Confirming a password reset through the API (POST /api/auth/password-reset/confirm)."""

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import update
from sqlalchemy.orm import Session

from app.common.clock import utcnow
from app.models.token import Token
from app.models.user import User
from app.services import auth_service, passwords
from app.services.password_reset_service import INVALID_LINK
from tests.api.password_reset_helpers import NEW_PASSWORD, confirm_reset
from tests.api.problems import assert_problem
from tests.factories import DEFAULT_PASSWORD

# --- POST /api/auth/password-reset/confirm ----------------------------------------------


def test_confirming_sets_the_new_password(
    client: FlaskClient, session: Session, ann: User, reset_token: str
) -> None:
    response = confirm_reset(client, reset_token)

    assert response.status_code == 204
    assert response.get_data() == b""
    session.refresh(ann)
    assert passwords.verify_password(ann.password_hash, NEW_PASSWORD)
    assert not passwords.verify_password(ann.password_hash, DEFAULT_PASSWORD)


def test_the_new_password_signs_in(client: FlaskClient, ann: User, reset_token: str) -> None:
    confirm_reset(client, reset_token)

    response = client.post("/api/auth/tokens", json={"email": ann.email, "password": NEW_PASSWORD})

    assert response.status_code == 201


def test_a_reset_token_works_only_once(client: FlaskClient, reset_token: str) -> None:
    confirm_reset(client, reset_token)

    problem = assert_problem(confirm_reset(client, reset_token, "yet another passphrase"), 400)

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

    problem = assert_problem(confirm_reset(client, token[token_to_send]), 400)

    assert problem["type"] == "urn:stockroom:problem:bad-request"
    assert problem["detail"] == INVALID_LINK
    session.refresh(ann)
    assert passwords.verify_password(ann.password_hash, DEFAULT_PASSWORD)


def test_confirming_revokes_every_access_and_refresh_token_of_the_user(
    client: FlaskClient, session: Session, ann: User, reset_token: str
) -> None:
    pair = auth_service.issue_tokens(session, ann, auth_service.TokenLifetimes())

    confirm_reset(client, reset_token)

    me = client.get("/api/users/me", headers={"Authorization": f"Bearer {pair.access_token}"})
    assert_problem(me, 401)
    refresh = client.post("/api/auth/tokens/refresh", json={"refresh_token": pair.refresh_token})
    assert_problem(refresh, 401)


def test_a_weak_new_password_is_a_422_and_leaves_the_link_usable(
    client: FlaskClient, reset_token: str
) -> None:
    problem = assert_problem(confirm_reset(client, reset_token, "short"), 422)

    assert problem["errors"] == {"new_password": ["Use between 12 and 128 characters."]}
    assert confirm_reset(client, reset_token).status_code == 204


def test_the_email_address_as_new_password_is_a_422(client: FlaskClient, reset_token: str) -> None:
    problem = assert_problem(confirm_reset(client, reset_token, "ann@x.com"), 422)

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
        ("/api/auth/password-reset", {"202", "400", "413", "415", "422", "429", "500", "503"}),
        (
            "/api/auth/password-reset/confirm",
            {"204", "400", "413", "415", "422", "429", "500", "503"},
        ),
    ],
)
def test_the_reset_operations_are_documented_as_public_with_exactly_their_answers(
    client: FlaskClient, path: str, statuses: set[str]
) -> None:
    operation = client.get("/api/openapi.json").get_json()["paths"][path]["post"]

    assert set(operation["responses"]) == statuses
    assert "security" not in operation
    assert "Idempotency-Key" not in {p["name"] for p in operation.get("parameters", [])}

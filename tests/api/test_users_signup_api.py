"""Sign-up through the users API: POST /api/users."""

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models.user import User
from tests.api.problems import assert_problem
from tests.api.user_helpers import GOOD_PASSWORD, USER_FIELDS


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

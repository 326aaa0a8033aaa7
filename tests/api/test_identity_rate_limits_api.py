"""Sign-in and sign-up are rate-limited, with a 429 problem and Retry-After."""

from typing import Any

import pytest
from flask.testing import FlaskClient

from app.extensions import db
from app.models.user import User
from tests.conftest import make_test_app
from tests.factories import DEFAULT_PASSWORD

GOOD_PASSWORD = "a long enough passphrase"


@pytest.fixture
def app_overrides() -> dict[str, Any]:
    return {
        "RATELIMIT_ENABLED": True,
        "RATELIMIT_LOGIN": "3/minute",
        "RATELIMIT_SIGNUP": "2/minute",
    }


def _sign_in(client: FlaskClient, email: str, address: str = "10.0.0.1") -> Any:
    return client.post(
        "/api/auth/tokens",
        json={"email": email, "password": "a wrong password"},
        environ_base={"REMOTE_ADDR": address},
    )


def _sign_up(client: FlaskClient, email: str, address: str = "10.0.0.1") -> Any:
    return client.post(
        "/api/users",
        json={"email": email, "password": GOOD_PASSWORD},
        environ_base={"REMOTE_ADDR": address},
    )


def test_sign_in_over_the_limit_is_a_429_problem_with_retry_after(
    client: FlaskClient, manager: User
) -> None:
    answers = [_sign_in(client, manager.email).status_code for _ in range(4)]

    response = _sign_in(client, manager.email)
    assert answers == [401, 401, 401, 429]
    assert response.status_code == 429
    assert response.mimetype == "application/problem+json"
    assert 0 < int(response.headers["Retry-After"]) <= 60
    assert response.get_json()["status"] == 429


def test_the_limit_holds_even_for_the_right_password(client: FlaskClient, manager: User) -> None:
    for _ in range(3):
        _sign_in(client, manager.email)

    response = client.post(
        "/api/auth/tokens",
        json={"email": manager.email, "password": DEFAULT_PASSWORD},
        environ_base={"REMOTE_ADDR": "10.0.0.1"},
    )

    assert response.status_code == 429


def test_sign_in_is_counted_per_email_in_any_letter_case(
    client: FlaskClient, manager: User
) -> None:
    for email in (manager.email, manager.email.upper(), f" {manager.email} "):
        _sign_in(client, email)

    assert _sign_in(client, manager.email).status_code == 429
    assert _sign_in(client, "someone.else@example.com").status_code == 401


def test_sign_in_is_counted_per_client_address(client: FlaskClient, manager: User) -> None:
    for _ in range(3):
        _sign_in(client, manager.email, "10.0.0.1")

    assert _sign_in(client, manager.email, "10.0.0.2").status_code == 401


def test_sign_up_over_the_limit_is_a_429_per_address(client: FlaskClient) -> None:
    answers = [_sign_up(client, f"user{n}@example.com").status_code for n in range(3)]

    assert answers == [201, 201, 429]
    assert _sign_up(client, "other@example.com", "10.0.0.9").status_code == 201


def test_the_429_carries_retry_after_for_sign_up(client: FlaskClient) -> None:
    for n in range(2):
        _sign_up(client, f"user{n}@example.com")

    response = _sign_up(client, "third@example.com")

    assert response.mimetype == "application/problem+json"
    assert int(response.headers["Retry-After"]) > 0


def test_limits_fall_back_to_memory_when_redis_is_down(database_uri: str) -> None:
    app = make_test_app(
        database_uri,
        RATELIMIT_ENABLED=True,
        RATELIMIT_SIGNUP="2/minute",
        RATELIMIT_STORAGE_URI="redis://127.0.0.1:1/0",
    )
    client = app.test_client()

    with app.app_context():
        answers = [_sign_up(client, f"user{n}@example.com").status_code for n in range(3)]
        db.session.remove()
        db.engine.dispose()

    assert answers == [201, 201, 429]

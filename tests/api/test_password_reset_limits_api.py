"""Password-reset requests are rate-limited per email (RATELIMIT_PASSWORD_RESET)."""

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from app.models.user import User


@pytest.fixture
def app_overrides() -> dict[str, Any]:
    return {
        "RATELIMIT_ENABLED": True,
        "RATELIMIT_PASSWORD_RESET": "2/hour",
    }


def _ask(client: FlaskClient, email: str, address: str = "10.0.0.1") -> Any:
    return client.post(
        "/api/auth/password-reset", json={"email": email}, environ_base={"REMOTE_ADDR": address}
    )


def test_asking_over_the_limit_is_a_429_problem_with_retry_after(
    client: FlaskClient, manager: User
) -> None:
    answers = [_ask(client, manager.email).status_code for _ in range(2)]

    response = _ask(client, manager.email)

    assert answers == [202, 202]
    assert response.status_code == 429
    assert response.mimetype == "application/problem+json"
    assert response.get_json()["status"] == 429
    assert 0 < int(response.headers["Retry-After"]) <= 3600


def test_over_the_limit_no_more_mail_is_sent(
    app: Flask, client: FlaskClient, manager: User
) -> None:
    for _ in range(4):
        _ask(client, manager.email)

    assert len(app.extensions["mail"].outbox) == 2


def test_the_limit_counts_per_email_in_any_letter_case_from_any_address(
    client: FlaskClient, manager: User
) -> None:
    _ask(client, manager.email.upper(), "10.0.0.1")
    _ask(client, f" {manager.email} ", "10.0.0.2")

    assert _ask(client, manager.email, "10.0.0.3").status_code == 429
    assert _ask(client, "someone.else@example.com", "10.0.0.3").status_code == 202


def test_unknown_emails_are_limited_like_known_ones(client: FlaskClient) -> None:
    answers = [_ask(client, "nobody@example.com").status_code for _ in range(3)]

    assert answers == [202, 202, 429]

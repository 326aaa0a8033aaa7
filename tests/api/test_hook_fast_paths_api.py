"""The API's hooks return at once on requests that do not concern them, and only those.

A bodiless GET skips the body checks and a public view skips the token check, but a GET
that does send a body over the limit is still refused, and a protected view still needs
its token (docs/performance.md).
"""

from collections.abc import Callable, Iterator
from functools import partial
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from app.api.auth import is_public_endpoint
from tests.conftest import make_test_app

BODY_LIMIT = 64
PROBLEM = "application/problem+json"


@pytest.fixture
def app() -> Iterator[Flask]:
    """An app with a small body limit."""
    app = make_test_app("sqlite://", MAX_CONTENT_LENGTH=BODY_LIMIT)
    with app.app_context():
        yield app


def test_a_get_sending_a_body_over_the_limit_is_still_a_413(client: FlaskClient) -> None:
    response = client.get("/api/health", data=b"x" * (BODY_LIMIT + 1))

    assert response.status_code == 413
    assert response.mimetype == PROBLEM
    assert response.get_json()["status"] == 413


def test_a_bodiless_get_of_a_public_view_needs_no_token(client: FlaskClient) -> None:
    response = client.get("/api/health")

    assert response.status_code == 200


def test_a_protected_view_still_needs_its_token_after_a_public_one(client: FlaskClient) -> None:
    client.get("/api/health")

    response = client.get("/api/users/me")

    assert response.status_code == 401
    assert response.mimetype == PROBLEM


@pytest.mark.parametrize(
    ("endpoint", "public"), [("api.health.get_health", True), ("api.users.get_me", False)]
)
def test_the_public_answer_is_the_same_when_asked_again(
    app: Flask, endpoint: str, public: bool
) -> None:
    answers = [is_public_endpoint(endpoint), is_public_endpoint(endpoint)]

    assert answers == [public, public]


def plain_view() -> str:
    return "plain"


async def coroutine_view() -> str:
    return "coroutine"


def _flask_answer(app: Flask, func: Callable[..., Any]) -> object:
    try:
        return Flask.ensure_sync(app, func) is func
    except RuntimeError as error:  # Flask without its async extra
        return type(error)


@pytest.mark.parametrize(
    "func", [plain_view, coroutine_view, partial(plain_view), Flask("probe").make_response]
)
def test_views_and_hooks_are_made_synchronous_as_flask_makes_them(
    app: Flask, func: Callable[..., Any]
) -> None:
    try:
        ours: object = app.ensure_sync(func) is func
    except RuntimeError as error:
        ours = type(error)

    assert ours == _flask_answer(app, func)

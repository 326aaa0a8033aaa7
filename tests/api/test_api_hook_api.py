"""The API's request checks run as one hook: the token, then the body, then the key.

A public view skips the token check but not the body check; a protected view checks the
token before it looks at the body.
"""

from flask import Flask
from flask.testing import FlaskClient

from app.api import auth, idempotency
from app.api.request_body import check_request_body

PROBLEM = "application/problem+json"


def test_the_three_checks_are_one_app_wide_hook(app: Flask) -> None:
    hooks = app.before_request_funcs[None]

    assert [hook.__name__ for hook in hooks] == ["before_api_request"]
    assert not {auth.authenticate_request, check_request_body, idempotency.claim_key} & set(hooks)


def test_an_anonymous_malformed_post_is_refused_for_its_token_first(client: FlaskClient) -> None:
    response = client.post(
        "/api/categories", data=b"{not json", headers={"Content-Type": "application/json"}
    )

    assert response.status_code == 401
    assert response.mimetype == PROBLEM


def test_a_malformed_post_to_a_public_view_is_refused_for_its_body(client: FlaskClient) -> None:
    response = client.post(
        "/api/auth/tokens", data=b"{not json", headers={"Content-Type": "application/json"}
    )

    assert response.status_code == 400
    assert response.mimetype == PROBLEM

"""Every identity route that needs a token refuses each kind of bad credential alike."""

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from app.api.auth import current_token, current_user
from app.common.errors import AuthenticationError
from app.models.user import User

Headers = dict[str, str]

PROTECTED = [
    ("GET", "/api/users/me", None),
    ("PATCH", "/api/users/me", {"name": "x"}),
    ("GET", "/api/users", None),
    ("GET", "/api/users/{id}", None),
    ("PATCH", "/api/users/{id}", {"name": "x"}),
    ("DELETE", "/api/users/{id}", None),
    ("DELETE", "/api/auth/tokens", None),
]
STATES = ["anonymous", "malformed", "not-bearer", "unknown", "expired", "revoked", "deactivated"]


FIXED_HEADERS: dict[str, Headers] = {
    "anonymous": {},
    "malformed": {"Authorization": "Bearer"},
    "not-bearer": {"Authorization": "Basic bWFuYWdlckBleGFtcGxlLmNvbTpwdw=="},
    "unknown": {"Authorization": "Bearer 0123456789abcdef0123456789abcdef0123456789a"},
}


@pytest.fixture
def headers_for_state(
    request: pytest.FixtureRequest, client: FlaskClient, manager: User, admin_headers: Headers
) -> Headers:
    state = request.param
    if state in FIXED_HEADERS:
        return FIXED_HEADERS[state]
    if state in {"expired", "revoked"}:
        return request.getfixturevalue(f"{state}_headers")  # type: ignore[no-any-return]
    headers: Headers = request.getfixturevalue("manager_headers")
    client.patch(f"/api/users/{manager.id}", json={"is_active": False}, headers=admin_headers)
    return headers


@pytest.mark.parametrize("headers_for_state", STATES, indirect=True)
@pytest.mark.parametrize("route", PROTECTED, ids=[f"{m} {p}" for m, p, _ in PROTECTED])
def test_a_protected_route_answers_401_problem_with_a_bearer_challenge(
    client: FlaskClient,
    manager: User,
    headers_for_state: Headers,
    route: tuple[str, str, dict[str, Any] | None],
) -> None:
    method, path, body = route

    response = client.open(
        path.format(id=manager.id), method=method, json=body, headers=headers_for_state
    )

    assert response.status_code == 401
    assert response.mimetype == "application/problem+json"
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    problem = response.get_json()
    assert (problem["status"], problem["type"]) == (401, "urn:stockroom:problem:unauthorized")


def test_a_bad_token_is_refused_before_the_body_is_read(client: FlaskClient) -> None:
    response = client.patch("/api/users/me", data="{", content_type="application/json")

    assert response.status_code == 401


def test_an_unknown_api_path_is_404_not_401(client: FlaskClient) -> None:
    response = client.get("/api/no-such-thing")

    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"


def test_a_wrong_method_is_405_not_401(client: FlaskClient) -> None:
    response = client.put("/api/users/me")

    assert response.status_code == 405
    assert "GET" in response.headers["Allow"]


@pytest.mark.parametrize(
    "path", ["/api/health", "/api/health/ready", "/api/openapi.json", "/api/docs"]
)
def test_public_pages_need_no_token(client: FlaskClient, path: str) -> None:
    assert client.get(path).status_code == 200


def test_a_cors_preflight_needs_no_token(client: FlaskClient) -> None:
    response = client.options("/api/users/me")

    assert response.status_code == 200


def test_the_openapi_document_declares_bearer_security_on_protected_routes(
    client: FlaskClient,
) -> None:
    paths = client.get("/api/openapi.json").get_json()["paths"]

    assert paths["/api/users/me"]["get"]["security"] == [{"bearerAuth": []}]
    assert "security" not in paths["/api/auth/tokens"]["post"]


@pytest.mark.parametrize("helper", [current_user, current_token])
def test_the_caller_helpers_refuse_outside_an_authenticated_view(
    app: Flask, helper: Callable[[], object]
) -> None:
    with app.test_request_context("/api/health"), pytest.raises(AuthenticationError):
        helper()

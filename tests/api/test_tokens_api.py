import sqlite3
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models.token import Token
from app.models.user import User
from app.services.auth_service import BAD_CREDENTIALS, hash_token
from tests.api.problems import assert_problem
from tests.factories import DEFAULT_PASSWORD, UserFactory

Headers = dict[str, str]


def _sign_in(
    client: FlaskClient, email: str = "ann@x.com", password: str = DEFAULT_PASSWORD
) -> Any:
    return client.post("/api/auth/tokens", json={"email": email, "password": password})


@pytest.fixture
def ann() -> User:
    return UserFactory(email="ann@x.com")


def _bearer(token: str) -> Headers:
    return {"Authorization": f"Bearer {token}"}


# --- POST /api/auth/tokens --------------------------------------------------------------


def test_signing_in_answers_201_with_a_bearer_pair(client: FlaskClient, ann: User) -> None:
    response = _sign_in(client)

    assert response.status_code == 201
    data = response.get_json()["data"]
    assert set(data) == {"access_token", "refresh_token", "token_type", "expires_in"}
    assert data["token_type"] == "Bearer"
    assert data["expires_in"] == 3600


def test_the_expiry_follows_access_token_ttl(app: Flask, client: FlaskClient, ann: User) -> None:
    app.config["ACCESS_TOKEN_TTL"] = 900

    assert _sign_in(client).get_json()["data"]["expires_in"] == 900


def test_the_access_token_from_sign_in_works(client: FlaskClient, ann: User) -> None:
    token = _sign_in(client).get_json()["data"]["access_token"]

    response = client.get("/api/users/me", headers=_bearer(token))

    assert response.status_code == 200
    assert response.get_json()["data"]["email"] == "ann@x.com"


def test_signing_in_accepts_the_email_in_another_case(client: FlaskClient, ann: User) -> None:
    assert _sign_in(client, " ANN@X.com ").status_code == 201


@pytest.mark.parametrize(
    ("email", "password"),
    [("ann@x.com", "a wrong password"), ("nobody@x.com", DEFAULT_PASSWORD)],
    ids=["wrong-password", "unknown-email"],
)
def test_unknown_email_and_wrong_password_get_the_same_401(
    client: FlaskClient, ann: User, email: str, password: str
) -> None:
    response = _sign_in(client, email, password)

    body = assert_problem(response, 401)
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    body.pop("request_id")
    assert body == {
        "type": "urn:stockroom:problem:unauthorized",
        "title": "Authentication required",
        "status": 401,
        "detail": BAD_CREDENTIALS,
    }


def test_a_deactivated_user_cannot_sign_in(client: FlaskClient) -> None:
    UserFactory(email="ann@x.com", is_active=False)

    assert assert_problem(_sign_in(client), 401)["detail"] == BAD_CREDENTIALS


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"password": DEFAULT_PASSWORD}, "email"),
        ({"email": "ann@x.com"}, "password"),
        ({"email": 7, "password": DEFAULT_PASSWORD}, "email"),
        ({"email": "ann@x.com", "password": ["x"]}, "password"),
        ({"email": "ann@x.com", "password": DEFAULT_PASSWORD, "remember": True}, "remember"),
        ({"email": "a" * 250 + "@x.com", "password": DEFAULT_PASSWORD}, "email"),
        ({"email": "ann@x.com", "password": "p" * 129}, "password"),
    ],
    ids=[
        "missing-email",
        "missing-password",
        "email-type",
        "password-type",
        "unknown",
        "long-email",
        "long-password",
    ],
)
def test_bad_sign_in_input_is_a_422_naming_the_field(
    client: FlaskClient, body: dict[str, Any], field: str
) -> None:
    body_out = assert_problem(client.post("/api/auth/tokens", json=body), 422)

    assert list(body_out["errors"]) == [field]


def test_a_sign_in_body_that_is_not_json_is_415(client: FlaskClient) -> None:
    response = client.post("/api/auth/tokens", data="email=a", content_type="text/plain")

    assert_problem(response, 415)


def test_malformed_json_is_400(client: FlaskClient) -> None:
    response = client.post("/api/auth/tokens", data="{", content_type="application/json")

    assert_problem(response, 400)


def test_the_raw_tokens_appear_nowhere_in_the_database(
    client: FlaskClient, ann: User, database_uri: str, session: Session
) -> None:
    data = _sign_in(client).get_json()["data"]
    session.close()

    with sqlite3.connect(database_uri.removeprefix("sqlite:///")) as connection:
        dump = "\n".join(connection.iterdump())

    for raw in (data["access_token"], data["refresh_token"]):
        assert raw not in dump
        assert hash_token(raw) in dump


def test_checking_a_token_costs_one_sql_query(
    client: FlaskClient, manager_headers: Headers, count_queries: Callable[[], Any]
) -> None:
    # A bad query string is refused after the token check and before the view's own work.
    with count_queries() as counter:
        response = client.get("/api/users?limit=0", headers=manager_headers)

    assert response.status_code == 422
    assert counter.count == 1, counter.statements
    assert "FROM tokens" in counter.statements[0]


def test_signing_in_costs_a_read_an_update_and_one_insert_of_both_tokens(
    client: FlaskClient, ann: User, count_queries: Callable[[], Any]
) -> None:
    with count_queries() as counter:
        response = _sign_in(client)

    assert response.status_code == 201
    assert counter.count == 3, counter.statements
    select_user, update_user, insert_tokens = counter.statements
    assert select_user.startswith("SELECT users.id, users.password_hash, users.is_active")
    assert update_user.startswith("UPDATE users SET")
    assert insert_tokens.startswith("INSERT INTO tokens")
    assert "RETURNING" not in insert_tokens


def test_the_profile_costs_the_token_check_and_one_read(
    client: FlaskClient, manager_headers: Headers, count_queries: Callable[[], Any]
) -> None:
    with count_queries() as counter:
        response = client.get("/api/users/me", headers=manager_headers)

    assert response.status_code == 200
    assert counter.count == 2, counter.statements
    assert "FROM tokens" in counter.statements[0]


# --- POST /api/auth/tokens/refresh ------------------------------------------------------


def test_a_refresh_answers_201_with_a_new_pair(client: FlaskClient, ann: User) -> None:
    old = _sign_in(client).get_json()["data"]

    response = client.post("/api/auth/tokens/refresh", json={"refresh_token": old["refresh_token"]})

    assert response.status_code == 201
    new = response.get_json()["data"]
    assert new["refresh_token"] != old["refresh_token"]
    assert client.get("/api/users/me", headers=_bearer(new["access_token"])).status_code == 200


def test_after_a_refresh_the_old_access_token_stops_working(client: FlaskClient, ann: User) -> None:
    old = _sign_in(client).get_json()["data"]
    client.post("/api/auth/tokens/refresh", json={"refresh_token": old["refresh_token"]})

    assert_problem(client.get("/api/users/me", headers=_bearer(old["access_token"])), 401)


def test_reusing_a_spent_refresh_token_signs_the_user_out_everywhere(
    client: FlaskClient, ann: User
) -> None:
    old = _sign_in(client).get_json()["data"]
    new = client.post(
        "/api/auth/tokens/refresh", json={"refresh_token": old["refresh_token"]}
    ).get_json()["data"]

    reuse = client.post("/api/auth/tokens/refresh", json={"refresh_token": old["refresh_token"]})

    assert_problem(reuse, 401)
    assert_problem(client.get("/api/users/me", headers=_bearer(new["access_token"])), 401)
    again = client.post("/api/auth/tokens/refresh", json={"refresh_token": new["refresh_token"]})
    assert_problem(again, 401)


def test_an_unknown_refresh_token_is_401(client: FlaskClient) -> None:
    response = client.post("/api/auth/tokens/refresh", json={"refresh_token": "made-up"})

    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert_problem(response, 401)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "refresh_token"),
        ({"refresh_token": 12}, "refresh_token"),
        ({"refresh_token": "x", "access_token": "y"}, "access_token"),
        ({"refresh_token": "x" * 129}, "refresh_token"),
    ],
    ids=["missing", "type", "unknown", "too-long"],
)
def test_bad_refresh_input_is_a_422(client: FlaskClient, body: dict[str, Any], field: str) -> None:
    body_out = assert_problem(client.post("/api/auth/tokens/refresh", json=body), 422)

    assert list(body_out["errors"]) == [field]


# --- DELETE /api/auth/tokens ------------------------------------------------------------


def test_signing_out_answers_204_and_the_token_stops_working(
    client: FlaskClient, manager_headers: Headers
) -> None:
    response = client.delete("/api/auth/tokens", headers=manager_headers)

    assert response.status_code == 204
    assert response.get_data() == b""
    assert_problem(client.get("/api/users/me", headers=manager_headers), 401)


def test_signing_out_also_ends_the_refresh_token(client: FlaskClient, ann: User) -> None:
    pair = _sign_in(client).get_json()["data"]
    client.delete("/api/auth/tokens", headers=_bearer(pair["access_token"]))

    response = client.post(
        "/api/auth/tokens/refresh", json={"refresh_token": pair["refresh_token"]}
    )

    assert_problem(response, 401)


def test_signing_out_leaves_other_sessions_signed_in(
    client: FlaskClient, manager: User, auth_headers_for: Callable[[User], Headers]
) -> None:
    phone, laptop = auth_headers_for(manager), auth_headers_for(manager)

    client.delete("/api/auth/tokens", headers=phone)

    assert client.get("/api/users/me", headers=laptop).status_code == 200


def test_signing_out_revokes_only_two_tokens(
    client: FlaskClient, manager: User, manager_headers: Headers, session: Session
) -> None:
    client.delete("/api/auth/tokens", headers=manager_headers)

    revoked = session.scalar(
        select(func.count()).select_from(Token).where(Token.revoked_at.is_not(None))
    )
    assert revoked == 2


# --- Cache-Control: no-store (RFC 6749 section 5.1) -------------------------------------


def _refresh_with_a_fresh_pair(client: FlaskClient) -> Any:
    refresh_token = _sign_in(client).get_json()["data"]["refresh_token"]
    return client.post("/api/auth/tokens/refresh", json={"refresh_token": refresh_token})


@pytest.mark.parametrize(
    "exchange", [_sign_in, _refresh_with_a_fresh_pair], ids=["sign-in", "refresh"]
)
def test_an_answer_carrying_tokens_must_not_be_cached(
    client: FlaskClient, ann: User, exchange: Callable[[FlaskClient], Any]
) -> None:
    response = exchange(client)

    assert response.status_code == 201
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Pragma"] == "no-cache"

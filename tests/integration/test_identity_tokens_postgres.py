"""The token check, the profile read and sign-in as Core SQL on PostgreSQL, through the API."""

import pytest
from flask import Flask
from sqlalchemy import func, select, update

from app.extensions import db
from app.models.token import Token
from app.models.user import User
from app.services import user_service
from app.services.user_service import NewUser

pytestmark = pytest.mark.integration

PASSWORD = "a long enough passphrase"


def _sign_in(app: Flask, email: str) -> dict[str, str]:
    response = app.test_client().post(
        "/api/auth/tokens", json={"email": email, "password": PASSWORD}
    )
    assert response.status_code == 201, response.get_json()
    return {"Authorization": f"Bearer {response.get_json()['data']['access_token']}"}


def test_a_caller_with_two_roles_reads_their_profile(pg_app: Flask) -> None:
    user_service.create_user(
        db.session(), None, NewUser("ann@x.com", PASSWORD, "Ann", ["manager", "admin"])
    )
    headers = _sign_in(pg_app, "ann@x.com")

    response = pg_app.test_client().get("/api/users/me", headers=headers)

    assert response.status_code == 200
    body = response.get_json()["data"]
    assert (body["email"], body["name"], body["roles"]) == (
        "ann@x.com",
        "Ann",
        ["admin", "manager"],
    )
    assert body["last_login_at"] is not None
    assert response.headers["ETag"] == '"1"'
    # an admin-only list answers: the roles came with the token check
    assert pg_app.test_client().get("/api/users", headers=headers).status_code == 200


def test_signing_in_writes_both_tokens_of_the_pair(pg_app: Flask) -> None:
    user = user_service.create_user(db.session(), None, NewUser("bo@x.com", PASSWORD))

    _sign_in(pg_app, "bo@x.com")

    kinds = db.session.scalars(select(Token.kind).where(Token.user_id == user.id)).all()
    pairs = db.session.scalar(select(func.count(func.distinct(Token.pair_id))))
    assert sorted(kinds) == ["access", "refresh"]
    assert pairs == 1


def test_a_deactivated_callers_token_is_refused_at_once(pg_app: Flask) -> None:
    user = user_service.create_user(db.session(), None, NewUser("cy@x.com", PASSWORD))
    headers = _sign_in(pg_app, "cy@x.com")
    db.session.execute(update(User).where(User.id == user.id).values(is_active=False))
    db.session.commit()

    response = pg_app.test_client().get("/api/users/me", headers=headers)

    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")

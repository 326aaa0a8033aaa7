"""The nightly purge task, run for real: what it deletes never weakens a token check."""

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from app.extensions import db
from app.models.token import Token
from app.models.user import User
from app.services import auth_service
from app.services.auth_service import TokenLifetimes, TokenPair
from app.tasks.maintenance_tasks import PURGE_EXPIRED

LIFETIMES = TokenLifetimes()


def bearer(pair: TokenPair) -> dict[str, str]:
    return {"Authorization": f"Bearer {pair.access_token}"}


def refresh(client: FlaskClient, raw_refresh_token: str) -> int:
    response = client.post("/api/auth/tokens/refresh", json={"refresh_token": raw_refresh_token})
    return response.status_code


def purge(app: Flask) -> dict[str, int]:
    result: dict[str, int] = app.extensions["celery"].tasks[PURGE_EXPIRED].apply_async().get()
    return result


def test_after_the_purge_a_reused_refresh_token_still_signs_everyone_out(
    app: Flask, client: FlaskClient, user: User
) -> None:
    stolen = auth_service.issue_tokens(db.session(), user, LIFETIMES)
    assert refresh(client, stolen.refresh_token) == 201  # the thief spends it first
    fresh = auth_service.issue_tokens(db.session(), user, LIFETIMES)
    signed_out = auth_service.issue_tokens(db.session(), user, LIFETIMES)
    assert client.delete("/api/auth/tokens", headers=bearer(signed_out)).status_code == 204

    # Gone: the spent pair's revoked access token and the signed-out pair (2).
    assert purge(app) == {"tokens": 3, "idempotency_keys": 0}

    assert refresh(client, stolen.refresh_token) == 401  # the owner presents it: reuse
    assert client.get("/api/users/me", headers=bearer(fresh)).status_code == 401
    assert (
        db.session.scalar(select(func.count()).select_from(Token).where(Token.revoked_at.is_(None)))
        == 0
    )


def test_a_signed_out_or_revoked_token_is_refused_the_same_after_the_purge(
    app: Flask, client: FlaskClient, user: User
) -> None:
    pair = auth_service.issue_tokens(db.session(), user, LIFETIMES)
    assert client.delete("/api/auth/tokens", headers=bearer(pair)).status_code == 204
    before = (
        client.get("/api/users/me", headers=bearer(pair)).get_json(),
        refresh(client, pair.refresh_token),
    )

    assert purge(app) == {"tokens": 2, "idempotency_keys": 0}

    after = (
        client.get("/api/users/me", headers=bearer(pair)).get_json(),
        refresh(client, pair.refresh_token),
    )
    assert before[1] == after[1] == 401
    assert {k: v for k, v in before[0].items() if k != "request_id"} == {
        k: v for k, v in after[0].items() if k != "request_id"
    }

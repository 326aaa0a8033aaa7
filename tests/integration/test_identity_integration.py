"""Identity against real services: concurrent sign-ups and refreshes on PostgreSQL,
and rate-limit counters kept in Redis."""

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from threading import Barrier
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from app.common.errors import AuthenticationError, ConflictError
from app.extensions import db
from app.models.user import User
from app.services import auth_service, user_service
from app.services.user_service import NewUser
from tests.conftest import make_test_app

pytestmark = pytest.mark.integration

PASSWORD = "a long enough passphrase"
RACERS = 4


def _race(app: Flask, attempt: Callable[[int], Any]) -> list[Any]:
    """Run `attempt(i)` in RACERS threads released together, each with its own session."""
    barrier = Barrier(RACERS)

    def run(index: int) -> Any:
        with app.app_context():
            barrier.wait()
            try:
                return attempt(index)
            except (ConflictError, AuthenticationError) as error:
                return error
            finally:
                db.session.remove()

    with ThreadPoolExecutor(RACERS) as pool:
        return list(pool.map(run, range(RACERS)))


def test_concurrent_sign_ups_with_one_email_in_any_case_make_one_account(pg_app: Flask) -> None:
    spellings = ["ann@x.com", "ANN@x.com", " Ann@X.com", "ann@X.COM "]

    outcomes = _race(
        pg_app,
        lambda i: (
            user_service.sign_up(db.session(), NewUser(spellings[i], PASSWORD), is_enabled=True).id
        ),
    )

    assert sum(isinstance(outcome, int) for outcome in outcomes) == 1
    assert sum(isinstance(outcome, ConflictError) for outcome in outcomes) == RACERS - 1
    assert db.session.scalar(select(func.count()).select_from(User)) == 1


def test_concurrent_refreshes_with_one_token_let_at_most_one_through(pg_app: Flask) -> None:
    user = user_service.create_user(db.session(), None, NewUser("ann@x.com", PASSWORD))
    pair = auth_service.issue_tokens(db.session(), user, auth_service.TokenLifetimes())

    outcomes = _race(
        pg_app,
        lambda _i: auth_service.refresh(
            db.session(), pair.refresh_token, auth_service.TokenLifetimes()
        ),
    )

    winners = [o for o in outcomes if isinstance(o, auth_service.TokenPair)]
    assert len(winners) <= 1
    assert sum(isinstance(o, AuthenticationError) for o in outcomes) >= RACERS - 1


def _sign_in_statuses(database_uri: str, redis_url: str, attempts: int) -> list[int]:
    app = make_test_app(
        database_uri,
        RATELIMIT_ENABLED=True,
        RATELIMIT_LOGIN="2/minute",
        RATELIMIT_STORAGE_URI=redis_url,
    )
    client = app.test_client()
    body = {"email": "ann@x.com", "password": "wrong password!"}
    with app.app_context():
        statuses = [client.post("/api/auth/tokens", json=body).status_code for _ in range(attempts)]
        db.session.remove()
        db.engine.dispose()
    return statuses


def test_sign_in_counts_kept_in_redis_are_shared_by_every_app_process(
    database_uri: str, redis_url: str
) -> None:
    first_worker = _sign_in_statuses(database_uri, redis_url, 2)

    second_worker = _sign_in_statuses(database_uri, redis_url, 1)

    assert (first_worker, second_worker) == ([401, 401], [429])

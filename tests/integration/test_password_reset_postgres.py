"""Password reset on PostgreSQL: the whole flow through the API, and racing confirmations."""

from concurrent.futures import ThreadPoolExecutor
from threading import Barrier
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from app.common.errors import BadRequestError
from app.extensions import db
from app.models.user import User
from app.services import password_reset_service, passwords, user_service
from app.services.user_service import NewUser
from app.tasks.queue import password_reset_mailer

pytestmark = pytest.mark.integration

PASSWORD = "a long enough passphrase"
RACERS = 4


def _mailed_token(app: Flask) -> str:
    plain = app.extensions["mail"].outbox[-1].get_body(preferencelist=("plain",))
    link = next(word for word in plain.get_content().split() if "/password-reset?token=" in word)
    return link.split("token=", 1)[1]


def test_a_reset_through_the_api_changes_the_password(pg_app: Flask) -> None:
    user_service.create_user(db.session(), None, NewUser("ann@x.com", PASSWORD))
    client = pg_app.test_client()

    asked = client.post("/api/auth/password-reset", json={"email": "ANN@x.com"})
    body = {"token": _mailed_token(pg_app), "new_password": "another long passphrase"}
    confirmed = client.post("/api/auth/password-reset/confirm", json=body)

    assert (asked.status_code, confirmed.status_code) == (202, 204)
    db.session.expire_all()
    user = db.session.scalars(select(User).where(User.email == "ann@x.com")).one()
    assert passwords.verify_password(user.password_hash, "another long passphrase")


def test_concurrent_confirmations_with_one_token_let_exactly_one_through(pg_app: Flask) -> None:
    user_service.create_user(db.session(), None, NewUser("ann@x.com", PASSWORD))
    password_reset_service.request_reset(db.session(), "ann@x.com", password_reset_mailer)
    raw_token = _mailed_token(pg_app)
    barrier = Barrier(RACERS)

    def confirm(index: int) -> Any:
        with pg_app.app_context():
            barrier.wait()
            try:
                new_password = f"racer number {index} passphrase"
                password_reset_service.confirm_reset(db.session(), raw_token, new_password)
            except BadRequestError as error:
                return error
            finally:
                db.session.remove()
            return index

    with ThreadPoolExecutor(RACERS) as pool:
        outcomes = list(pool.map(confirm, range(RACERS)))

    winners = [outcome for outcome in outcomes if isinstance(outcome, int)]
    assert len(winners) == 1
    db.session.expire_all()
    user = db.session.scalars(select(User).where(User.email == "ann@x.com")).one()
    assert passwords.verify_password(user.password_hash, f"racer number {winners[0]} passphrase")

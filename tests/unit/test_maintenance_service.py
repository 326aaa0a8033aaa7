"""The daily purge: which tokens and idempotency keys it deletes, which it keeps, its log."""

import logging
from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.common.clock import utcnow
from app.models.idempotency_key import STATE_DONE, STATE_IN_FLIGHT, IdempotencyKey
from app.models.token import ACCESS, REFRESH, RESET, Token
from app.services import maintenance_service
from tests.factories import UserFactory

ALIVE = timedelta(hours=1)
EXPIRED = timedelta(seconds=-1)


def add_token(
    session: Session, kind: str, expires_in: timedelta, *, revoked: bool, used: bool = False
) -> str:
    """Store one token of `kind` and return its (made-up) hash."""
    user = UserFactory()
    now = utcnow()
    token_hash = f"{kind}-{expires_in.total_seconds():+.0f}-{revoked}-{used}".ljust(64, "0")
    session.add(
        Token(
            user_id=user.id,
            kind=kind,
            token_hash=token_hash,
            pair_id=token_hash[:32],
            expires_at=now + expires_in,
            revoked_at=now - timedelta(minutes=1) if revoked else None,
            used_at=now - timedelta(minutes=1) if used else None,
        )
    )
    session.commit()
    return token_hash


def add_key(session: Session, key: str, expires_in: timedelta, state: str = STATE_DONE) -> None:
    """Store one idempotency key that expires `expires_in` from now."""
    now = utcnow()
    session.add(
        IdempotencyKey(
            scope="user:1",
            key=key,
            fingerprint="f" * 64,
            state=state,
            created_at=now + expires_in - timedelta(hours=24),
            expires_at=now + expires_in,
        )
    )
    session.commit()


def tokens_left(session: Session) -> set[str]:
    return set(session.scalars(select(Token.token_hash)))


def keys_left(session: Session) -> set[str]:
    return set(session.scalars(select(IdempotencyKey.key)))


# A token's state: (revoked, spent).
LIVE, REVOKED, SPENT, SPENT_AND_REVOKED = (False, False), (True, False), (False, True), (True, True)


@pytest.mark.parametrize(
    ("kind", "expires_in", "state", "is_kept"),
    [
        # Live tokens stay.
        (ACCESS, ALIVE, LIVE, True),
        (REFRESH, timedelta(days=30), LIVE, True),
        (RESET, ALIVE, LIVE, True),
        # Expired tokens go, whatever their state.
        (ACCESS, EXPIRED, LIVE, False),
        (REFRESH, EXPIRED, LIVE, False),
        (RESET, EXPIRED, LIVE, False),
        (REFRESH, EXPIRED, SPENT_AND_REVOKED, False),
        # Revoked or spent tokens are refused exactly as unknown ones are: they go at once.
        (ACCESS, ALIVE, REVOKED, False),
        (REFRESH, timedelta(days=30), REVOKED, False),
        (RESET, ALIVE, REVOKED, False),
        (RESET, ALIVE, SPENT, False),
        # A spent refresh token presented again is reuse: it stays until it expires.
        (REFRESH, timedelta(days=30), SPENT_AND_REVOKED, True),
        (REFRESH, timedelta(days=30), SPENT, True),
    ],
)
def test_the_purge_deletes_dead_tokens_and_keeps_spent_refresh_tokens_until_they_expire(
    session: Session, kind: str, expires_in: timedelta, state: tuple[bool, bool], is_kept: bool
) -> None:
    revoked, used = state
    token_hash = add_token(session, kind, expires_in, revoked=revoked, used=used)

    maintenance_service.purge_expired(session)

    assert (token_hash in tokens_left(session)) is is_kept


@pytest.mark.parametrize(
    ("expires_in", "state", "is_kept"),
    [
        (timedelta(hours=23), STATE_DONE, True),
        (timedelta(minutes=1), STATE_IN_FLIGHT, True),
        (EXPIRED, STATE_DONE, False),
        (EXPIRED, STATE_IN_FLIGHT, False),
        (timedelta(days=-30), STATE_DONE, False),
    ],
)
def test_the_purge_deletes_idempotency_keys_past_their_24_hours(
    session: Session, expires_in: timedelta, state: str, is_kept: bool
) -> None:
    add_key(session, "k", expires_in, state)

    maintenance_service.purge_expired(session)

    assert ("k" in keys_left(session)) is is_kept


def test_the_purge_returns_and_logs_how_many_rows_of_each_it_deleted(
    session: Session, caplog: pytest.LogCaptureFixture
) -> None:
    add_token(session, ACCESS, EXPIRED, revoked=False)
    add_token(session, ACCESS, ALIVE, revoked=True)
    add_token(session, REFRESH, timedelta(days=1), revoked=False)
    for key in ("a", "b", "c"):
        add_key(session, key, EXPIRED)
    add_key(session, "live", ALIVE)
    caplog.set_level(logging.INFO, logger=maintenance_service.__name__)

    counts = maintenance_service.purge_expired(session)

    assert counts == {"tokens": 2, "idempotency_keys": 3}
    assert [record.getMessage() for record in caplog.records] == [
        "maintenance: purged 2 dead tokens",
        "maintenance: purged 3 expired idempotency keys",
    ]


def test_the_purge_with_nothing_to_delete_reports_zeros(session: Session) -> None:
    add_token(session, ACCESS, ALIVE, revoked=False)
    add_key(session, "live", ALIVE)

    assert maintenance_service.purge_expired(session) == {"tokens": 0, "idempotency_keys": 0}
    assert maintenance_service.purge_expired(session) == {"tokens": 0, "idempotency_keys": 0}


def test_the_purge_commits_its_work(session: Session) -> None:
    add_token(session, ACCESS, EXPIRED, revoked=False)
    add_key(session, "old", EXPIRED)

    maintenance_service.purge_expired(session)
    session.rollback()

    assert tokens_left(session) == set()
    assert keys_left(session) == set()

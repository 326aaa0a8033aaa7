"""Scheduled clean-up: which tokens the daily purge deletes and which it keeps."""

from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.common.clock import utcnow
from app.models.token import ACCESS, REFRESH, Token
from app.services import maintenance_service
from tests.factories import UserFactory


def add_token(session: Session, kind: str, expires_in: timedelta, *, revoked: bool) -> str:
    """Store one token of `kind` and return its (made-up) hash."""
    user = UserFactory()
    now = utcnow()
    token_hash = f"{kind}-{expires_in.total_seconds():+.0f}-{revoked}".ljust(64, "0")
    session.add(
        Token(
            user_id=user.id,
            kind=kind,
            token_hash=token_hash,
            pair_id=token_hash[:32],
            expires_at=now + expires_in,
            revoked_at=now - timedelta(minutes=1) if revoked else None,
        )
    )
    session.commit()
    return token_hash


def remaining(session: Session) -> set[str]:
    return set(session.scalars(select(Token.token_hash)))


@pytest.mark.parametrize(
    ("kind", "expires_in", "revoked", "is_kept"),
    [
        (ACCESS, timedelta(hours=1), False, True),
        (REFRESH, timedelta(days=30), False, True),
        (ACCESS, timedelta(seconds=-1), False, False),
        (REFRESH, timedelta(seconds=-1), False, False),
        (ACCESS, timedelta(hours=1), True, False),
        (REFRESH, timedelta(days=30), True, True),
        (REFRESH, timedelta(seconds=-1), True, False),
    ],
)
def test_the_purge_deletes_dead_tokens_and_keeps_refresh_tokens_needed_for_reuse_checks(
    session: Session, kind: str, expires_in: timedelta, revoked: bool, is_kept: bool
) -> None:
    token_hash = add_token(session, kind, expires_in, revoked=revoked)

    maintenance_service.purge_dead_tokens(session)

    assert (token_hash in remaining(session)) is is_kept


def test_the_purge_returns_how_many_tokens_it_deleted(session: Session) -> None:
    add_token(session, ACCESS, timedelta(seconds=-1), revoked=False)
    add_token(session, ACCESS, timedelta(hours=1), revoked=True)
    add_token(session, REFRESH, timedelta(days=1), revoked=False)

    assert maintenance_service.purge_dead_tokens(session) == 2


def test_the_purge_commits_its_work(session: Session) -> None:
    add_token(session, ACCESS, timedelta(seconds=-1), revoked=False)

    maintenance_service.purge_dead_tokens(session)
    session.rollback()

    assert remaining(session) == set()

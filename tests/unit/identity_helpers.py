"""Helpers shared by the user and auth service tests: a good password, lifetimes, tokens."""

from datetime import timedelta

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from app.common.clock import utcnow
from app.models.token import Token
from app.models.user import User
from app.services.auth_service import TokenLifetimes, hash_token

GOOD_PASSWORD = "a long enough passphrase"
LIFETIMES = TokenLifetimes(access=600, refresh=3600)


def live_tokens(session: Session, user: User) -> int:
    """Count the user's tokens that are not revoked (expired ones included)."""
    query = (
        select(func.count())
        .select_from(Token)
        .where(Token.user_id == user.id, Token.revoked_at.is_(None))
    )
    return session.scalar(query) or 0


def expire_token(session: Session, raw_token: str) -> None:
    """Move a token's expiry one second into the past, and commit."""
    session.execute(
        update(Token)
        .where(Token.token_hash == hash_token(raw_token))
        .values(expires_at=utcnow() - timedelta(seconds=1))
    )
    session.commit()

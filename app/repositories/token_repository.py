"""Queries over API and password-reset tokens (looked up by the SHA-256 of their secret)."""

from datetime import datetime

from sqlalchemy import bindparam, delete, select, update
from sqlalchemy.orm import Session, contains_eager

from app.models.token import ACCESS, Token
from app.models.user import User


def add(session: Session, token: Token) -> None:
    """Stage a new token."""
    session.add(token)


# Every signed-in API request runs this query: it is built once, and each request only
# binds its two values (building it anew cost half of `GET /api/users/me`).
_LIVE_ACCESS = (
    select(Token)
    .join(Token.user)
    .options(contains_eager(Token.user).joinedload(User.roles))
    .where(
        Token.token_hash == bindparam("token_hash"),
        Token.kind == ACCESS,
        Token.revoked_at.is_(None),
        Token.expires_at > bindparam("now"),
        User.is_active.is_(True),
    )
)


def find_live_access(session: Session, token_hash: str, now: datetime) -> Token | None:
    """Return a usable access token with its active user and roles, in one query.

    Usable: an access token, not revoked, not expired, whose user is active.
    """
    values = {"token_hash": token_hash, "now": now}
    return session.scalars(_LIVE_ACCESS, values).unique().first()


def get_by_hash(session: Session, token_hash: str) -> Token | None:
    """Return the token with this hash in whatever state, or None."""
    return session.scalars(select(Token).where(Token.token_hash == token_hash)).first()


def mark_used(session: Session, token_id: int, now: datetime) -> bool:
    """Spend a refresh or reset token; False when another request spent or revoked it first."""
    result = session.execute(
        update(Token)
        .where(Token.id == token_id, Token.used_at.is_(None), Token.revoked_at.is_(None))
        .values(used_at=now),
        execution_options={"synchronize_session": False},
    )
    return bool(getattr(result, "rowcount", 0) == 1)


def revoke_pair(session: Session, pair_id: str, now: datetime) -> None:
    """Revoke both tokens handed out together."""
    session.execute(
        update(Token)
        .where(Token.pair_id == pair_id, Token.revoked_at.is_(None))
        .values(revoked_at=now),
        execution_options={"synchronize_session": False},
    )


def revoke_all_for_user(
    session: Session, user_id: int, now: datetime, keep_pair_id: str | None = None
) -> None:
    """Revoke every live token of a user, except the pair `keep_pair_id` if given."""
    query = update(Token).where(Token.user_id == user_id, Token.revoked_at.is_(None))
    if keep_pair_id is not None:
        query = query.where(Token.pair_id != keep_pair_id)
    session.execute(query.values(revoked_at=now), execution_options={"synchronize_session": False})


def revoke_live_of_kind(session: Session, user_id: int, kind: str, now: datetime) -> None:
    """Revoke a user's tokens of one kind that are neither spent nor revoked yet."""
    session.execute(
        update(Token)
        .where(
            Token.user_id == user_id,
            Token.kind == kind,
            Token.used_at.is_(None),
            Token.revoked_at.is_(None),
        )
        .values(revoked_at=now),
        execution_options={"synchronize_session": False},
    )


def delete_expired(session: Session, now: datetime) -> int:
    """Delete expired tokens; return how many went.

    Revoked tokens stay until they expire: a spent refresh token must still be
    recognised when it is presented again, so its reuse can be detected.
    """
    result = session.execute(
        delete(Token).where(Token.expires_at <= now),
        execution_options={"synchronize_session": False},
    )
    return int(getattr(result, "rowcount", 0))

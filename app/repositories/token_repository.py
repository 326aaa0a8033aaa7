"""Queries over API and password-reset tokens (looked up by the SHA-256 of their secret)."""

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, and_, bindparam, delete, insert, not_, or_, select, update
from sqlalchemy.orm import Session

from app.models.role import Role
from app.models.token import ACCESS, REFRESH, Token
from app.models.user import User
from app.models.user_role import user_roles
from app.repositories.prepared_query import PreparedQuery, Reader

# (token id, pair id, user id, role name or None)
LiveAccessRow = tuple[int, str, int, str | None]


def add(session: Session, token: Token) -> None:
    """Stage a new token."""
    session.add(token)


def insert_many(session: Session, rows: Sequence[Mapping[str, Any]]) -> None:
    """Write new tokens at once, in one executemany INSERT that reads nothing back.

    Each row names every column but `id`, `revoked_at` and `used_at`.
    """
    session.connection().execute(_INSERT, list(rows))


_TOKENS = cast(Table, Token.__table__)
_USERS = cast(Table, User.__table__)
_ROLES = cast(Table, Role.__table__)
_INSERT = insert(_TOKENS)

# Every signed-in API request runs this query, so it reads columns, not ORM objects, and
# is compiled once per dialect (PreparedQuery): each request only binds its two values. A
# user's roles come as one row each (the name None when they hold none), joined here
# rather than queried apart.
LIVE_ACCESS = PreparedQuery(
    select(_TOKENS.c.id, _TOKENS.c.pair_id, _TOKENS.c.user_id, _ROLES.c.name)
    .select_from(
        _TOKENS.join(_USERS, _USERS.c.id == _TOKENS.c.user_id)
        .outerjoin(user_roles, user_roles.c.user_id == _USERS.c.id)
        .outerjoin(_ROLES, _ROLES.c.id == user_roles.c.role_id)
    )
    .where(
        _TOKENS.c.token_hash == bindparam("token_hash"),
        _TOKENS.c.kind == ACCESS,
        _TOKENS.c.revoked_at.is_(None),
        _TOKENS.c.expires_at > bindparam("now"),
        _USERS.c.is_active.is_(True),
    )
)


def find_live_access(reader: Reader, token_hash: str, now: datetime) -> Sequence[LiveAccessRow]:
    """Return a usable access token as rows of (token id, pair id, user id, role name).

    One row per role the user holds, or one row with the role None when they hold none;
    no rows when the token is unusable: not an access token, revoked, expired, or its
    user deactivated.
    """
    values = {"token_hash": token_hash, "now": now}
    rows = LIVE_ACCESS.all(reader, values)
    return cast(Sequence[LiveAccessRow], rows)


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


def delete_dead(session: Session, now: datetime) -> int:
    """Delete every token nothing will accept or look at again; return how many went.

    That is each expired token, and each revoked or spent one except a spent refresh
    token, which stays until it expires: presenting it again is reuse, which revokes the
    user's other tokens (`auth_service.refresh`), so it must not turn into an unknown token.
    """
    spent_refresh = and_(Token.kind == REFRESH, Token.used_at.is_not(None))
    finished = or_(Token.revoked_at.is_not(None), Token.used_at.is_not(None))
    result = session.execute(
        delete(Token).where(or_(Token.expires_at <= now, and_(finished, not_(spent_refresh)))),
        execution_options={"synchronize_session": False},
    )
    return int(getattr(result, "rowcount", 0))

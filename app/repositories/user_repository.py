"""Queries over users and roles."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import cast

from sqlalchemy import Table, bindparam, func, select, update
from sqlalchemy.orm import Session, joinedload, selectinload

from app.models.role import ADMIN, Role
from app.models.user import User
from app.models.user_role import user_roles


def get_by_id(session: Session, user_id: int) -> User | None:
    """Return the user with this id (roles loaded), or None."""
    return session.scalars(
        select(User).options(selectinload(User.roles)).where(User.id == user_id)
    ).first()


# Built once: an API caller's own account is loaded on each PATCH /api/users/me.
_BY_ID_WITH_ROLES = (
    select(User).options(joinedload(User.roles)).where(User.id == bindparam("user_id"))
)


def get_with_roles(session: Session, user_id: int) -> User | None:
    """Return the user with this id, roles joined in the same query, or None."""
    return session.scalars(_BY_ID_WITH_ROLES, {"user_id": user_id}).unique().first()


def get_by_email(session: Session, email: str) -> User | None:
    """Return the user with this (already normalised) email, or None."""
    return session.scalars(
        select(User).options(selectinload(User.roles)).where(User.email == email)
    ).first()


def find_for_sign_in(session: Session, email: str) -> User | None:
    """Return the user with this (already normalised) email without its roles, or None.

    The dashboard's sign-in keeps the `User` for its session; the roles stay unloaded
    (they load on first use), which saves a statement on every sign-in.
    """
    return session.scalars(select(User).where(User.email == email)).first()


_USERS = cast(Table, User.__table__)
_ROLES = cast(Table, Role.__table__)
_CREDENTIALS = select(_USERS.c.id, _USERS.c.password_hash, _USERS.c.is_active).where(
    _USERS.c.email == bindparam("email")
)
_PROFILE = (
    select(
        _USERS.c.id,
        _USERS.c.email,
        _USERS.c.name,
        _USERS.c.is_active,
        _USERS.c.last_login_at,
        _USERS.c.created_at,
        _USERS.c.updated_at,
        _USERS.c.version,
        _ROLES.c.name,
    )
    .select_from(
        _USERS.outerjoin(user_roles, user_roles.c.user_id == _USERS.c.id).outerjoin(
            _ROLES, _ROLES.c.id == user_roles.c.role_id
        )
    )
    .where(_USERS.c.id == bindparam("user_id"))
)


@dataclass(frozen=True, slots=True)
class UserProfile:
    """A user as the API shows them, with the version behind their ETag (no password hash)."""

    id: int
    email: str
    name: str | None
    is_active: bool
    last_login_at: datetime | None
    created_at: datetime
    updated_at: datetime
    version: int
    role_names: list[str]


def find_credentials(session: Session, email: str) -> tuple[int, str, bool] | None:
    """Return (id, password hash, active flag) of the user with this email, or None.

    A read of three columns, not of a `User`: the API's sign-in needs no more.
    """
    row = session.connection().execute(_CREDENTIALS, {"email": email}).first()
    return None if row is None else cast(tuple[int, str, bool], tuple(row))


def get_profile(session: Session, user_id: int) -> UserProfile | None:
    """Return what the API shows of a user, read as columns without the ORM, or None."""
    rows = session.connection().execute(_PROFILE, {"user_id": user_id}).all()
    if not rows:
        return None
    roles = sorted(row[-1] for row in rows if row[-1] is not None)
    return UserProfile(*rows[0][:-1], role_names=roles)


def list_page(
    session: Session,
    after_id: int | None,
    limit: int,
    *,
    role: str | None = None,
    is_active: bool | None = None,
) -> Sequence[User]:
    """Return up to `limit` users with an id above `after_id`, by id, roles loaded."""
    query = select(User).options(selectinload(User.roles)).order_by(User.id).limit(limit)
    if after_id is not None:
        query = query.where(User.id > after_id)
    if is_active is not None:
        query = query.where(User.is_active.is_(is_active))
    if role is not None:
        holders = select(user_roles.c.user_id).join(Role).where(Role.name == role)
        query = query.where(User.id.in_(holders))
    return session.scalars(query).all()


def list_all(session: Session) -> Sequence[User]:
    """Return every user by id, roles loaded (for the command line)."""
    return session.scalars(select(User).options(selectinload(User.roles)).order_by(User.id)).all()


def get_roles_by_names(session: Session, names: Sequence[str]) -> Sequence[Role]:
    """Return the roles with these names (unknown names are simply absent)."""
    return session.scalars(select(Role).where(Role.name.in_(names)).order_by(Role.name)).all()


def count_active_admins(session: Session) -> int:
    """Count the active users who hold the admin role."""
    query = (
        select(func.count())
        .select_from(User)
        .join(user_roles)
        .join(Role)
        .where(Role.name == ADMIN, User.is_active.is_(True))
    )
    return session.scalar(query) or 0


def add(session: Session, user: User) -> None:
    """Stage a new user and write it, so a duplicate email fails here."""
    session.add(user)
    session.flush()


def delete(session: Session, user: User) -> None:
    """Stage the deletion of a user (their tokens and role links cascade)."""
    session.delete(user)


# Built once, as two statements: with and without a new hash. `updated_at` is set to
# itself so its on-update default stays out: signing in is not an edit.
_RECORD_LOGIN = (
    update(_USERS)
    .where(_USERS.c.id == bindparam("user_key"))
    .values(last_login_at=bindparam("moment"), updated_at=_USERS.c.updated_at)
)
_RECORD_LOGIN_REHASHED = _RECORD_LOGIN.values(password_hash=bindparam("new_hash"))


def record_login(
    session: Session, user_id: int, moment: datetime, new_hash: str | None = None
) -> None:
    """Set `last_login_at` (and a rehashed password) without touching `version`.

    A plain UPDATE, not the versioned unit of work: two logins at once must both succeed,
    and signing in is not an edit, so neither `version` (the ETag) nor `updated_at` moves.
    It runs as Core on the session's connection: the ORM's bulk-update path costs more
    than the write itself.
    """
    values: dict[str, object] = {"user_key": user_id, "moment": moment}
    statement = _RECORD_LOGIN
    if new_hash is not None:
        values["new_hash"] = new_hash
        statement = _RECORD_LOGIN_REHASHED
    session.connection().execute(statement, values)


def set_password_hash(session: Session, user_id: int, password_hash: str, now: datetime) -> None:
    """Replace a user's password hash, bumping `version` and `updated_at` as an edit does.

    A plain UPDATE: a password reset must not fail because an admin renamed the user in
    the same instant, which the versioned unit of work would report as a stale write.
    """
    session.execute(
        update(User)
        .where(User.id == user_id)
        .values(password_hash=password_hash, version=User.version + 1, updated_at=now),
        execution_options={"synchronize_session": False},
    )

"""Queries over users and roles."""

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, selectinload

from app.models.role import ADMIN, Role
from app.models.user import User
from app.models.user_role import user_roles


def get_by_id(session: Session, user_id: int) -> User | None:
    """Return the user with this id (roles loaded), or None."""
    return session.scalars(
        select(User).options(selectinload(User.roles)).where(User.id == user_id)
    ).first()


def get_by_email(session: Session, email: str) -> User | None:
    """Return the user with this (already normalised) email, or None."""
    return session.scalars(
        select(User).options(selectinload(User.roles)).where(User.email == email)
    ).first()


def find_for_sign_in(session: Session, email: str) -> User | None:
    """Return the user with this (already normalised) email without its roles, or None.

    Signing in reads only the password hash and the active flag; the roles stay unloaded
    (they load on first use), which saves a statement on every sign-in.
    """
    return session.scalars(select(User).where(User.email == email)).first()


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


def record_login(
    session: Session, user_id: int, moment: datetime, new_hash: str | None = None
) -> None:
    """Set `last_login_at` (and a rehashed password) without touching `version`.

    A plain UPDATE, not the versioned unit of work: two logins at once must both succeed,
    and signing in is not an edit, so neither `version` (the ETag) nor `updated_at` moves.
    """
    values: dict[str, object] = {"last_login_at": moment, "updated_at": User.updated_at}
    if new_hash is not None:
        values["password_hash"] = new_hash
    session.execute(
        update(User).where(User.id == user_id).values(**values),
        execution_options={"synchronize_session": False},
    )


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

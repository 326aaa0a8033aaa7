"""Users: sign-up, look-ups, and administration (roles, deactivation, deletion).

Emails are trimmed and lower-cased here, whoever calls; the database's unique index
settles concurrent sign-ups. An admin sees every user; anyone else sees only themselves
(404 for others) and may not edit themselves through the admin operations (403).
An `actor` of None is the operator at the command line, who may do everything.
The signed-in user's own profile and password are `profile_service`'s.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from email_validator import EmailNotValidError, validate_email
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.common.clock import utcnow
from app.common.errors import (
    BadRequestError,
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
    ValidationError,
)
from app.common.pagination import MAX_LIMIT, Page, decode_cursor, encode_cursor
from app.models.role import ADMIN, Role
from app.models.user import User
from app.repositories import token_repository, user_repository
from app.services import passwords, profile_service
from app.services.access import Actor
from app.services.keyset_cursor import read_row_id
from app.services.versioning import check_version, commit_versioned

DUPLICATE_EMAIL = "An account with this email already exists."


@dataclass(frozen=True)
class NewUser:
    """What a new account is made of."""

    email: str
    password: str
    name: str | None = None
    roles: Sequence[str] = ()


@dataclass(frozen=True)
class UserChanges:
    """An administrator's edit of a user; None leaves a field as it is."""

    name: str | None = None
    is_active: bool | None = None
    roles: Sequence[str] | None = None


@dataclass(frozen=True)
class UserFilter:
    """Filters of the user list; None means any."""

    role: str | None = None
    is_active: bool | None = None


def normalise_email(email: str) -> str:
    """Return the stored form of an email address: trimmed and lower-cased."""
    return email.strip().lower()


def sign_up(session: Session, new_user: NewUser, *, is_enabled: bool) -> User:
    """Create an account for an anonymous visitor (never with roles).

    Raises:
        PermissionDeniedError: when sign-up is switched off (SIGNUP_ENABLED).
        ValidationError, ConflictError: as `create_user`.
    """
    if not is_enabled:
        raise PermissionDeniedError("Sign-up is disabled; ask an administrator for an account.")
    return _register(session, NewUser(new_user.email, new_user.password, new_user.name))


def create_user(session: Session, actor: Actor | None, new_user: NewUser) -> User:
    """Create an account with roles (an administrator or the command line).

    Raises:
        PermissionDeniedError: when the actor is not an admin.
        ValidationError: for a bad email, weak password or unknown role.
        ConflictError: when the email is taken, in any letter case.
    """
    if actor is not None and not actor.is_admin:
        raise PermissionDeniedError("Only an admin may create users.")
    return _register(session, new_user)


def get_user(session: Session, actor: Actor | None, user_id: int) -> User:
    """Return a user the actor may see.

    Raises:
        NotFoundError: for an unknown id, or another user's id when the actor is no admin.
    """
    if actor is not None and actor.id == user_id:
        return profile_service.own_account(session, actor)
    if actor is not None and not actor.is_admin:
        raise NotFoundError(f"No user with id {user_id}.")
    user = user_repository.get_by_id(session, user_id)
    if user is None:
        raise NotFoundError(f"No user with id {user_id}.")
    return user


def get_user_by_email(session: Session, email: str) -> User:
    """Return the user with this email in any letter case, or raise NotFoundError."""
    user = user_repository.get_by_email(session, normalise_email(email))
    if user is None:
        raise NotFoundError(f"No user with email {normalise_email(email)}.")
    return user


def list_users(
    session: Session, actor: Actor | None, filters: UserFilter, limit: int, cursor: str | None
) -> Page[User]:
    """Return one page of users by id, for an admin.

    Raises:
        PermissionDeniedError: when the actor is not an admin.
        ValidationError: for a limit outside 1..100.
        BadRequestError: for a cursor this API did not give out.
    """
    if actor is not None and not actor.is_admin:
        raise PermissionDeniedError("Only an admin may list users.")
    if not 1 <= limit <= MAX_LIMIT:
        raise ValidationError(errors={"limit": [f"Use a number from 1 to {MAX_LIMIT}."]})
    after_id = _cursor_id(cursor) if cursor else None
    rows = user_repository.list_page(
        session, after_id, limit + 1, role=filters.role, is_active=filters.is_active
    )
    items = rows[:limit]
    next_cursor = encode_cursor([items[-1].id]) if len(rows) > limit else None
    return Page(items=items, next_cursor=next_cursor)


def list_all_users(session: Session) -> Sequence[User]:
    """Return every user by id (for the command line)."""
    return user_repository.list_all(session)


def update_user(
    session: Session,
    actor: Actor | None,
    user_id: int,
    changes: UserChanges,
    expected_version: int | None = None,
) -> User:
    """Change a user's name, roles or active flag (an admin's edit).

    Deactivation revokes the user's tokens at once.

    Raises:
        NotFoundError: for an unknown id, or another user's id for a non-admin.
        PermissionDeniedError: when a non-admin tries to edit themselves this way.
        ValidationError: for an unknown role.
        ConflictError: when the change would leave no active admin.
        PreconditionFailedError: when someone else changed the user meanwhile.
    """
    user = _editable_user(session, actor, user_id)
    check_version(user.version, expected_version)
    if _would_lose_admin(user, changes):
        _keep_an_admin(session)
    # Queries first: each one flushes pending edits, and a lost race must surface in the commit.
    if changes.is_active is False:
        token_repository.revoke_all_for_user(session, user.id, utcnow())
    if changes.roles is not None:
        user.roles = list(_roles_named(session, changes.roles))
    if changes.is_active is not None:
        user.is_active = changes.is_active
    if changes.name is not None:
        user.name = changes.name or None
    commit_versioned(session)
    return user


def delete_user(
    session: Session, actor: Actor | None, user_id: int, expected_version: int | None = None
) -> None:
    """Delete a user with their tokens and role links.

    Raises:
        NotFoundError: for an unknown id, or another user's id for a non-admin.
        PermissionDeniedError: when a non-admin tries to delete themselves this way.
        ConflictError: when it would leave no active admin.
        PreconditionFailedError: when someone else changed the user meanwhile.
    """
    user = _editable_user(session, actor, user_id)
    check_version(user.version, expected_version)
    if user.is_admin and user.is_active:
        _keep_an_admin(session)
    user_repository.delete(session, user)
    commit_versioned(session)


def _register(session: Session, new_user: NewUser) -> User:
    email = _valid_email(new_user.email)
    passwords.check_strength(email, new_user.password)
    user = User(
        email=email,
        password_hash=passwords.hash_password(new_user.password),
        name=new_user.name or None,
        is_active=True,
        roles=list(_roles_named(session, new_user.roles)),
    )
    try:
        user_repository.add(session, user)
        session.commit()
    except IntegrityError as error:
        session.rollback()
        raise ConflictError(DUPLICATE_EMAIL) from error
    return user


def _valid_email(email: str) -> str:
    address = normalise_email(email)
    try:
        validate_email(address, check_deliverability=False)
    except EmailNotValidError as error:
        raise ValidationError(errors={"email": [str(error)]}) from error
    return address


def _roles_named(session: Session, names: Sequence[str]) -> Sequence[Role]:
    wanted = sorted(set(names))
    roles = user_repository.get_roles_by_names(session, wanted) if wanted else []
    unknown = sorted(set(wanted) - {role.name for role in roles})
    if unknown:
        raise ValidationError(errors={"roles": [f"Unknown role: {name}." for name in unknown]})
    return roles


def _editable_user(session: Session, actor: Actor | None, user_id: int) -> User:
    user = get_user(session, actor, user_id)
    if actor is not None and not actor.is_admin:
        raise PermissionDeniedError("Only an admin may change users; use /api/users/me.")
    return user


def _would_lose_admin(user: User, changes: UserChanges) -> bool:
    if not (user.is_admin and user.is_active):
        return False
    return changes.is_active is False or (changes.roles is not None and ADMIN not in changes.roles)


def _keep_an_admin(session: Session) -> None:
    if user_repository.count_active_admins(session) <= 1:
        raise ConflictError("This is the last active admin; make another admin first.")


def _cursor_id(cursor: str) -> int:
    (last_id,) = decode_cursor(cursor, 1)
    try:
        return read_row_id(last_id)  # a forged id would overflow PostgreSQL's INTEGER
    except (TypeError, ValueError) as error:
        raise BadRequestError("The cursor is not one this API gave out.") from error

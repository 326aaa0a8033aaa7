"""The signed-in user's own account: reading the profile, changing the name or password.

The caller is always an `Actor` here: the dashboard's `User` itself, or the API's caller
loaded by id. A password change needs the current password and signs out the caller's
other tokens.
"""

from dataclasses import dataclass

from sqlalchemy.orm import Session

from app.common.clock import utcnow
from app.common.errors import AuthenticationError
from app.models.user import User
from app.repositories import token_repository, user_repository
from app.repositories.user_repository import UserProfile
from app.services import passwords
from app.services.access import Actor
from app.services.versioning import check_version, commit_versioned


@dataclass(frozen=True)
class ProfileChanges:
    """A user's edit of their own profile; a new password needs the current one."""

    name: str | None = None
    password: str | None = None
    current_password: str | None = None


def get_profile(session: Session, actor: Actor) -> UserProfile:
    """Return the caller's own account, read as columns (one query, no ORM).

    Raises:
        AuthenticationError: when the account went after the caller's token was checked.
    """
    profile = user_repository.get_profile(session, actor.id)
    if profile is None:
        raise AuthenticationError()
    return profile


def update_profile(
    session: Session,
    actor: Actor,
    changes: ProfileChanges,
    keep_pair_id: str | None,
    expected_version: int | None = None,
) -> User:
    """Change the caller's own name or password.

    A new password needs the current one, and revokes every other token of the caller
    (all but the pair `keep_pair_id`, the one this request came with).

    Raises:
        ValidationError: for a missing or wrong current password, or a weak new one.
        PreconditionFailedError: when the account changed since the caller read it.
    """
    user = own_account(session, actor)
    check_version(user.version, expected_version)
    if changes.password is not None:
        passwords.check_current(user.password_hash, changes.current_password)
        passwords.check_strength(user.email, changes.password)
        token_repository.revoke_all_for_user(session, user.id, utcnow(), keep_pair_id)
        user.password_hash = passwords.hash_password(changes.password)
    if changes.name is not None:
        user.name = changes.name or None
    commit_versioned(session)
    return user


def own_account(session: Session, actor: Actor) -> User:
    """Return the actor's `User`: itself on the dashboard, loaded by id for an API caller.

    Raises:
        AuthenticationError: when the account went after the caller's token was checked.
    """
    if isinstance(actor, User):
        return actor
    user = user_repository.get_with_roles(session, actor.id)
    if user is None:
        raise AuthenticationError()
    return user

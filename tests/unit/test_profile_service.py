"""profile_service: the caller's own profile, read as columns, and their name and password."""

from collections.abc import Callable

import pytest
from sqlalchemy.orm import Session

from app.common.errors import AuthenticationError, ValidationError
from app.models.user import User
from app.services import auth_service, passwords, profile_service
from app.services.access import Caller
from app.services.profile_service import ProfileChanges
from tests.factories import DEFAULT_PASSWORD, UserFactory
from tests.unit.identity_helpers import GOOD_PASSWORD, live_tokens

# --- reading ----------------------------------------------------------------------------


def test_the_profile_is_the_callers_own_account_read_without_the_orm(session: Session) -> None:
    user = UserFactory(name="Ann", roles=["manager", "admin"])
    caller = auth_service.authenticate(
        session,
        auth_service.issue_tokens(session, user, auth_service.TokenLifetimes()).access_token,
    )

    profile = profile_service.get_profile(session, caller)

    assert not isinstance(profile, User)
    assert (profile.id, profile.email, profile.name, profile.is_active, profile.version) == (
        user.id,
        user.email,
        "Ann",
        True,
        user.version,
    )
    assert profile.role_names == ["admin", "manager"]
    assert (profile.created_at, profile.updated_at) == (user.created_at, user.updated_at)


def test_a_profile_without_roles_lists_none(session: Session) -> None:
    user = UserFactory()

    assert profile_service.get_profile(session, user).role_names == []


def test_the_own_account_of_a_dashboard_user_is_that_user(session: Session) -> None:
    user = UserFactory()

    assert profile_service.own_account(session, user) is user


def test_the_own_account_of_an_api_caller_is_loaded_by_id(session: Session) -> None:
    user = UserFactory(roles=["manager"])
    caller = Caller(id=user.id, token_id=1, pair_id="p", roles=frozenset({"manager"}))

    assert profile_service.own_account(session, caller) is user


@pytest.mark.parametrize("read", [profile_service.get_profile, profile_service.own_account])
def test_a_deleted_caller_is_refused_their_profile_and_account(
    session: Session, read: Callable[[Session, Caller], object]
) -> None:
    caller = Caller(id=999_999, token_id=1, pair_id="gone", roles=frozenset())

    with pytest.raises(AuthenticationError):
        read(session, caller)


# --- changes ----------------------------------------------------------------------------


def test_an_api_caller_renames_themselves(session: Session) -> None:
    user = UserFactory()
    caller = Caller(id=user.id, token_id=1, pair_id="p", roles=frozenset())

    changed = profile_service.update_profile(session, caller, ProfileChanges(name="Bo"), None)

    assert changed is user
    assert user.name == "Bo"
    assert user.version == 2


def test_a_user_renames_themselves(session: Session) -> None:
    user = UserFactory()

    assert (
        profile_service.update_profile(session, user, ProfileChanges(name="New"), None).name
        == "New"
    )


def test_a_password_change_needs_the_current_password(session: Session) -> None:
    user = UserFactory()

    with pytest.raises(ValidationError) as caught:
        profile_service.update_profile(session, user, ProfileChanges(password=GOOD_PASSWORD), None)

    assert list(caught.value.errors) == ["current_password"]


def test_a_password_change_with_a_wrong_current_password_is_refused(session: Session) -> None:
    user = UserFactory()
    changes = ProfileChanges(password=GOOD_PASSWORD, current_password="not my password")

    with pytest.raises(ValidationError) as caught:
        profile_service.update_profile(session, user, changes, None)

    assert caught.value.errors == {"current_password": ["This is not your current password."]}


def test_a_weak_new_password_is_refused(session: Session) -> None:
    user = UserFactory()
    changes = ProfileChanges(password="short", current_password=DEFAULT_PASSWORD)

    with pytest.raises(ValidationError) as caught:
        profile_service.update_profile(session, user, changes, None)

    assert list(caught.value.errors) == ["password"]


def test_a_password_change_revokes_every_other_token_but_keeps_this_one(session: Session) -> None:
    user = UserFactory()
    lifetimes = auth_service.TokenLifetimes()
    mine = auth_service.issue_tokens(session, user, lifetimes)
    auth_service.issue_tokens(session, user, lifetimes)
    my_pair = auth_service.authenticate(session, mine.access_token).pair_id
    changes = ProfileChanges(password=GOOD_PASSWORD, current_password=DEFAULT_PASSWORD)

    profile_service.update_profile(session, user, changes, my_pair)

    assert passwords.verify_password(user.password_hash, GOOD_PASSWORD)
    assert live_tokens(session, user) == 2
    assert auth_service.authenticate(session, mine.access_token).user_id == user.id

"""user_service look-ups (by id, by email, the caller) and the caller's own profile changes."""

from datetime import timedelta

import pytest
from sqlalchemy.orm import Session

from app.common.clock import utcnow
from app.common.errors import AuthenticationError, NotFoundError, ValidationError
from app.models.token import Token
from app.models.user import User
from app.services import auth_service, passwords, user_service
from app.services.access import Caller
from app.services.user_service import ProfileChanges
from tests.factories import DEFAULT_PASSWORD, UserFactory
from tests.unit.identity_helpers import GOOD_PASSWORD, live_tokens

# --- reading ----------------------------------------------------------------------------


def test_anyone_may_get_themselves(session: Session) -> None:
    user = UserFactory()

    assert user_service.get_user(session, user, user.id) is user


def test_a_non_admin_gets_not_found_for_another_user(session: Session) -> None:
    manager, other = UserFactory(roles=["manager"]), UserFactory()

    with pytest.raises(NotFoundError):
        user_service.get_user(session, manager, other.id)


def test_an_admin_gets_any_user(session: Session) -> None:
    admin, other = UserFactory(roles=["admin"]), UserFactory()

    assert user_service.get_user(session, admin, other.id).id == other.id


def test_an_admin_gets_not_found_for_an_unknown_id(session: Session) -> None:
    admin = UserFactory(roles=["admin"])

    with pytest.raises(NotFoundError):
        user_service.get_user(session, admin, 999)


def test_a_user_is_found_by_email_in_any_letter_case(session: Session) -> None:
    user = UserFactory(email="ann@x.com")

    assert user_service.get_user_by_email(session, " ANN@x.com") is user


def test_an_unknown_email_is_not_found(session: Session) -> None:
    with pytest.raises(NotFoundError):
        user_service.get_user_by_email(session, "nobody@x.com")


def test_the_profile_is_the_callers_own_account_read_without_the_orm(session: Session) -> None:
    user = UserFactory(name="Ann", roles=["manager", "admin"])
    caller = auth_service.authenticate(
        session,
        auth_service.issue_tokens(session, user, auth_service.TokenLifetimes()).access_token,
    )

    profile = user_service.get_profile(session, caller)

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

    assert user_service.get_profile(session, user).role_names == []


def test_the_profile_of_a_deleted_caller_is_refused(session: Session) -> None:
    caller = Caller(id=999_999, token_id=1, pair_id="gone", roles=frozenset())

    with pytest.raises(AuthenticationError):
        user_service.get_profile(session, caller)


def test_an_api_caller_gets_their_own_orm_user(session: Session) -> None:
    user = UserFactory(roles=["manager"])
    caller = Caller(id=user.id, token_id=1, pair_id="p", roles=frozenset({"manager"}))

    assert user_service.get_user(session, caller, user.id) is user


def test_an_api_caller_renames_themselves(session: Session) -> None:
    user = UserFactory()
    caller = Caller(id=user.id, token_id=1, pair_id="p", roles=frozenset())

    changed = user_service.update_profile(session, caller, ProfileChanges(name="Bo"), None)

    assert changed is user
    assert user.name == "Bo"
    assert user.version == 2


# --- own profile ------------------------------------------------------------------------


def test_a_user_renames_themselves(session: Session) -> None:
    user = UserFactory()

    assert (
        user_service.update_profile(session, user, ProfileChanges(name="New"), None).name == "New"
    )


def test_a_password_change_needs_the_current_password(session: Session) -> None:
    user = UserFactory()

    with pytest.raises(ValidationError) as caught:
        user_service.update_profile(session, user, ProfileChanges(password=GOOD_PASSWORD), None)

    assert list(caught.value.errors) == ["current_password"]


def test_a_password_change_with_a_wrong_current_password_is_refused(session: Session) -> None:
    user = UserFactory()
    changes = ProfileChanges(password=GOOD_PASSWORD, current_password="not my password")

    with pytest.raises(ValidationError) as caught:
        user_service.update_profile(session, user, changes, None)

    assert caught.value.errors == {"current_password": ["This is not your current password."]}


def test_a_weak_new_password_is_refused(session: Session) -> None:
    user = UserFactory()
    changes = ProfileChanges(password="short", current_password=DEFAULT_PASSWORD)

    with pytest.raises(ValidationError) as caught:
        user_service.update_profile(session, user, changes, None)

    assert list(caught.value.errors) == ["password"]


def test_a_password_change_revokes_every_other_token_but_keeps_this_one(session: Session) -> None:
    user = UserFactory()
    lifetimes = auth_service.TokenLifetimes()
    mine = auth_service.issue_tokens(session, user, lifetimes)
    auth_service.issue_tokens(session, user, lifetimes)
    my_pair = auth_service.authenticate(session, mine.access_token).pair_id
    changes = ProfileChanges(password=GOOD_PASSWORD, current_password=DEFAULT_PASSWORD)

    user_service.update_profile(session, user, changes, my_pair)

    assert passwords.verify_password(user.password_hash, GOOD_PASSWORD)
    assert live_tokens(session, user) == 2
    assert auth_service.authenticate(session, mine.access_token).user_id == user.id


def test_tokens_expire_in_the_future_by_their_lifetime(session: Session) -> None:
    user = UserFactory()

    pair = auth_service.issue_tokens(session, user, auth_service.TokenLifetimes(access=60))

    token = session.get(Token, auth_service.authenticate(session, pair.access_token).token_id)
    assert token is not None
    assert utcnow() < token.expires_at <= utcnow() + timedelta(seconds=60)

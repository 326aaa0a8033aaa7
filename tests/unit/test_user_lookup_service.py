"""user_service look-ups: a user by id (yourself, or anyone for an admin) and by email."""

import pytest
from sqlalchemy.orm import Session

from app.common.errors import AuthenticationError, NotFoundError
from app.services import user_service
from app.services.access import Caller
from tests.factories import UserFactory

# --- by id ------------------------------------------------------------------------------


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


def test_an_api_caller_gets_their_own_orm_user(session: Session) -> None:
    user = UserFactory(roles=["manager"])
    caller = Caller(id=user.id, token_id=1, pair_id="p", roles=frozenset({"manager"}))

    assert user_service.get_user(session, caller, user.id) is user


def test_a_deleted_api_caller_getting_themselves_is_refused(session: Session) -> None:
    caller = Caller(id=999_999, token_id=1, pair_id="gone", roles=frozenset())

    with pytest.raises(AuthenticationError):
        user_service.get_user(session, caller, 999_999)


# --- by email ---------------------------------------------------------------------------


def test_a_user_is_found_by_email_in_any_letter_case(session: Session) -> None:
    user = UserFactory(email="ann@x.com")

    assert user_service.get_user_by_email(session, " ANN@x.com") is user


def test_an_unknown_email_is_not_found(session: Session) -> None:
    with pytest.raises(NotFoundError):
        user_service.get_user_by_email(session, "nobody@x.com")

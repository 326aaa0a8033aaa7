"""user_service sign-up and user creation: normalised email, password policy, roles."""

import pytest
from sqlalchemy.orm import Session

from app.common.errors import ConflictError, PermissionDeniedError, ValidationError
from app.models.user import User
from app.services import passwords, user_service
from app.services.user_service import NewUser
from tests.factories import UserFactory
from tests.unit.identity_helpers import GOOD_PASSWORD


def _sign_up(session: Session, email: str = "ann@example.com", **kwargs: object) -> User:
    return user_service.sign_up(session, NewUser(email, GOOD_PASSWORD, **kwargs), is_enabled=True)


# --- sign-up and creation ---------------------------------------------------------------


def test_sign_up_stores_the_email_trimmed_and_lower_cased(session: Session) -> None:
    user = _sign_up(session, "  Ann@X.com ")

    assert user.email == "ann@x.com"


@pytest.mark.parametrize("again", ["ann@x.com", "ANN@X.COM", " Ann@x.Com  "])
def test_sign_up_refuses_an_email_taken_in_any_letter_case(session: Session, again: str) -> None:
    _sign_up(session, "Ann@X.com ")

    with pytest.raises(ConflictError, match="already exists"):
        _sign_up(session, again)


def test_a_refused_duplicate_leaves_the_session_usable(session: Session) -> None:
    _sign_up(session, "ann@x.com")
    with pytest.raises(ConflictError):
        _sign_up(session, "ANN@x.com")

    assert _sign_up(session, "bob@x.com").id is not None


def test_sign_up_stores_an_argon2id_hash_never_the_password(session: Session) -> None:
    user = _sign_up(session)

    assert user.password_hash.startswith("$argon2id$")
    assert GOOD_PASSWORD not in user.password_hash
    assert passwords.verify_password(user.password_hash, GOOD_PASSWORD)


def test_sign_up_gives_no_role(session: Session) -> None:
    assert _sign_up(session).role_names == []


def test_sign_up_keeps_the_name(session: Session) -> None:
    assert _sign_up(session, name="Ann Example").name == "Ann Example"


def test_sign_up_is_refused_when_disabled(session: Session) -> None:
    with pytest.raises(PermissionDeniedError, match="disabled"):
        user_service.sign_up(session, NewUser("ann@x.com", GOOD_PASSWORD), is_enabled=False)


@pytest.mark.parametrize("email", ["not-an-email", "ann@", "@x.com", "ann@localhost"])
def test_sign_up_refuses_a_bad_email(session: Session, email: str) -> None:
    with pytest.raises(ValidationError) as caught:
        _sign_up(session, email)

    assert list(caught.value.errors) == ["email"]


def test_sign_up_refuses_a_weak_password(session: Session) -> None:
    with pytest.raises(ValidationError) as caught:
        user_service.sign_up(session, NewUser("ann@x.com", "short"), is_enabled=True)

    assert caught.value.errors == {"password": ["Use between 12 and 128 characters."]}


def test_sign_up_ignores_roles_asked_for(session: Session) -> None:
    new_user = NewUser("ann@x.com", GOOD_PASSWORD, roles=["admin"])

    user = user_service.sign_up(session, new_user, is_enabled=True)

    assert user.role_names == []


def test_the_command_line_may_create_a_user_with_a_role(session: Session) -> None:
    user = user_service.create_user(
        session, None, NewUser("a@x.com", GOOD_PASSWORD, roles=["admin"])
    )

    assert user.is_admin is True
    assert user.role_names == ["admin"]


def test_a_non_admin_may_not_create_users(session: Session) -> None:
    manager = UserFactory(roles=["manager"])

    with pytest.raises(PermissionDeniedError):
        user_service.create_user(session, manager, NewUser("b@x.com", GOOD_PASSWORD))


def test_creating_a_user_with_an_unknown_role_is_a_validation_error(session: Session) -> None:
    with pytest.raises(ValidationError) as caught:
        user_service.create_user(session, None, NewUser("a@x.com", GOOD_PASSWORD, roles=["king"]))

    assert caught.value.errors == {"roles": ["Unknown role: king."]}

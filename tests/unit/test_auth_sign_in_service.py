"""auth_service sign-in and access tokens: credentials, rehashing, checking a bearer token."""

from datetime import timedelta

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.common.clock import utcnow
from app.common.errors import AuthenticationError
from app.models.token import Token
from app.models.user import User
from app.services import auth_service, passwords
from app.services.access import Caller
from app.services.auth_service import BAD_CREDENTIALS, hash_token
from tests.factories import DEFAULT_PASSWORD, UserFactory
from tests.unit.identity_helpers import LIFETIMES, expire_token

# --- signing in -------------------------------------------------------------------------


def test_signing_in_hands_out_a_bearer_pair(session: Session) -> None:
    UserFactory(email="ann@x.com")

    pair = auth_service.sign_in(session, "ann@x.com", DEFAULT_PASSWORD, LIFETIMES)

    assert pair.token_type == "Bearer"
    assert pair.expires_in == 600
    assert pair.access_token != pair.refresh_token


def test_tokens_are_256_bit_and_stored_only_as_their_sha256(session: Session) -> None:
    UserFactory(email="ann@x.com")

    pair = auth_service.sign_in(session, "ann@x.com", DEFAULT_PASSWORD, LIFETIMES)

    stored = {token.token_hash for token in session.scalars(select(Token))}
    assert stored == {hash_token(pair.access_token), hash_token(pair.refresh_token)}
    assert len(pair.access_token) >= 43  # 32 bytes in url-safe base64
    assert all(len(value) == 64 for value in stored)


def test_signing_in_accepts_the_email_in_any_case_with_spaces(session: Session) -> None:
    UserFactory(email="ann@x.com")

    assert auth_service.sign_in(session, "  ANN@x.com ", DEFAULT_PASSWORD, LIFETIMES).access_token


@pytest.mark.parametrize(
    ("email", "password"),
    [("ann@x.com", "wrong password!"), ("nobody@x.com", DEFAULT_PASSWORD), ("ann@x.com", "")],
)
def test_bad_credentials_all_get_the_same_error(
    session: Session, email: str, password: str
) -> None:
    UserFactory(email="ann@x.com")

    with pytest.raises(AuthenticationError) as caught:
        auth_service.sign_in(session, email, password, LIFETIMES)

    assert caught.value.detail == BAD_CREDENTIALS


def test_a_deactivated_user_cannot_sign_in(session: Session) -> None:
    UserFactory(email="ann@x.com", is_active=False)

    with pytest.raises(AuthenticationError, match=BAD_CREDENTIALS):
        auth_service.sign_in(session, "ann@x.com", DEFAULT_PASSWORD, LIFETIMES)


def test_signing_in_records_the_time(session: Session) -> None:
    user = UserFactory(email="ann@x.com")

    auth_service.sign_in(session, "ann@x.com", DEFAULT_PASSWORD, LIFETIMES)

    session.refresh(user)
    assert user.last_login_at is not None
    assert utcnow() - user.last_login_at < timedelta(seconds=5)


def test_signing_in_does_not_change_the_version_or_updated_at(session: Session) -> None:
    user = UserFactory(email="ann@x.com")
    version, updated_at = user.version, user.updated_at

    auth_service.sign_in(session, "ann@x.com", DEFAULT_PASSWORD, LIFETIMES)

    session.refresh(user)
    assert (user.version, user.updated_at) == (version, updated_at)


def test_a_hash_with_older_parameters_is_replaced_at_sign_in(session: Session) -> None:
    old = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1).hash(DEFAULT_PASSWORD)
    user = UserFactory(email="ann@x.com", password_hash=old)

    auth_service.sign_in(session, "ann@x.com", DEFAULT_PASSWORD, LIFETIMES)

    session.refresh(user)
    assert user.password_hash != old
    assert passwords.needs_rehash(user.password_hash) is False
    assert passwords.verify_password(user.password_hash, DEFAULT_PASSWORD)


def test_a_current_hash_is_kept_at_sign_in(session: Session) -> None:
    user = UserFactory(email="ann@x.com")
    before = user.password_hash

    auth_service.sign_in(session, "ann@x.com", DEFAULT_PASSWORD, LIFETIMES)

    session.refresh(user)
    assert user.password_hash == before


def test_a_failed_sign_in_does_not_rehash(session: Session) -> None:
    old = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1).hash(DEFAULT_PASSWORD)
    user = UserFactory(email="ann@x.com", password_hash=old)

    with pytest.raises(AuthenticationError):
        auth_service.sign_in(session, "ann@x.com", "wrong password!", LIFETIMES)

    session.refresh(user)
    assert user.password_hash == old


# --- checking tokens --------------------------------------------------------------------


def test_a_live_access_token_names_its_user_and_roles(session: Session) -> None:
    user = UserFactory(roles=["manager"])
    pair = auth_service.issue_tokens(session, user, LIFETIMES)

    caller = auth_service.authenticate(session, pair.access_token)

    token = session.scalars(select(Token).where(Token.token_hash == hash_token(pair.access_token)))
    assert caller == Caller(
        id=user.id, token_id=token.one().id, pair_id=caller.pair_id, roles=frozenset({"manager"})
    )
    assert caller.user_id == user.id
    assert caller.has_role("manager")
    assert not caller.is_admin


def test_a_caller_without_roles_is_neither_admin_nor_manager(session: Session) -> None:
    pair = auth_service.issue_tokens(session, UserFactory(), LIFETIMES)

    caller = auth_service.authenticate(session, pair.access_token)

    assert caller.roles == frozenset()
    assert not caller.is_admin
    assert not caller.has_role("manager")


def test_an_admin_and_manager_caller_holds_both_roles(session: Session) -> None:
    pair = auth_service.issue_tokens(session, UserFactory(roles=["admin", "manager"]), LIFETIMES)

    caller = auth_service.authenticate(session, pair.access_token)

    assert caller.roles == frozenset({"admin", "manager"})
    assert caller.is_admin


def test_an_unknown_token_is_refused(session: Session) -> None:
    with pytest.raises(AuthenticationError):
        auth_service.authenticate(session, "made-up")


def test_an_expired_access_token_is_refused(session: Session) -> None:
    pair = auth_service.issue_tokens(session, UserFactory(), LIFETIMES)
    expire_token(session, pair.access_token)

    with pytest.raises(AuthenticationError):
        auth_service.authenticate(session, pair.access_token)


def test_a_refresh_token_is_not_an_access_token(session: Session) -> None:
    pair = auth_service.issue_tokens(session, UserFactory(), LIFETIMES)

    with pytest.raises(AuthenticationError):
        auth_service.authenticate(session, pair.refresh_token)


def test_a_deactivated_users_token_stops_working_at_once(session: Session) -> None:
    user = UserFactory()
    pair = auth_service.issue_tokens(session, user, LIFETIMES)
    session.execute(update(User).where(User.id == user.id).values(is_active=False))
    session.commit()

    with pytest.raises(AuthenticationError):
        auth_service.authenticate(session, pair.access_token)


def test_tokens_expire_in_the_future_by_their_lifetime(session: Session) -> None:
    user = UserFactory()

    pair = auth_service.issue_tokens(session, user, auth_service.TokenLifetimes(access=60))

    token = session.get(Token, auth_service.authenticate(session, pair.access_token).token_id)
    assert token is not None
    assert utcnow() < token.expires_at <= utcnow() + timedelta(seconds=60)

from datetime import timedelta

import pytest
from argon2 import PasswordHasher
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from app.common.clock import utcnow
from app.common.errors import AuthenticationError
from app.models.token import Token
from app.models.user import User
from app.services import auth_service, passwords
from app.services.auth_service import BAD_CREDENTIALS, BAD_REFRESH, TokenLifetimes, hash_token
from tests.factories import DEFAULT_PASSWORD, UserFactory

LIFETIMES = TokenLifetimes(access=600, refresh=3600)


def _live_tokens(session: Session, user: User) -> int:
    query = (
        select(func.count())
        .select_from(Token)
        .where(Token.user_id == user.id, Token.revoked_at.is_(None))
    )
    return session.scalar(query) or 0


def _expire(session: Session, raw_token: str) -> None:
    session.execute(
        update(Token)
        .where(Token.token_hash == hash_token(raw_token))
        .values(expires_at=utcnow() - timedelta(seconds=1))
    )
    session.commit()


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

    token = auth_service.authenticate(session, pair.access_token)

    assert token.user.id == user.id
    assert token.user.role_names == ["manager"]


def test_an_unknown_token_is_refused(session: Session) -> None:
    with pytest.raises(AuthenticationError):
        auth_service.authenticate(session, "made-up")


def test_an_expired_access_token_is_refused(session: Session) -> None:
    pair = auth_service.issue_tokens(session, UserFactory(), LIFETIMES)
    _expire(session, pair.access_token)

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


# --- refreshing -------------------------------------------------------------------------


def test_a_refresh_hands_out_a_new_pair_and_ends_the_old_one(session: Session) -> None:
    pair = auth_service.issue_tokens(session, UserFactory(), LIFETIMES)

    new = auth_service.refresh(session, pair.refresh_token, LIFETIMES)

    assert auth_service.authenticate(session, new.access_token)
    with pytest.raises(AuthenticationError):
        auth_service.authenticate(session, pair.access_token)


def test_reusing_a_spent_refresh_token_revokes_every_token_of_the_user(session: Session) -> None:
    user = UserFactory()
    pair = auth_service.issue_tokens(session, user, LIFETIMES)
    new = auth_service.refresh(session, pair.refresh_token, LIFETIMES)

    with pytest.raises(AuthenticationError, match="sign in again"):
        auth_service.refresh(session, pair.refresh_token, LIFETIMES)

    assert _live_tokens(session, user) == 0
    with pytest.raises(AuthenticationError):
        auth_service.authenticate(session, new.access_token)


def test_reuse_of_one_users_token_leaves_other_users_signed_in(session: Session) -> None:
    thief_target, bystander = UserFactory(), UserFactory()
    pair = auth_service.issue_tokens(session, thief_target, LIFETIMES)
    theirs = auth_service.issue_tokens(session, bystander, LIFETIMES)
    auth_service.refresh(session, pair.refresh_token, LIFETIMES)

    with pytest.raises(AuthenticationError):
        auth_service.refresh(session, pair.refresh_token, LIFETIMES)

    assert auth_service.authenticate(session, theirs.access_token).user_id == bystander.id


@pytest.mark.parametrize("raw", ["made-up", ""])
def test_an_unknown_refresh_token_is_refused(session: Session, raw: str) -> None:
    with pytest.raises(AuthenticationError, match=BAD_REFRESH):
        auth_service.refresh(session, raw, LIFETIMES)


def test_an_access_token_cannot_be_used_to_refresh(session: Session) -> None:
    pair = auth_service.issue_tokens(session, UserFactory(), LIFETIMES)

    with pytest.raises(AuthenticationError):
        auth_service.refresh(session, pair.access_token, LIFETIMES)


def test_an_expired_refresh_token_is_refused(session: Session) -> None:
    pair = auth_service.issue_tokens(session, UserFactory(), LIFETIMES)
    _expire(session, pair.refresh_token)

    with pytest.raises(AuthenticationError):
        auth_service.refresh(session, pair.refresh_token, LIFETIMES)


def test_a_signed_out_refresh_token_is_refused_without_revoking_other_sessions(
    session: Session,
) -> None:
    user = UserFactory()
    pair = auth_service.issue_tokens(session, user, LIFETIMES)
    other = auth_service.issue_tokens(session, user, LIFETIMES)
    auth_service.sign_out(session, user, auth_service.authenticate(session, pair.access_token))

    with pytest.raises(AuthenticationError):
        auth_service.refresh(session, pair.refresh_token, LIFETIMES)

    assert auth_service.authenticate(session, other.access_token).user_id == user.id


def test_a_deactivated_user_cannot_refresh(session: Session) -> None:
    user = UserFactory()
    pair = auth_service.issue_tokens(session, user, LIFETIMES)
    user.is_active = False
    session.commit()

    with pytest.raises(AuthenticationError):
        auth_service.refresh(session, pair.refresh_token, LIFETIMES)


# --- signing out and purging ------------------------------------------------------------


def test_signing_out_ends_the_access_and_refresh_token_of_that_pair(session: Session) -> None:
    user = UserFactory()
    pair = auth_service.issue_tokens(session, user, LIFETIMES)

    auth_service.sign_out(session, user, auth_service.authenticate(session, pair.access_token))

    assert _live_tokens(session, user) == 0


def test_signing_out_leaves_the_users_other_pairs_alone(session: Session) -> None:
    user = UserFactory()
    pair = auth_service.issue_tokens(session, user, LIFETIMES)
    other = auth_service.issue_tokens(session, user, LIFETIMES)

    auth_service.sign_out(session, user, auth_service.authenticate(session, pair.access_token))

    assert auth_service.authenticate(session, other.access_token).user_id == user.id


def test_nobody_signs_out_someone_elses_token(session: Session) -> None:
    owner, intruder = UserFactory(), UserFactory()
    pair = auth_service.issue_tokens(session, owner, LIFETIMES)

    with pytest.raises(AuthenticationError):
        auth_service.sign_out(
            session, intruder, auth_service.authenticate(session, pair.access_token)
        )


def test_purging_deletes_only_expired_tokens(session: Session) -> None:
    user = UserFactory()
    old = auth_service.issue_tokens(session, user, LIFETIMES)
    auth_service.issue_tokens(session, user, LIFETIMES)
    _expire(session, old.access_token)
    _expire(session, old.refresh_token)

    assert auth_service.purge_expired_tokens(session) == 2
    assert session.scalar(select(func.count()).select_from(Token)) == 2


def test_models_describe_themselves_without_secrets(session: Session) -> None:
    user = UserFactory(email="ann@x.com", roles=["admin"])
    pair = auth_service.issue_tokens(session, user, LIFETIMES)
    token = auth_service.authenticate(session, pair.access_token)

    assert repr(user) == f"<User {user.id} ann@x.com>"
    assert repr(user.roles[0]) == "<Role admin>"
    assert repr(token) == f"<Token {token.id} access user={user.id}>"
    assert pair.access_token not in repr(token)

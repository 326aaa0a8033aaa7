"""auth_service refresh and revocation: token rotation, reuse detection, sign-out, purging."""

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.common.errors import AuthenticationError
from app.models.token import Token
from app.services import auth_service
from app.services.auth_service import BAD_REFRESH
from tests.factories import UserFactory
from tests.unit.identity_helpers import LIFETIMES, expire_token, live_tokens

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

    assert live_tokens(session, user) == 0
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
    expire_token(session, pair.refresh_token)

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

    assert live_tokens(session, user) == 0


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
    expire_token(session, old.access_token)
    expire_token(session, old.refresh_token)

    assert auth_service.purge_expired_tokens(session) == 2
    assert session.scalar(select(func.count()).select_from(Token)) == 2


def test_models_describe_themselves_without_secrets(session: Session) -> None:
    user = UserFactory(email="ann@x.com", roles=["admin"])
    pair = auth_service.issue_tokens(session, user, LIFETIMES)
    token = session.get(Token, auth_service.authenticate(session, pair.access_token).token_id)

    assert repr(user) == f"<User {user.id} ann@x.com>"
    assert repr(user.roles[0]) == "<Role admin>"
    assert repr(token) == f"<Token {token.id} access user={user.id}>"
    assert pair.access_token not in repr(token)

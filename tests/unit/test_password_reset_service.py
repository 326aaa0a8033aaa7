"""The password-reset service on a plain Session, with a fake mailer (no Flask, no Celery)."""

from datetime import timedelta

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.common.clock import utcnow
from app.common.errors import BadRequestError, ValidationError
from app.models.token import RESET, Token
from app.models.user import User
from app.services import auth_service, maintenance_service, password_reset_service, passwords
from app.services.auth_service import TokenLifetimes, hash_token
from app.services.password_reset_service import INVALID_LINK
from tests.factories import DEFAULT_PASSWORD, UserFactory

NEW_PASSWORD = "a brand new passphrase"


class FakeMailer:
    """Records the links it was asked to send, and what the database held at that moment."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.sent: list[tuple[int, str]] = []
        self.was_committed: list[bool] = []

    def send_reset_link(self, user_id: int, raw_token: str) -> None:
        """Record the call and whether the token was already committed."""
        self.sent.append((user_id, raw_token))
        self.was_committed.append(not self.session.in_transaction())


@pytest.fixture
def mailer(session: Session) -> FakeMailer:
    return FakeMailer(session)


@pytest.fixture
def ann() -> User:
    return UserFactory(email="ann@x.com")


@pytest.fixture
def raw_token(session: Session, ann: User, mailer: FakeMailer) -> str:
    password_reset_service.request_reset(session, ann.email, mailer)
    return mailer.sent[-1][1]


def _resets(session: Session) -> list[Token]:
    return list(session.scalars(select(Token).where(Token.kind == RESET)))


def test_a_request_mails_a_new_token_to_the_user_after_the_commit(
    session: Session, ann: User, mailer: FakeMailer
) -> None:
    password_reset_service.request_reset(session, " Ann@X.com", mailer)

    [(user_id, raw)] = mailer.sent
    assert user_id == ann.id
    assert mailer.was_committed == [True]
    assert [token.token_hash for token in _resets(session)] == [hash_token(raw)]


@pytest.mark.parametrize("email", ["nobody@x.com", "gone@x.com"])
def test_an_unknown_or_deactivated_account_gets_nothing(
    session: Session, mailer: FakeMailer, email: str
) -> None:
    UserFactory(email="gone@x.com", is_active=False)

    password_reset_service.request_reset(session, email, mailer)

    assert (mailer.sent, _resets(session)) == ([], [])


def test_the_token_expires_after_the_ttl_given(
    session: Session, ann: User, mailer: FakeMailer
) -> None:
    before = utcnow()

    password_reset_service.request_reset(session, ann.email, mailer, ttl_seconds=120)

    lifetime = _resets(session)[0].expires_at - before
    assert timedelta(seconds=119) <= lifetime <= timedelta(seconds=125)


def test_confirming_sets_the_password_and_bumps_the_users_version(
    session: Session, ann: User, raw_token: str
) -> None:
    version = ann.version

    password_reset_service.confirm_reset(session, raw_token, NEW_PASSWORD)

    session.refresh(ann)
    assert passwords.verify_password(ann.password_hash, NEW_PASSWORD)
    assert ann.version == version + 1


def test_confirming_spends_the_token_and_revokes_all_the_users_tokens(
    session: Session, ann: User, raw_token: str
) -> None:
    auth_service.issue_tokens(session, ann, TokenLifetimes())

    password_reset_service.confirm_reset(session, raw_token, NEW_PASSWORD)

    tokens = session.scalars(select(Token).where(Token.user_id == ann.id)).all()
    assert all(token.revoked_at is not None for token in tokens)
    assert _resets(session)[0].used_at is not None


def test_a_spent_token_is_refused(session: Session, raw_token: str) -> None:
    password_reset_service.confirm_reset(session, raw_token, NEW_PASSWORD)

    with pytest.raises(BadRequestError, match="already used"):
        password_reset_service.confirm_reset(session, raw_token, "yet another passphrase")


def test_an_expired_token_is_refused(session: Session, ann: User, raw_token: str) -> None:
    session.execute(update(Token).values(expires_at=utcnow() - timedelta(seconds=1)))
    session.commit()

    with pytest.raises(BadRequestError) as refused:
        password_reset_service.confirm_reset(session, raw_token, NEW_PASSWORD)

    assert refused.value.detail == INVALID_LINK
    session.refresh(ann)
    assert passwords.verify_password(ann.password_hash, DEFAULT_PASSWORD)


def test_a_refresh_token_cannot_reset_a_password(session: Session, ann: User) -> None:
    pair = auth_service.issue_tokens(session, ann, TokenLifetimes())

    with pytest.raises(BadRequestError):
        password_reset_service.confirm_reset(session, pair.refresh_token, NEW_PASSWORD)


def test_a_reset_token_is_no_refresh_token(session: Session, raw_token: str) -> None:
    with pytest.raises(auth_service.AuthenticationError):
        auth_service.refresh(session, raw_token, TokenLifetimes())


def test_a_weak_password_is_refused_under_new_password_and_the_token_stays_unspent(
    session: Session, raw_token: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        password_reset_service.confirm_reset(session, raw_token, "password1234")

    assert list(refused.value.errors) == ["new_password"]
    assert _resets(session)[0].used_at is None


def test_a_new_request_revokes_the_previous_link(
    session: Session, ann: User, mailer: FakeMailer, raw_token: str
) -> None:
    password_reset_service.request_reset(session, ann.email, mailer)

    with pytest.raises(BadRequestError):
        password_reset_service.confirm_reset(session, raw_token, NEW_PASSWORD)
    password_reset_service.confirm_reset(session, mailer.sent[-1][1], NEW_PASSWORD)


def test_the_scheduled_purge_deletes_expired_reset_tokens(session: Session, raw_token: str) -> None:
    session.execute(update(Token).values(expires_at=utcnow() - timedelta(seconds=1)))
    session.commit()

    maintenance_service.purge_expired(session)

    assert (
        session.scalars(select(Token).where(Token.token_hash == hash_token(raw_token))).all() == []
    )

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.common.errors import PermissionDeniedError
from app.models.user import User
from app.services import passwords
from app.services.seed_service import DEMO_ACCOUNTS, seed_demo_users


def _users(session: Session) -> list[tuple[str, list[str], str, int]]:
    return [
        (user.email, user.role_names, user.password_hash, user.version)
        for user in session.scalars(select(User).order_by(User.email))
    ]


def test_seeding_makes_a_demo_admin_and_a_demo_manager(session: Session) -> None:
    seed_demo_users(session, "development")

    assert [(email, roles) for email, roles, _, _ in _users(session)] == [
        ("admin@example.com", ["admin"]),
        ("manager@example.com", ["manager"]),
    ]


def test_the_printed_passwords_sign_in(session: Session) -> None:
    accounts = seed_demo_users(session, "development")

    for account in accounts:
        user = session.scalars(select(User).where(User.email == account.email)).one()
        assert passwords.verify_password(user.password_hash, account.password)


def test_the_first_run_reports_the_accounts_as_created(session: Session) -> None:
    assert [account.is_created for account in seed_demo_users(session, "development")] == [
        True,
        True,
    ]


def test_a_second_run_changes_nothing_and_still_returns_the_credentials(session: Session) -> None:
    seed_demo_users(session, "development")
    before = _users(session)

    accounts = seed_demo_users(session, "development")

    assert _users(session) == before
    assert [(a.email, a.password, a.is_created) for a in accounts] == [
        (demo.email, demo.password, False) for demo in DEMO_ACCOUNTS
    ]


def test_seeding_is_refused_in_production(session: Session) -> None:
    with pytest.raises(PermissionDeniedError):
        seed_demo_users(session, "production")

    assert _users(session) == []

"""Demo data for development: a demo admin and a demo manager with fixed passwords.

Idempotent: accounts that exist are left exactly as they are. Production refuses.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session

from app.common.errors import PermissionDeniedError
from app.models.role import ADMIN, MANAGER
from app.repositories import user_repository
from app.services.user_service import NewUser, create_user


@dataclass(frozen=True)
class DemoAccount:
    """A demo account's credentials and role, and whether this run created it."""

    email: str
    password: str
    name: str
    role: str
    is_created: bool = False


DEMO_ACCOUNTS = (
    DemoAccount("admin@example.com", "stockroom-demo-admin", "Demo Admin", ADMIN),
    DemoAccount("manager@example.com", "stockroom-demo-manager", "Demo Manager", MANAGER),
)


def seed_demo_users(session: Session, environment: str) -> Sequence[DemoAccount]:
    """Create the demo accounts that do not exist yet and return all their credentials.

    Raises:
        PermissionDeniedError: in production, where fixed passwords are never made.
    """
    if environment == "production":
        raise PermissionDeniedError("Refusing to make demo accounts with known passwords.")
    accounts = []
    for account in DEMO_ACCOUNTS:
        is_created = user_repository.get_by_email(session, account.email) is None
        if is_created:
            create_user(
                session,
                None,
                NewUser(account.email, account.password, account.name, [account.role]),
            )
        accounts.append(
            DemoAccount(account.email, account.password, account.name, account.role, is_created)
        )
    return accounts

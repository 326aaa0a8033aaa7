"""Fixtures for API tests: users with roles, bearer headers for them, stores and stock."""

from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import update
from sqlalchemy.orm import Session

from app.common.clock import utcnow
from app.models.product import Product
from app.models.store import Store
from app.models.token import Token
from app.models.user import User
from app.services import auth_service
from tests.api.password_reset_helpers import ask_reset, mail_outbox, reset_link
from tests.api.store_helpers import StoreStock
from tests.factories import ProductFactory, StoreFactory, UserFactory

Headers = dict[str, str]


@pytest.fixture(autouse=True)
def _bind_factories(factories: None) -> None:
    """Every test here may call the factories (`admin` and `manager` are in tests/conftest.py)."""


@pytest.fixture
def other_manager() -> User:
    """A second manager, for "someone else's" cases."""
    return UserFactory(email="other.manager@example.com", name="Olga Other", roles=["manager"])


@pytest.fixture
def store(manager: User) -> Store:
    """A store `manager` manages."""
    return StoreFactory(name="Mine", managers=[manager])


@pytest.fixture
def other_store(other_manager: User) -> Store:
    """A store `other_manager` manages, and `manager` does not."""
    return StoreFactory(name="Theirs", managers=[other_manager])


@pytest.fixture
def stock(session: Session, store: Store) -> StoreStock:
    """`store`, with helpers for its stock."""
    return StoreStock(session, store)


@pytest.fixture
def product() -> Product:
    """A product no store stocks yet."""
    return ProductFactory(sku="SPADE-1", name="Spade", price=Decimal("12.5"))


@pytest.fixture
def auth_headers_for(session: Session) -> Callable[[User], Headers]:
    """Return a function that signs a user in (no password check) and gives their headers."""

    def make(user: User) -> Headers:
        pair = auth_service.issue_tokens(session, user, auth_service.TokenLifetimes())
        return {"Authorization": f"Bearer {pair.access_token}"}

    return make


@pytest.fixture
def admin_headers(admin: User, auth_headers_for: Callable[[User], Headers]) -> Headers:
    """Bearer headers of `admin`."""
    return auth_headers_for(admin)


@pytest.fixture
def manager_headers(manager: User, auth_headers_for: Callable[[User], Headers]) -> Headers:
    """Bearer headers of `manager`."""
    return auth_headers_for(manager)


@pytest.fixture
def expired_headers(manager: User, session: Session) -> Headers:
    """Bearer headers of `manager` whose access token has expired."""
    pair = auth_service.issue_tokens(session, manager, auth_service.TokenLifetimes())
    session.execute(
        update(Token)
        .where(Token.token_hash == auth_service.hash_token(pair.access_token))
        .values(expires_at=utcnow() - timedelta(seconds=1))
    )
    session.commit()
    return {"Authorization": f"Bearer {pair.access_token}"}


@pytest.fixture
def revoked_headers(manager: User, session: Session) -> Headers:
    """Bearer headers of `manager` whose access token was signed out."""
    pair = auth_service.issue_tokens(session, manager, auth_service.TokenLifetimes())
    token = auth_service.authenticate(session, pair.access_token)
    auth_service.sign_out(session, manager, token)
    return {"Authorization": f"Bearer {pair.access_token}"}


@pytest.fixture
def ann() -> User:
    """Ann, who asks for password resets (test_password_reset_*_api.py)."""
    return UserFactory(email="ann@x.com", name="Ann")


@pytest.fixture
def reset_token(app: Flask, client: FlaskClient, ann: User) -> str:
    """The raw token of a reset link mailed to `ann`."""
    assert ask_reset(client, ann.email).status_code == 202
    return reset_link(mail_outbox(app)[-1])[1]

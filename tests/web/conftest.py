"""Fixtures for dashboard tests: users with roles, a store, and a client signed in as one."""

from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient

from app.models.store import Store
from app.models.user import User
from app.services import auth_service
from tests.factories import StoreFactory

SignedIn = Callable[[User], FlaskClient]


@pytest.fixture(autouse=True)
def _bind_factories(factories: None) -> None:
    """Every test here may call the factories (`admin` and `manager` are in tests/conftest.py)."""


@pytest.fixture
def store(manager: User) -> Store:
    """A store that `manager` manages."""
    return StoreFactory(name="Main Street", managers=[manager])


@pytest.fixture
def other_store() -> Store:
    """A store nobody manages."""
    return StoreFactory(name="Harbour")


@pytest.fixture
def signed_in(app: Flask) -> SignedIn:
    """Return a function giving a client whose session is signed in as the user."""

    def make(user: User) -> FlaskClient:
        client = app.test_client()
        with client.session_transaction() as cookie_session:
            cookie_session["_user_id"] = auth_service.session_key(user)
            cookie_session["_fresh"] = True
        return client

    return make


@pytest.fixture
def admin_client(signed_in: SignedIn, admin: User) -> FlaskClient:
    """A client signed in as `admin`."""
    return signed_in(admin)


@pytest.fixture
def manager_client(signed_in: SignedIn, manager: User) -> FlaskClient:
    """A client signed in as `manager`."""
    return signed_in(manager)

"""Fixtures for task tests: rows to mail about, and apps with a chosen mail/broker setup."""

from collections.abc import Callable, Iterator
from contextlib import ExitStack
from email.message import EmailMessage
from typing import Any, NamedTuple

import pytest
from flask import Flask

from app.extensions import db
from app.models.store import Store
from app.models.user import User
from tests.conftest import make_test_app


@pytest.fixture
def user(app: Flask) -> User:
    """An active user with a name and an address."""
    row = User(email="ann@example.com", password_hash="not-a-real-hash", name="Ann Example")
    db.session.add(row)
    db.session.commit()
    return row


@pytest.fixture
def store(app: Flask) -> Store:
    """A store whose name needs escaping in HTML."""
    row = Store(
        name="Main <Street>",
        address="1 High Road",
        city="Springfield",
        state="IL",
        zip_code="62701",
    )
    db.session.add(row)
    db.session.commit()
    return row


class Ids(NamedTuple):
    """The ids a manager event carries."""

    store_id: int
    user_id: int


@pytest.fixture
def ids(user: User, store: Store) -> Ids:
    """The ids of `store` and `user`, the subjects of a manager event."""
    return Ids(store_id=store.id, user_id=user.id)


@pytest.fixture
def outbox(app: Flask) -> list[EmailMessage]:
    """The messages the app's memory mail backend received."""
    messages: list[EmailMessage] = app.extensions["mail"].outbox
    return messages


@pytest.fixture
def app_with(app: Flask, database_uri: str) -> Iterator[Callable[..., Flask]]:
    """Build another app on this test's database, with overrides, inside its context.

    It depends on `app` so that its contexts are pushed after, and popped before, the
    context of the test's main app.
    """
    with ExitStack() as stack:

        def build(**overrides: Any) -> Flask:
            other = make_test_app(database_uri, **overrides)
            stack.enter_context(other.app_context())
            stack.callback(db.session.remove)
            return other

        yield build

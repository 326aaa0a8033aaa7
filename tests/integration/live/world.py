"""The data the live server starts with, made through the app's own services.

An admin, and two managers who each manage their own store; categories, products, and
stock in every store. Ids follow the examples in the OpenAPI document (category 3,
product 7, store 1), so Schemathesis's example requests find real rows.
"""

import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal

import requests
from flask_migrate import upgrade
from sqlalchemy.orm import Session

from app.extensions import db
from app.models.user import User
from app.services import (
    category_service,
    manager_service,
    product_service,
    stock_service,
    store_service,
    user_service,
)
from app.services.stock_service import StockKey
from app.tasks.queue import CeleryManagerNotifier
from tests.conftest import make_test_app

ADMIN = "admin"
MANAGERS = ("manager-a", "manager-b")
PRODUCTS = 7
STOCKED_PRODUCTS = 3


@dataclass(frozen=True)
class Account:
    """Someone who can sign in to the live server; a manager's own store, if any."""

    name: str
    email: str
    password: str
    user_id: int
    store_id: int | None = None


@dataclass(frozen=True)
class World:
    """What was seeded: the accounts by name and the products."""

    accounts: dict[str, Account]
    product_ids: tuple[int, ...]


@contextmanager
def services_session(database_url: str) -> Iterator[Session]:
    """A session on the database, inside an app context, as the services expect."""
    app = make_test_app(database_url)
    with app.app_context():
        session = db.session()
        try:
            yield session
        finally:
            session.close()
            db.engine.dispose()


def seed_world(database_url: str) -> World:
    """Upgrade the database to heads and fill it; return what was made."""
    app = make_test_app(database_url)
    with app.app_context():
        upgrade(revision="heads")
        db.engine.dispose()
    with services_session(database_url) as session:
        admin, admin_user = _account(session, ADMIN, "admin")
        product_ids = _catalog(session, admin_user)
        managers = [_manager(session, admin_user, name) for name in MANAGERS]
        spare_store = _store(session, admin_user, "Live store without a manager")
        store_ids = [manager.store_id for manager in managers if manager.store_id]
        for store_id in [*store_ids, spare_store]:
            for product_id in product_ids[:STOCKED_PRODUCTS]:
                key = StockKey(store_id, product_id)
                stock_service.add_stock(session, admin_user, key, 10)
        accounts = {account.name: account for account in [admin, *managers]}
        return World(accounts, product_ids)


def add_managers(database_url: str, names: tuple[str, ...]) -> dict[str, Account]:
    """Add managers nobody else has touched, each with a new store of their own.

    The admin's fuzzing may deactivate, demote or delete the seeded managers; a test
    that needs intact ones makes its own.
    """
    with services_session(database_url) as session:
        admin = user_service.get_user_by_email(session, f"{ADMIN}@live.example.com")
        return {name: _manager(session, admin, name) for name in names}


def _catalog(session: Session, admin: User) -> tuple[int, ...]:
    categories = [
        category_service.create_category(session, admin, f"Category {number}").id
        for number in range(1, 4)
    ]
    return tuple(
        product_service.create_product(
            session,
            admin,
            {
                "sku": f"SEED-{number:03}",
                "name": f"Seeded product {number}",
                "price": Decimal(f"{number}.50"),
                "categories": categories[:2],
            },
        ).id
        for number in range(1, PRODUCTS + 1)
    )


def _account(session: Session, name: str, role: str) -> tuple[Account, User]:
    email = f"{name}@live.example.com"
    password = secrets.token_urlsafe(18)
    new_user = user_service.NewUser(email, password, name.title(), [role])
    user = user_service.create_user(session, None, new_user)
    return Account(name, email, password, user.id), user


def _manager(session: Session, admin: User, name: str) -> Account:
    account, _user = _account(session, name, "manager")
    store_id = _store(session, admin, f"Store of {name}")
    notifier = CeleryManagerNotifier()
    manager_service.add_manager(session, admin, store_id, account.user_id, notifier)
    return Account(account.name, account.email, account.password, account.user_id, store_id)


def _store(session: Session, admin: User, name: str) -> int:
    fields = {
        "name": name,
        "address": "1 High Street",
        "city": "Springfield",
        "state": "IL",
        "zip_code": "62701",
    }
    return store_service.create_store(session, admin, fields).id


def bearer(base_url: str, account: Account) -> dict[str, str]:
    """Sign `account` in through POST /api/auth/tokens; return its Authorization header."""
    response = requests.post(
        f"{base_url}/api/auth/tokens",
        json={"email": account.email, "password": account.password},
        timeout=10,
    )
    assert response.status_code == 201, response.text
    return {"Authorization": f"Bearer {response.json()['data']['access_token']}"}


def unique_names(prefix: str, count: int) -> tuple[str, ...]:
    """Return `count` account names no earlier call gave (emails are unique)."""
    run = secrets.token_hex(3)
    return tuple(f"{prefix}-{run}-{index}" for index in range(count))

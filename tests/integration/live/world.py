"""The data the live server starts with, made through the app's own services.

An admin, and two managers who each manage their own store; categories, products, and
stock in every store. Ids follow the examples in the OpenAPI document (category 3,
product 7, store 1), so Schemathesis's example requests find real rows.
"""

import secrets
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

PRODUCTS = 7
STORES = 3


@dataclass(frozen=True)
class Account:
    """Someone who can sign in to the live server."""

    name: str
    email: str
    password: str
    user_id: int


@dataclass(frozen=True)
class World:
    """What was seeded: the accounts by name, each manager's store, and the products."""

    accounts: dict[str, Account]
    store_of: dict[str, int]
    product_ids: tuple[int, ...]


def seed_world(database_url: str) -> World:
    """Upgrade the database to heads and fill it; return what was made."""
    app = make_test_app(database_url)
    with app.app_context():
        upgrade(revision="heads")
        session = db.session()
        try:
            return _fill(session)
        finally:
            session.close()
            db.engine.dispose()


def add_managers(database_url: str, names: tuple[str, ...]) -> dict[str, Account]:
    """Add a manager per name, each managing a new store of their own; return them.

    Tests that need managers nobody else touched (the admin's fuzzing may deactivate or
    delete the seeded ones) make their own this way. `World.store_of` does not list them:
    a manager's store is the one whose name is theirs.
    """
    app = make_test_app(database_url)
    with app.app_context():
        session = db.session()
        try:
            admin = user_service.get_user_by_email(session, ADMIN_EMAIL)
            return {name: _manager(session, admin, name)[0] for name in names}
        finally:
            session.close()
            db.engine.dispose()


def _fill(session: Session) -> World:
    admin, admin_user = _account(session, "admin", "admin")
    managers = [_account(session, name, "manager") for name in ("manager-a", "manager-b")]
    categories = [
        category_service.create_category(session, admin_user, f"Category {number}").id
        for number in range(1, 4)
    ]
    product_ids = tuple(
        product_service.create_product(
            session,
            admin_user,
            {
                "sku": f"SEED-{number:03}",
                "name": f"Seeded product {number}",
                "price": Decimal(f"{number}.50"),
                "categories": categories[:2],
            },
        ).id
        for number in range(1, PRODUCTS + 1)
    )
    store_ids = [_store(session, admin_user, number) for number in range(1, STORES + 1)]
    notifier = CeleryManagerNotifier()
    store_of = {}
    for (account, _user), store_id in zip(managers, store_ids, strict=False):
        manager_service.add_manager(session, admin_user, store_id, account.user_id, notifier)
        store_of[account.name] = store_id
    for store_id in store_ids:
        for product_id in product_ids[:3]:
            stock_service.add_stock(session, admin_user, StockKey(store_id, product_id), 10)
    accounts = {account.name: account for account, _user in [(admin, admin_user), *managers]}
    return World(accounts, store_of, product_ids)


def _account(session: Session, name: str, role: str) -> tuple[Account, User]:
    email = f"{name}@live.example.com"
    password = secrets.token_urlsafe(18)
    new_user = user_service.NewUser(email, password, name.title(), [role])
    user = user_service.create_user(session, None, new_user)
    return Account(name, email, password, user.id), user


def _store(session: Session, admin: User, number: int) -> int:
    fields = {
        "name": f"Live store {number}",
        "address": f"{number} High Street",
        "city": "Springfield",
        "state": "IL",
        "zip_code": f"6270{number}",
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

"""factory-boy factories shared by every test; a fixture binds them to the test's session.

Call `bind_session(session)` from the fixture that owns the session (tests/api/conftest.py
and tests/unit/conftest.py do). Users get a password hash computed once per test run, so
making a user costs no argon2 work; sign in with DEFAULT_PASSWORD.
"""

from decimal import Decimal
from typing import Any

import factory
from factory.alchemy import SQLAlchemyModelFactory
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models.category import Category
from app.models.product import Product
from app.models.role import Role
from app.models.stock_item import StockItem
from app.models.store import Store
from app.models.store_manager import StoreManager
from app.models.user import User
from app.services.passwords import hash_password

DEFAULT_PASSWORD = "correct horse battery staple"
DEFAULT_PASSWORD_HASH = hash_password(DEFAULT_PASSWORD)

_bound: dict[str, Session | None] = {"session": None}


def bind_session(session: Session | None) -> None:
    """Make every factory write to `session` (None unbinds)."""
    _bound["session"] = session


def current_session() -> Session:
    """The session factories write to."""
    session = _bound["session"]
    if session is None:
        raise RuntimeError("No session bound: use a fixture that calls bind_session().")
    return session


def count_rows(session: Session, model: type) -> int:
    """Count a table's rows as the database has them now (after what the app committed)."""
    session.expire_all()
    return session.scalar(select(func.count()).select_from(model)) or 0


class BaseFactory(SQLAlchemyModelFactory):
    """Writes to the bound session and commits, so the app under test sees the rows."""

    class Meta:
        abstract = True
        sqlalchemy_session_factory = current_session
        sqlalchemy_session_persistence = "commit"


class UserFactory(BaseFactory):
    """A user; `UserFactory(roles=["admin"])` gives roles by name."""

    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    name = factory.Sequence(lambda n: f"User {n}")
    password_hash = DEFAULT_PASSWORD_HASH
    is_active = True

    @factory.post_generation
    def roles(self: User, create: bool, extracted: Any, **_kwargs: Any) -> None:  # type: ignore[misc]
        if not extracted:
            return
        session = current_session()
        self.roles = list(session.scalars(select(Role).where(Role.name.in_(extracted))))
        if len(self.roles) != len(set(extracted)):
            raise ValueError(f"unknown role in {extracted!r}")
        if create:
            session.commit()


class CategoryFactory(BaseFactory):
    """A catalog category with a unique name."""

    class Meta:
        model = Category

    name = factory.Sequence(lambda n: f"Category {n}")
    description = "A group of products."


class ProductFactory(BaseFactory):
    """A product with a unique SKU; `ProductFactory(categories=[category])` links it."""

    class Meta:
        model = Product

    sku = factory.Sequence(lambda n: f"SKU-{n:05d}")
    name = factory.Sequence(lambda n: f"Product {n}")
    description = "An item in the catalog."
    price = factory.Sequence(lambda n: Decimal(n % 50) + Decimal("0.99"))
    categories = factory.LazyFunction(list)


class StoreFactory(BaseFactory):
    """A store; `StoreFactory(managers=[user])` makes those users its managers."""

    class Meta:
        model = Store

    name = factory.Sequence(lambda n: f"Store {n:04d}")
    address = factory.Sequence(lambda n: f"{n} Main Street")
    city = "Springfield"
    state = "IL"
    zip_code = "62701"

    @factory.post_generation
    def managers(self: Store, create: bool, extracted: Any, **_kwargs: Any) -> None:  # type: ignore[misc]
        if not create or not extracted:
            return
        session = current_session()
        session.add_all(StoreManager(store_id=self.id, user_id=user.id) for user in extracted)
        session.commit()


class StoreManagerFactory(BaseFactory):
    """Makes `user` a manager of `store`."""

    class Meta:
        model = StoreManager
        exclude = ("store", "user")

    store = factory.SubFactory(StoreFactory)
    user = factory.SubFactory(UserFactory)
    store_id = factory.LazyAttribute(lambda row: row.store.id)
    user_id = factory.LazyAttribute(lambda row: row.user.id)


class StockItemFactory(BaseFactory):
    """`quantity` units of a product in a store."""

    class Meta:
        model = StockItem
        exclude = ("store", "product")

    store = factory.SubFactory(StoreFactory)
    product = factory.SubFactory(ProductFactory)
    store_id = factory.LazyAttribute(lambda row: row.store.id)
    product_id = factory.LazyAttribute(lambda row: row.product.id)
    quantity = 10

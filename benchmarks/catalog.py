"""Catalog data for the product scenarios: seeding, the admin, and the fixtures they send.

Products are seeded through the app's own bulk path (`catalog_seed_service.seed_catalog`,
what `flask seed catalog --products N` runs). How many: STOCKROOM_BENCH_PRODUCTS, 100,000
unless `python -m benchmarks.run --products 1000000` sets it (it is read when the scenario
modules are imported, by the harness and by its gunicorn workers alike).
"""

import base64
import os
from functools import cache
from pathlib import Path

import orjson
from flask import Flask

PRODUCTS_ENV = "STOCKROOM_BENCH_PRODUCTS"
DEFAULT_PRODUCTS = 100_000
DEEP_PAGES = 4000
ADMIN_EMAIL = "bench-admin@example.com"
SEARCH_WORD = "spade"
NARROW_SEARCH = "cordless spade"  # both words: 1 product in 63
PAGE_SIZE = 20  # the API's default limit
# Copies of catalog_seed_service's word lists: scenario modules are imported before the
# harness sets the app's environment, so they may not import `app`. `check_catalog`
# compares them (and the cursor) with the app's own before every run.
ADJECTIVES = ("Steel", "Oak", "Compact", "Heavy-duty", "Cordless", "Classic", "Folding")
NOUNS = ("spade", "rake", "lamp", "shelf", "bucket", "drill", "brush", "ladder", "hose")


def bench_products() -> int:
    """How many products the product scenarios run on."""
    return int(os.environ.get(PRODUCTS_ENV, DEFAULT_PRODUCTS))


def seeded_name(number: int) -> str:
    """The name `seed_catalog` gives its product number `number` (id number + 1)."""
    adjective = ADJECTIVES[number % len(ADJECTIVES)]
    return f"{adjective} {NOUNS[(number // len(ADJECTIVES)) % len(NOUNS)]} {number}"


@cache
def deep_key(products: int, pages: int = DEEP_PAGES) -> tuple[str, int]:
    """(name, id) of the last row before page `pages + 1` in the default (name, id) order.

    Seeding is one run into a new database, so product number n has id n + 1;
    `check_deep_key` checks that against the database before a run.
    """
    rows = min(pages * PAGE_SIZE, products)
    ordered = sorted((seeded_name(number), number + 1) for number in range(products))
    return ordered[rows - 1]


def deep_cursor(products: int, pages: int = DEEP_PAGES) -> str:
    """The cursor of the page `pages` pages deep, encoded as the app's `cursor_after`."""
    name, product_id = deep_key(products, pages)
    return base64.urlsafe_b64encode(orjson.dumps(["name", name, product_id])).decode().rstrip("=")


def seed_products(app: Flask, count: int) -> None:
    """Seed `count` products with the app's bulk catalog seeder, and a bench admin."""
    from app.extensions import db
    from app.models.role import ADMIN
    from app.services import catalog_seed_service, user_service
    from benchmarks.seed import PASSWORD

    with app.app_context():
        catalog_seed_service.seed_catalog(db.session(), count, "testing")
        admin = user_service.NewUser(ADMIN_EMAIL, PASSWORD, "Bench admin", roles=(ADMIN,))
        user_service.create_user(db.session(), None, admin)


def check_catalog(db_path: Path, products: int) -> None:
    """Stop when the seeded rows or the cursor are not what `deep_key` and `deep_cursor` say.

    Raises:
        RuntimeError: the database was not seeded as assumed, or the app encodes otherwise.
    """
    import sqlite3

    from app.services import catalog_seed_service
    from app.services.keyset_cursor import cursor_after

    name, product_id = deep_key(products)
    if (catalog_seed_service.ADJECTIVES, catalog_seed_service.NOUNS) != (ADJECTIVES, NOUNS):
        raise RuntimeError("catalog_seed_service names products otherwise: update catalog.py")
    if cursor_after("name", name, product_id) != deep_cursor(products):
        raise RuntimeError("the app encodes cursors otherwise: update catalog.deep_cursor")
    with sqlite3.connect(db_path) as conn:
        row = conn.execute("SELECT name FROM products WHERE id = ?", (product_id,)).fetchone()
    if row is None or row[0] != name:
        raise RuntimeError(f"product {product_id} is {row!r}, not {name!r}: reseed the bench DB")


def admin_token(app: Flask, password: str) -> str:
    """Sign the bench admin in with the auth service; return its access token."""
    from app.extensions import db
    from app.services import auth_service

    with app.app_context():
        pair = auth_service.sign_in(
            db.session(), ADMIN_EMAIL, password, auth_service.TokenLifetimes()
        )
        db.session.remove()
        db.engine.dispose()
    return pair.access_token

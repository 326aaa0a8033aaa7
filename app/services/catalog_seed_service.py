"""Bulk demo catalog for development and benchmarks: N products in a few categories.

Rows go in as batched INSERTs (no ORM objects), one transaction per batch, so 100k
products take seconds; the database's own search triggers/columns index them.
"""

import secrets
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from app.common.errors import PermissionDeniedError, ValidationError
from app.models.category import Category
from app.repositories import category_repository, product_repository

BATCH_SIZE = 5000
MAX_PRODUCTS = 1_000_000
CATEGORY_NAMES = ("Garden", "Kitchen", "Tools", "Lighting", "Paint", "Storage", "Outdoor")
ADJECTIVES = ("Steel", "Oak", "Compact", "Heavy-duty", "Cordless", "Classic", "Folding")
NOUNS = ("spade", "rake", "lamp", "shelf", "bucket", "drill", "brush", "ladder", "hose")

Progress = Callable[[int], None]


def seed_catalog(
    session: Session, count: int, environment: str, progress: Progress | None = None
) -> int:
    """Insert `count` demo products (linked to demo categories); return how many.

    Raises:
        PermissionDeniedError: in production.
        ValidationError: `count` is not between 1 and MAX_PRODUCTS.
    """
    if environment == "production":
        raise PermissionDeniedError("Demo data is never seeded in production.")
    if not 1 <= count <= MAX_PRODUCTS:
        raise ValidationError(
            "Too few or too many products.", {"products": [f"Give 1 to {MAX_PRODUCTS}."]}
        )
    category_ids = _demo_category_ids(session)
    run = secrets.token_hex(3).upper()
    for start in range(0, count, BATCH_SIZE):
        size = min(BATCH_SIZE, count - start)
        rows = [_product_row(run, start + offset) for offset in range(size)]
        product_ids = product_repository.insert_many(session, rows)
        links = [
            (product_id, category_ids[(start + offset) % len(category_ids)])
            for offset, product_id in enumerate(product_ids)
        ]
        product_repository.link_many(session, links)
        session.commit()
        if progress is not None:
            progress(size)
    return count


def _demo_category_ids(session: Session) -> list[int]:
    """Return the ids of the demo categories, creating those that are missing."""
    categories = []
    for name in CATEGORY_NAMES:
        category = category_repository.get_by_name(session, name)
        if category is None:
            category = category_repository.add(session, Category(name=name))
        categories.append(category)
    session.commit()
    return [category.id for category in categories]


def _product_row(run: str, number: int) -> dict[str, Any]:
    adjective = ADJECTIVES[number % len(ADJECTIVES)]
    noun = NOUNS[(number // len(ADJECTIVES)) % len(NOUNS)]
    return {
        "sku": f"SEED-{run}-{number:07d}",
        "name": f"{adjective} {noun} {number}",
        "description": f"A {adjective.lower()} {noun} from the demo catalog.",
        "price": Decimal((number * 37) % 100_000) / 100,
    }

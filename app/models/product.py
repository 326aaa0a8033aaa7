"""Product: a sellable item with a unique SKU, a price and any number of categories.

Full-text search over sku, name and description lives outside the mapping (an FTS5 table
on SQLite, a generated `search_vector` column on PostgreSQL), built by migration 0002.
"""

from decimal import Decimal

from sqlalchemy import CheckConstraint, Index, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, TimestampMixin, VersionedMixin
from app.models.category import Category
from app.models.product_category import product_categories

SKU_MAX = 64
PRODUCT_NAME_MAX = 200
PRODUCT_DESCRIPTION_MAX = 5000
PRICE_PRECISION = 12
PRICE_SCALE = 2


class Product(TimestampMixin, VersionedMixin, Base):
    """A catalog product; `price` is a Decimal with two places, never negative."""

    __tablename__ = "products"
    __table_args__ = (
        CheckConstraint("price >= 0", name="price_not_negative"),
        # Keyset pagination walks (sort column, id); these keep deep pages cheap.
        Index("ix_products_name_id", "name", "id"),
        Index("ix_products_price_id", "price", "id"),
        Index("ix_products_created_at_id", "created_at", "id"),
    )

    sku: Mapped[str] = mapped_column(String(SKU_MAX), unique=True)
    name: Mapped[str] = mapped_column(String(PRODUCT_NAME_MAX))
    description: Mapped[str | None] = mapped_column(Text)
    price: Mapped[Decimal] = mapped_column(Numeric(PRICE_PRECISION, PRICE_SCALE))

    categories: Mapped[list[Category]] = relationship(
        secondary=product_categories, order_by=Category.id, passive_deletes=True
    )

    def __repr__(self) -> str:
        return f"<Product {self.id} {self.sku!r}>"

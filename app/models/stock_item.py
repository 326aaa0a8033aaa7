"""StockItem: how many units of one product one store holds."""

from sqlalchemy import CheckConstraint, ForeignKey, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, TimestampMixin, VersionedMixin

# Keeps `quantity + delta` inside a 32-bit INTEGER on every database.
MAX_QUANTITY = 1_000_000_000


class StockItem(TimestampMixin, VersionedMixin, Base):
    """One row per (store, product); the quantity never drops below zero."""

    __tablename__ = "stock_items"
    __table_args__ = (
        UniqueConstraint("store_id", "product_id"),
        CheckConstraint("quantity >= 0", name="quantity_not_negative"),
        CheckConstraint(f"quantity <= {MAX_QUANTITY}", name="quantity_at_most_max"),
    )

    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"))
    product_id: Mapped[int] = mapped_column(
        ForeignKey("products.id", ondelete="CASCADE"), index=True
    )
    quantity: Mapped[int] = mapped_column(default=0)

    def __repr__(self) -> str:
        return f"<StockItem store={self.store_id} product={self.product_id} x{self.quantity}>"

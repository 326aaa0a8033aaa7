"""Store: a shop the retailer runs, with its managers and its stock."""

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, TimestampMixin, VersionedMixin

STORE_NAME_MAX = 120
STORE_ADDRESS_MAX = 200
STORE_CITY_MAX = 100
STORE_STATE_MAX = 100
STORE_ZIP_CODE_MAX = 20


class Store(TimestampMixin, VersionedMixin, Base):
    """A store; its managers live in `store_managers`, its stock in `stock_items`.

    No ORM relationships on purpose: deleting a store removes its manager and stock
    rows through `ON DELETE CASCADE`, and lists load exactly the columns they render.
    """

    __tablename__ = "stores"
    __table_args__ = (
        # Keyset pagination walks (sort column, id); these keep deep pages cheap.
        Index("ix_stores_name_id", "name", "id"),
        Index("ix_stores_city_id", "city", "id"),
        Index("ix_stores_state_id", "state", "id"),
    )

    name: Mapped[str] = mapped_column(String(STORE_NAME_MAX))
    address: Mapped[str] = mapped_column(String(STORE_ADDRESS_MAX))
    city: Mapped[str] = mapped_column(String(STORE_CITY_MAX))
    state: Mapped[str] = mapped_column(String(STORE_STATE_MAX))
    zip_code: Mapped[str] = mapped_column(String(STORE_ZIP_CODE_MAX))

    def __repr__(self) -> str:
        return f"<Store {self.id} {self.name!r}>"

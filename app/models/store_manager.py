"""StoreManager: the association that makes a user a manager of one store."""

from datetime import datetime

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from app.common.clock import utcnow
from app.models.base import Base


class StoreManager(Base):
    """One row per (store, user): the only source of a manager's rights over a store."""

    __tablename__ = "store_managers"

    store_id: Mapped[int] = mapped_column(
        ForeignKey("stores.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return f"<StoreManager store={self.store_id} user={self.user_id}>"

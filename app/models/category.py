"""Category: a named group of products (a product may be in many).

The link lives on `Product.categories` only; deleting a category removes its links
through the foreign key's ON DELETE CASCADE.
"""

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, TimestampMixin, VersionedMixin

CATEGORY_NAME_MAX = 100
CATEGORY_DESCRIPTION_MAX = 2000


class Category(TimestampMixin, VersionedMixin, Base):
    """A catalog category; its name is unique."""

    __tablename__ = "categories"

    name: Mapped[str] = mapped_column(String(CATEGORY_NAME_MAX), unique=True)
    description: Mapped[str | None] = mapped_column(Text)

    def __repr__(self) -> str:
        return f"<Category {self.id} {self.name!r}>"

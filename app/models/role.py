"""Role: a named set of permissions (`admin`, `manager`) a user may hold."""

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base

ADMIN = "admin"
MANAGER = "manager"
ROLE_NAMES = (ADMIN, MANAGER)


class Role(Base):
    """A role; the rows are inserted by the first migration."""

    __tablename__ = "roles"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(32), unique=True)
    description: Mapped[str] = mapped_column(String(200), default="")

    def __repr__(self) -> str:
        return f"<Role {self.name}>"

"""User: an account that signs in to the API and the dashboard."""

from datetime import datetime

from sqlalchemy import String, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, TimestampMixin, VersionedMixin
from app.models.role import ADMIN, Role
from app.models.user_role import user_roles


class User(TimestampMixin, VersionedMixin, Base):
    """An account. `email` is stored trimmed and lower-cased (services normalise it)."""

    __tablename__ = "users"

    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    name: Mapped[str | None] = mapped_column(String(120))
    is_active: Mapped[bool] = mapped_column(default=True, server_default=true())
    last_login_at: Mapped[datetime | None] = mapped_column(default=None)
    roles: Mapped[list[Role]] = relationship(secondary=user_roles, order_by=Role.name)

    @property
    def role_names(self) -> list[str]:
        """The names of the user's roles, sorted."""
        return sorted(role.name for role in self.roles)

    @property
    def is_admin(self) -> bool:
        """Whether the user holds the admin role."""
        return self.has_role(ADMIN)

    def has_role(self, name: str) -> bool:
        """Tell whether the user holds the role called `name`."""
        return any(role.name == name for role in self.roles)

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email}>"

"""Token: an API bearer token or a password-reset token, stored as the SHA-256 of its secret."""

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.common.clock import utcnow
from app.models.base import Base
from app.models.user import User

ACCESS = "access"
REFRESH = "refresh"
RESET = "reset"


class Token(Base):
    """An access, refresh or password-reset token.

    The two tokens handed out together share a `pair_id`, so signing out ends both.
    `used_at` marks a refresh token spent by rotation: presenting it again is reuse,
    a sign it was stolen, and revokes every token of the user. A reset token is spent
    (`used_at`) by the one password reset it allows, and is alone in its `pair_id`.
    """

    __tablename__ = "tokens"
    __table_args__ = (CheckConstraint("kind IN ('access', 'refresh', 'reset')", name="kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    pair_id: Mapped[str] = mapped_column(String(32), index=True)
    expires_at: Mapped[datetime] = mapped_column(index=True)
    revoked_at: Mapped[datetime | None] = mapped_column(default=None)
    used_at: Mapped[datetime | None] = mapped_column(default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    user: Mapped[User] = relationship()

    def __repr__(self) -> str:
        return f"<Token {self.id} {self.kind} user={self.user_id}>"

"""IdempotencyKey: one `Idempotency-Key` a client sent with a POST, and the answer it got."""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, Index, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.common.clock import utcnow
from app.models.base import Base

KEY_MAX = 255
SCOPE_MAX = 100
STATE_IN_FLIGHT = "in_flight"
STATE_DONE = "done"


class IdempotencyKey(Base):
    """A POST seen with an `Idempotency-Key`: in flight, or done with its stored response.

    `scope` is whose key it is ("user:<id>", or "ip:<address>" for anonymous POSTs), so two
    clients never share a key. UNIQUE (scope, key) picks the one winner of concurrent
    first attempts. `fingerprint` is the SHA-256 of method, path and body.
    """

    __tablename__ = "idempotency_keys"
    __table_args__ = (
        UniqueConstraint("scope", "key"),
        CheckConstraint(f"state IN ('{STATE_IN_FLIGHT}', '{STATE_DONE}')", name="state"),
        Index("ix_idempotency_keys_expires_at", "expires_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    scope: Mapped[str] = mapped_column(String(SCOPE_MAX))
    key: Mapped[str] = mapped_column(String(KEY_MAX))
    fingerprint: Mapped[str] = mapped_column(String(64))
    state: Mapped[str] = mapped_column(String(16), default=STATE_IN_FLIGHT)
    response_status: Mapped[int | None] = mapped_column()
    response_headers: Mapped[list[Any] | None] = mapped_column(JSON)
    response_body: Mapped[bytes | None] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime] = mapped_column()

    @property
    def is_done(self) -> bool:
        """Tell whether the first request finished and its response is stored."""
        return self.state == STATE_DONE

    def __repr__(self) -> str:
        return f"<IdempotencyKey {self.id} {self.scope} {self.state}>"

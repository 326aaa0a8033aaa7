"""Job: background work (a CSV import or export) that the API reports on.

The uploaded CSV and the export's output live in `job_files`, in the database, so any
worker on any machine can read them. `errors` keeps the first MAX_STORED_ERRORS row
errors; `error_count` counts them all.
"""

from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, TimestampMixin

KIND_IMPORT_PRODUCTS = "import_products"
KIND_IMPORT_STOCK = "import_stock"
KIND_EXPORT_PRODUCTS = "export_products"
KIND_EXPORT_STOCK = "export_stock"
KINDS = (KIND_IMPORT_PRODUCTS, KIND_IMPORT_STOCK, KIND_EXPORT_PRODUCTS, KIND_EXPORT_STOCK)
STATUS_QUEUED = "queued"
STATUS_RUNNING = "running"
STATUS_SUCCEEDED = "succeeded"
STATUS_FAILED = "failed"
STATUSES = (STATUS_QUEUED, STATUS_RUNNING, STATUS_SUCCEEDED, STATUS_FAILED)
FINISHED = frozenset({STATUS_SUCCEEDED, STATUS_FAILED})
MAX_STORED_ERRORS = 100


def _one_of(column: str, values: tuple[str, ...]) -> str:
    listed = ", ".join(f"'{value}'" for value in values)
    return f"{column} IN ({listed})"


class Job(TimestampMixin, Base):
    """One import or export: its status, progress, row errors and result."""

    __tablename__ = "jobs"
    __table_args__ = (
        CheckConstraint(_one_of("kind", KINDS), name="kind"),
        CheckConstraint(_one_of("status", STATUSES), name="status"),
        Index("ix_jobs_created_by_id", "created_by_id", "id"),
    )

    kind: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16), default=STATUS_QUEUED)
    progress_done: Mapped[int] = mapped_column(default=0)
    progress_total: Mapped[int] = mapped_column(default=0)
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    errors: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    error_count: Mapped[int] = mapped_column(default=0)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    @property
    def is_finished(self) -> bool:
        """Tell whether the job succeeded or failed (it will not run again)."""
        return self.status in FINISHED

    def __repr__(self) -> str:
        return f"<Job {self.id} {self.kind} {self.status}>"

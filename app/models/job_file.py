"""JobFile: a job's CSV (the uploaded input or the export's output), kept in the database.

Kept in the database rather than on a disk so that any worker on any machine, and any
web process, reads the same bytes; a CSV is at most MAX_CONTENT_LENGTH (16 MiB).
"""

from sqlalchemy import CheckConstraint, ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base

ROLE_INPUT = "input"
ROLE_OUTPUT = "output"
FILENAME_MAX = 255


class JobFile(Base):
    """The bytes of one file of a job; removed with its job."""

    __tablename__ = "job_files"
    __table_args__ = (CheckConstraint(f"role IN ('{ROLE_INPUT}', '{ROLE_OUTPUT}')", name="role"),)

    job_id: Mapped[int] = mapped_column(ForeignKey("jobs.id", ondelete="CASCADE"), primary_key=True)
    role: Mapped[str] = mapped_column(String(8), primary_key=True)
    filename: Mapped[str] = mapped_column(String(FILENAME_MAX))
    content: Mapped[bytes] = mapped_column(LargeBinary)

    def __repr__(self) -> str:
        return f"<JobFile job={self.job_id} {self.role} {self.filename!r}>"

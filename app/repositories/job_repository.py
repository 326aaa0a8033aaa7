"""Queries over `jobs` and `job_files`: one job, its progress, and its CSV bytes."""

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.common.clock import utcnow
from app.models.job import Job
from app.models.job_file import JobFile


def get_by_id(session: Session, job_id: int) -> Job | None:
    """Return the job with this id, or None; always read fresh from the database."""
    stmt = select(Job).where(Job.id == job_id).execution_options(populate_existing=True)
    return session.scalars(stmt).one_or_none()


def add(session: Session, job: Job) -> Job:
    """Stage a new job and flush it, so it has an id."""
    session.add(job)
    session.flush()
    return job


def set_progress(session: Session, job_id: int, done: int, total: int) -> None:
    """Stage one UPDATE of a job's progress (no ORM object is loaded)."""
    session.execute(
        update(Job)
        .where(Job.id == job_id)
        .values(progress_done=done, progress_total=total, updated_at=utcnow())
    )


def add_file(session: Session, job_id: int, role: str, filename: str, content: bytes) -> None:
    """Stage a job's file (its input or output)."""
    session.add(JobFile(job_id=job_id, role=role, filename=filename, content=content))


def get_file(session: Session, job_id: int, role: str) -> JobFile | None:
    """Return a job's input or output file, or None."""
    return session.get(JobFile, (job_id, role))


def delete_file(session: Session, job_id: int, role: str) -> None:
    """Stage the removal of a job's file, if it has one."""
    found = get_file(session, job_id, role)
    if found is not None:
        session.delete(found)

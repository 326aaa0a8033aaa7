"""Jobs: submit a CSV import or export (admins), read a job (its creator or an admin).

A job is committed first, then handed to the `JobQueue` port; if the queue cannot take it
(the broker is down), the job is marked failed at once, so none waits queued forever.
The import and export services run a job: `start_job` makes it idempotent.
"""

from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from app.common.errors import NotFoundError, PermissionDeniedError, ServiceUnavailableError
from app.common.errors import ValidationError as InputError
from app.models import job as jobs
from app.models.job import Job
from app.models.job_file import FILENAME_MAX, ROLE_INPUT, ROLE_OUTPUT, JobFile
from app.repositories import job_repository
from app.services import store_service
from app.services.access import Actor
from app.services.ports import JobQueue

TARGETS = ("products", "stock")
QUEUE_DOWN_MESSAGE = "The job could not be queued: the task broker does not answer."


@dataclass(frozen=True)
class ImportRequest:
    """A CSV import: what it holds (`products` or `stock`), the file, and the policy."""

    target: str
    filename: str
    content: bytes
    store_id: int | None = None
    skip_invalid: bool = False


@dataclass(frozen=True)
class ExportRequest:
    """A CSV export of the catalog (`products`) or of one store's stock (`stock`)."""

    target: str
    store_id: int | None = None


def create_import_job(session: Session, actor: Actor | None, request: ImportRequest) -> Job:
    """Commit a queued import job with its file; `actor` None is the operator (the CLI).

    Raises:
        PermissionDeniedError: the actor is not an admin.
        ValidationError: the target is unknown, or the store is missing (or not wanted).
        NotFoundError: there is no store with this id.
    """
    _require_admin(actor)
    _check_target(session, request.target, request.store_id)
    params = {"store_id": request.store_id, "skip_invalid": request.skip_invalid}
    job = _add_job(session, actor, f"import_{request.target}", params)
    filename = (request.filename or "upload.csv")[:FILENAME_MAX]
    job_repository.add_file(session, job.id, ROLE_INPUT, filename, request.content)
    session.commit()
    return job


def create_export_job(session: Session, actor: Actor | None, request: ExportRequest) -> Job:
    """Commit a queued export job; `actor` None is the operator (the CLI).

    Raises:
        PermissionDeniedError: the actor is not an admin.
        ValidationError: the target is unknown, or the store is missing (or not wanted).
        NotFoundError: there is no store with this id.
    """
    _require_admin(actor)
    _check_target(session, request.target, request.store_id)
    job = _add_job(session, actor, f"export_{request.target}", {"store_id": request.store_id})
    session.commit()
    return job


def submit_import(session: Session, actor: Actor, request: ImportRequest, queue: JobQueue) -> Job:
    """Commit an import job and queue it (admins only).

    Raises:
        PermissionDeniedError, ValidationError: as `create_import_job`.
        ServiceUnavailableError: the queue does not answer; the job is marked failed.
    """
    return _enqueue(session, create_import_job(session, actor, request), queue)


def submit_export(session: Session, actor: Actor, request: ExportRequest, queue: JobQueue) -> Job:
    """Commit an export job and queue it (admins only).

    Raises:
        PermissionDeniedError, ValidationError: as `create_export_job`.
        ServiceUnavailableError: the queue does not answer; the job is marked failed.
    """
    return _enqueue(session, create_export_job(session, actor, request), queue)


def get_job(session: Session, actor: Actor, job_id: int) -> Job:
    """Return a job to its creator or an admin.

    Raises:
        NotFoundError: no such job, or the actor may not see it.
    """
    job = job_repository.get_by_id(session, job_id)
    if job is None or not (actor.is_admin or job.created_by_id == actor.id):
        raise NotFoundError(f"No job with id {job_id}.")
    return job


def get_output_file(session: Session, actor: Actor, job_id: int) -> JobFile:
    """Return an export's CSV to the job's creator or an admin, once the job succeeded.

    Raises:
        NotFoundError: no such job, the actor may not see it, or it has no output file.
    """
    job = get_job(session, actor, job_id)
    found = job_repository.get_file(session, job.id, ROLE_OUTPUT)
    if found is None:
        raise NotFoundError(f"Job {job_id} has no file (yet): exports have one when they succeed.")
    return found


def read_file(session: Session, job_id: int, role: str) -> bytes | None:
    """Return the bytes of a job's input or output file, or None (workers and the CLI)."""
    found = job_repository.get_file(session, job_id, role)
    return None if found is None else found.content


def start_job(session: Session, job_id: int) -> Job | None:
    """Mark a job running from scratch and commit; None when it is gone or finished.

    A redelivered task for a finished job therefore does nothing, and one for a job
    left running by a crashed worker starts over (its writes were never committed).
    """
    job = job_repository.get_by_id(session, job_id)
    if job is None or job.is_finished:
        session.rollback()
        return None
    job.status = jobs.STATUS_RUNNING
    job.progress_done = job.progress_total = job.error_count = 0
    job.errors, job.result = [], None
    session.commit()
    return job


def record_progress(session: Session, job_id: int, done: int, total: int) -> None:
    """Commit a job's progress in its own short transaction, so readers see it rise."""
    job_repository.set_progress(session, job_id, done, total)
    session.commit()


def finish_job(job: Job, result: dict[str, Any], errors: list[dict[str, Any]]) -> None:
    """Stage a job's success; the caller commits it with the job's own writes."""
    job.status = jobs.STATUS_SUCCEEDED
    job.progress_done = job.progress_total
    _set_errors(job, errors)
    job.result = result


def fail_job(
    session: Session, job_id: int, errors: list[dict[str, Any]], result: dict[str, Any]
) -> None:
    """Roll back whatever the job staged, mark it failed with its errors, and commit."""
    session.rollback()
    job = job_repository.get_by_id(session, job_id)
    if job is None:
        return
    job.status = jobs.STATUS_FAILED
    _set_errors(job, errors)
    job.result = result
    session.commit()


def _set_errors(job: Job, errors: list[dict[str, Any]]) -> None:
    job.errors = errors[: jobs.MAX_STORED_ERRORS]
    job.error_count = len(errors)


def _enqueue(session: Session, job: Job, queue: JobQueue) -> Job:
    job_id, kind = job.id, job.kind
    session.commit()  # end the read: a task run eagerly writes the job meanwhile
    try:
        queue.enqueue_job(job_id, kind)
    except ServiceUnavailableError:
        fail_job(session, job_id, [{"line": None, "message": QUEUE_DOWN_MESSAGE}], {})
        raise
    return job_repository.get_by_id(session, job_id) or job


def _add_job(session: Session, actor: Actor | None, kind: str, params: dict[str, Any]) -> Job:
    job = Job(
        kind=kind,
        status=jobs.STATUS_QUEUED,
        params=params,
        errors=[],
        created_by_id=None if actor is None else actor.id,
    )
    return job_repository.add(session, job)


def _require_admin(actor: Actor | None) -> None:
    if actor is not None and not actor.is_admin:
        raise PermissionDeniedError("Only an admin may import or export.")


def _check_target(session: Session, target: str, store_id: int | None) -> None:
    if target not in TARGETS:
        raise InputError("Unknown kind.", {"kind": ["Give `products` or `stock`."]})
    if target == "products" and store_id is not None:
        raise InputError("No store here.", {"store_id": ["Only stock belongs to a store."]})
    if target == "stock" and store_id is None:
        raise InputError("Which store?", {"store_id": ["Field required for stock."]})
    if store_id is not None:
        store_service.get_store(session, store_id)

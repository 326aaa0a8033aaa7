"""Job tasks: run a CSV import or export job by id, in a worker.

Each task is idempotent: the services leave a finished job alone, and restart a job a
crashed worker left running (nothing of that attempt was committed). Transient errors
(the database busy or gone) are retried with backoff like every task; any other error,
or the last retry, marks the job failed so it is never left running forever.
"""

import logging
from collections.abc import Callable

from celery import Task, shared_task
from sqlalchemy.orm import Session

from app.extensions import db
from app.models.job import Job
from app.services import export_service, import_service, job_service
from app.tasks.celery_app import TRANSIENT_ERRORS

logger = logging.getLogger(__name__)

RUN_IMPORT = "stockroom.jobs.run_import"
RUN_EXPORT = "stockroom.jobs.run_export"
SKIPPED = "skipped"
CRASH_MESSAGE = "The job stopped on an unexpected error; the worker's log has the details."

Runner = Callable[[Session, int], Job | None]


@shared_task(bind=True, name=RUN_IMPORT)  # type: ignore[untyped-decorator]
def run_import(task: Task, job_id: int) -> str:
    """Run import job `job_id`; return its final status, or "skipped" if it had finished."""
    return _run(task, import_service.run_import, job_id)


@shared_task(bind=True, name=RUN_EXPORT)  # type: ignore[untyped-decorator]
def run_export(task: Task, job_id: int) -> str:
    """Run export job `job_id`; return its final status, or "skipped" if it had finished."""
    return _run(task, export_service.run_export, job_id)


def _run(task: Task, runner: Runner, job_id: int) -> str:
    session = db.session()
    try:
        job = runner(session, job_id)
    except Exception as error:
        will_retry = isinstance(error, TRANSIENT_ERRORS) and task.request.retries < task.max_retries
        if not will_retry:
            _mark_failed(session, job_id)
        raise
    if job is None:
        logger.info("jobs: job %s is gone or finished; nothing to do", job_id)
        return SKIPPED
    return job.status


def _mark_failed(session: Session, job_id: int) -> None:
    try:
        job_service.fail_job(session, job_id, [{"line": None, "message": CRASH_MESSAGE}], {})
    except Exception:  # the database itself may be what failed: the log must say so
        logger.exception("jobs: could not mark job %s failed", job_id)

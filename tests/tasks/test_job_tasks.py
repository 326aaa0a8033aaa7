from typing import Any

import pytest
from flask import Flask
from sqlalchemy.orm import Session

from app.models.job import Job
from app.models.job_file import ROLE_INPUT, JobFile
from app.services import job_service
from app.tasks.celery_app import EXTENSION_KEY
from app.tasks.job_tasks import CRASH_MESSAGE, RUN_EXPORT, RUN_IMPORT, SKIPPED

CSV = b"sku,name,price\nA-1,Spade,1\n"


def _run(app: Flask, task_name: str, job_id: int) -> Any:
    return app.extensions[EXTENSION_KEY].tasks[task_name].apply(args=(job_id,))


@pytest.fixture
def import_job(session: Session) -> Job:
    request = job_service.ImportRequest("products", "a.csv", CSV)
    return job_service.create_import_job(session, None, request)


def test_the_import_task_runs_the_job_and_returns_its_status(app: Flask, import_job: Job) -> None:
    result = _run(app, RUN_IMPORT, import_job.id)

    assert result.get() == "succeeded"


def test_a_redelivered_import_task_does_nothing_the_second_time(
    app: Flask, import_job: Job
) -> None:
    _run(app, RUN_IMPORT, import_job.id)

    assert _run(app, RUN_IMPORT, import_job.id).get() == SKIPPED


def test_the_export_task_runs_the_job(app: Flask, session: Session) -> None:
    job = job_service.create_export_job(session, None, job_service.ExportRequest("products"))

    assert _run(app, RUN_EXPORT, job.id).get() == "succeeded"


def test_a_task_for_a_job_that_is_gone_does_nothing(app: Flask) -> None:
    assert _run(app, RUN_IMPORT, 999).get() == SKIPPED


def test_a_job_that_crashes_is_marked_failed_not_left_running(app: Flask, session: Session) -> None:
    # A stock import whose store went missing from its parameters: a bug, not bad input.
    job = Job(kind="import_stock", status="queued", params={}, errors=[])
    session.add(job)
    session.flush()
    session.add(
        JobFile(job_id=job.id, role=ROLE_INPUT, filename="s.csv", content=b"sku,quantity\n")
    )
    session.commit()

    result = _run(app, RUN_IMPORT, job.id)

    assert isinstance(result.result, KeyError)
    session.expire_all()
    assert (job.status, job.errors) == ("failed", [{"line": None, "message": CRASH_MESSAGE}])

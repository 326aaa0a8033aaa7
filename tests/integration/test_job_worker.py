"""A 10,000-row CSV import through a real Celery worker (subprocess) on PostgreSQL and Redis.

The job is submitted from this process as the web app does (committed, then enqueued);
the test polls the job row, as GET /api/jobs/<id> does, until it finishes.
"""

import time
from collections.abc import Iterator

import pytest
from flask import Flask
from sqlalchemy import create_engine, func, select, text

from app.extensions import db
from app.models.product import Product
from app.services import job_service
from app.tasks.queue import job_queue
from tests.integration.celery_worker_process import running_worker, worker_environment
from tests.integration.conftest import producer_app, random_redis_database

pytestmark = pytest.mark.integration

ROWS = 10_000
WAIT_SECONDS = 60


@pytest.fixture(scope="module")
def job_worker(
    pg_url: str, pg_seeded_tables: frozenset[str], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """Start `celery -A celery_worker worker` on a Redis database; yield its broker URL."""
    log_path = tmp_path_factory.mktemp("job-worker") / "worker.log"
    with (
        random_redis_database() as broker,
        running_worker(worker_environment(pg_url, broker), log_path, "jobs"),
    ):
        yield broker


@pytest.fixture
def producer(pg_app: Flask, pg_url: str, job_worker: str) -> Iterator[Flask]:
    """An app that enqueues to the worker's broker, as the web app does in production."""
    with producer_app(pg_url, job_worker) as app:
        yield app


def test_a_ten_thousand_row_import_runs_in_a_worker_with_progress_rising(
    producer: Flask, pg_url: str
) -> None:
    rows = "".join(f"PG-{number:05d},Item {number},{number % 90}.25\n" for number in range(ROWS))
    request = job_service.ImportRequest("products", "bulk.csv", f"sku,name,price\n{rows}".encode())
    job = job_service.create_import_job(db.session(), None, request)
    job_queue.enqueue_job(job.id, job.kind)

    seen: list[tuple[str, int]] = []
    reader = create_engine(pg_url)
    deadline = time.monotonic() + WAIT_SECONDS
    query = text("SELECT status, progress_done FROM jobs WHERE id = :id")
    with reader.connect() as connection:
        while time.monotonic() < deadline and (not seen or seen[-1][0] in {"queued", "running"}):
            status, done = connection.execute(query, {"id": job.id}).one()
            connection.rollback()
            seen.append((status, done))
            time.sleep(0.02)
    reader.dispose()

    progress = [done for _, done in seen]
    assert seen[-1] == ("succeeded", ROWS), seen[-5:]
    assert progress == sorted(progress)
    assert any(0 < done < ROWS for done in progress), "no progress seen between 0 and the end"
    count = db.session.scalar(select(func.count()).select_from(Product))
    assert count == ROWS

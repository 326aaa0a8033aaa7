"""A 10,000-row CSV import through a real Celery worker (subprocess) on PostgreSQL and Redis.

The job is submitted from this process as the web app does (committed, then enqueued);
the test polls the job row, as GET /api/jobs/<id> does, until it finishes.
"""

import os
import secrets
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import create_engine, func, select, text

from app.extensions import db
from app.models.product import Product
from app.services import job_service
from app.tasks.queue import job_queue
from tests.conftest import make_test_app

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
CELERY = Path(sys.executable).with_name("celery")
ROWS = 10_000
WAIT_SECONDS = 60


@pytest.fixture(scope="module")
def job_worker(
    pg_url: str, pg_seeded_tables: frozenset[str], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """Start `celery -A celery_worker worker` on a Redis database; yield its broker URL."""
    broker = f"redis://127.0.0.1:6379/{secrets.randbelow(15) + 1}"
    env = {key: value for key, value in os.environ.items() if key != "PROMETHEUS_MULTIPROC_DIR"}
    env.update(
        STOCKROOM_ENV="testing",
        DATABASE_URL=pg_url,
        CELERY_BROKER_URL=broker,
        CELERY_RESULT_BACKEND=broker,
    )
    log_path = tmp_path_factory.mktemp("job-worker") / "worker.log"
    command = [
        str(CELERY), "-A", "celery_worker", "worker", "--concurrency", "1", "--loglevel",
        "INFO", "--without-gossip", "--without-mingle", "--without-heartbeat",
        "--hostname", f"jobs-{secrets.token_hex(4)}@%h",
    ]  # fmt: skip
    with log_path.open("wb") as log:
        process = subprocess.Popen(  # noqa: S603 - a fixed command line
            command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        yield broker
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


@pytest.fixture
def producer(pg_app: Flask, pg_url: str, job_worker: str) -> Iterator[Flask]:
    """An app that enqueues to the worker's broker, as the web app does in production."""
    app = make_test_app(
        pg_url, CELERY_TASK_ALWAYS_EAGER=False, CELERY_BROKER_URL=job_worker,
        CELERY_RESULT_BACKEND=job_worker,
    )  # fmt: skip
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


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

"""A real `celery -A celery_worker worker` subprocess, as production starts it, for one test module.

The worker runs in its own process group with one pool process, writes its output to a log
file (shown when a test fails), and is always stopped: SIGTERM first, SIGKILL if it lingers.
"""

import os
import secrets
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CELERY = Path(sys.executable).with_name("celery")
WORKER_STOP_SECONDS = 10


def worker_environment(database_url: str, broker_url: str, **extra: str) -> dict[str, str]:
    """This process's environment for a testing worker on that database and broker."""
    env = {key: value for key, value in os.environ.items() if key != "PROMETHEUS_MULTIPROC_DIR"}
    env.update(
        STOCKROOM_ENV="testing",
        DATABASE_URL=database_url,
        CELERY_BROKER_URL=broker_url,
        CELERY_RESULT_BACKEND=broker_url,
        **extra,
    )
    return env


@contextmanager
def running_worker(
    env: dict[str, str], log_path: Path, name: str
) -> Iterator[subprocess.Popen[bytes]]:
    """Start a worker named `name-<random>`; stop it (and its pool) when the block ends."""
    command = [
        str(CELERY), "-A", "celery_worker", "worker", "--concurrency", "1",
        "--loglevel", "INFO", "--without-gossip", "--without-mingle", "--without-heartbeat",
        "--hostname", f"{name}-{secrets.token_hex(4)}@%h",
    ]  # fmt: skip
    with log_path.open("wb") as log:
        process = subprocess.Popen(  # noqa: S603 - a fixed command line
            command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        yield process
    finally:
        stop(process)


def stop(process: subprocess.Popen[bytes]) -> None:
    """Warm-shut the worker's process group down; kill it if it lingers."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=WORKER_STOP_SECONDS)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()

"""Tools for the Celery fault test: workers to kill, queued mails, the outbox they fill.

The workers use RabbitMQ, on a queue of the test's own: AMQP gives a dead consumer's
unacknowledged messages back at once. kombu's Redis transport pops a message (BRPOP)
before it records it as unacknowledged, so a worker SIGKILLed in between loses it;
the test saw that happen (1 task in 100), see docs/deployment.md.
"""

import os
import secrets
import signal
import subprocess
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from email import policy
from email.parser import BytesParser
from pathlib import Path

from kombu import Connection
from kombu.exceptions import OperationalError

from tests.conftest import make_test_app
from tests.integration.conftest import unavailable

ROOT = Path(__file__).resolve().parents[2]
CELERY = Path(sys.executable).with_name("celery")
DEFAULT_AMQP_URL = "amqp://guest:guest@127.0.0.1:5672//"
QUEUE_ENV = "STOCKROOM_FAULT_QUEUE"
# Seconds each task waits before it runs (fault_celery). Without it a fast machine mailed
# all 100 before the main process was killed, and the kill then tested nothing; with it
# 100 tasks take at least 6 s on the 4 pool processes, while the kills take 1-3 s.
TASK_DELAY_ENV = "STOCKROOM_FAULT_TASK_DELAY"
TASK_DELAY_SECONDS = 0.25


def amqp_url() -> str:
    """The RabbitMQ the test's workers use (STOCKROOM_TEST_AMQP_URL), checked to answer."""
    url = os.environ.get("STOCKROOM_TEST_AMQP_URL", DEFAULT_AMQP_URL)
    try:
        with Connection(url, connect_timeout=5) as connection:
            connection.ensure_connection(max_retries=1)
    except (OSError, OperationalError) as error:
        unavailable(f"RabbitMQ does not answer: {error}")
    return url


@contextmanager
def private_queue(broker_url: str) -> Iterator[str]:
    """A queue name of the test's own, deleted (with what is left in it) at the end."""
    name = f"stockroom-faults-{secrets.token_hex(4)}"
    try:
        yield name
    finally:
        with Connection(broker_url) as connection:
            connection.default_channel.queue_delete(name)


def kill_a_pool_child(workers: list[subprocess.Popen[bytes]], killed: set[int]) -> int:
    """SIGKILL a live pool process not killed before, of the first worker that has one.

    Returns:
        The pid killed, or 0 when no worker has a live pool process right now.
    """
    for pid in (pid for worker in workers for pid in pool_children(worker)):
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        if pid not in killed and state != "Z":
            os.kill(pid, signal.SIGKILL)
            killed.add(pid)
            return pid
    return 0


def enqueue_manager_mails(
    urls: dict[str, str], queue: str, ids: tuple[int, int], count: int
) -> set[str]:
    """Queue `count` manager-added mails (store id, user id); return their Message-IDs."""
    producer = make_test_app(
        urls["database"],
        CELERY_TASK_ALWAYS_EAGER=False,
        CELERY_BROKER_URL=urls["broker"],
        CELERY_RESULT_BACKEND=urls["results"],
        CELERY_TASK_DEFAULT_QUEUE=queue,
    )
    event_ids = [uuid.uuid4().hex for _ in range(count)]
    with producer.app_context():
        celery_app = producer.extensions["celery"]
        for event_id in event_ids:
            celery_app.tasks["stockroom.mail.manager_added"].apply_async(args=(event_id, *ids))
        celery_app.close()
    return {f"<manager-added.{event_id}@localhost>" for event_id in event_ids}


def worker_env(urls: dict[str, str], queue: str, outbox: Path) -> dict[str, str]:
    """The environment of a worker on those services and queue, mailing into `outbox`."""
    env = {key: value for key, value in os.environ.items() if key != "PROMETHEUS_MULTIPROC_DIR"}
    env.update(STOCKROOM_ENV="testing", DATABASE_URL=urls["database"],
               CELERY_BROKER_URL=urls["broker"], CELERY_RESULT_BACKEND=urls["results"],
               MAIL_BACKEND="file", MAIL_OUTBOX_DIR=str(outbox),
               **{QUEUE_ENV: queue, TASK_DELAY_ENV: str(TASK_DELAY_SECONDS)})  # fmt: skip
    return env


def start_worker(name: str, env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    """Start a 2-process worker on tests.integration.fault_celery, in its own process group."""
    command = [str(CELERY), "-A", "tests.integration.fault_celery", "worker", "--concurrency", "2",
               "--loglevel", "INFO", "--hostname", f"{name}-{os.getpid()}@%h",
               "--without-gossip", "--without-mingle"]  # fmt: skip
    with log.open("ab") as output:
        return subprocess.Popen(  # noqa: S603 - a fixed command line
            command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip


def outbox_ids(outbox: Path) -> list[str]:
    """The Message-ID of every message in the outbox (one file per Message-ID)."""
    parser = BytesParser(policy=policy.default)
    return [
        str(parser.parsebytes(path.read_bytes())["Message-ID"]) for path in outbox.glob("*.eml")
    ]


def pool_children(worker: subprocess.Popen[bytes]) -> list[int]:
    """The pids of a worker's pool processes."""
    children = Path(f"/proc/{worker.pid}/task/{worker.pid}/children")
    return [int(pid) for pid in children.read_text().split()]

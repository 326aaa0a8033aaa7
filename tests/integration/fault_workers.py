"""Tools for the Celery fault test: a slow SMTP server, workers to kill, queued mails."""

import asyncio
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller

from tests.conftest import make_test_app
from tests.smtp_sink import SmtpSink, free_port

ROOT = Path(__file__).resolve().parents[2]
CELERY = Path(sys.executable).with_name("celery")
SMTP_DELAY_SECONDS = 0.1
# Redis gives a dead worker's unacknowledged messages back after `visibility_timeout`
# (kombu's default: an hour), sweeping every interval x throttle seconds (default 100 s).
VISIBILITY_TIMEOUT = 8
TRANSPORT_OPTIONS = {
    "visibility_timeout": VISIBILITY_TIMEOUT,
    "unacked_restore_interval": 1,
    "unacked_restore_throttle": 1,
}


class SlowSmtpSink(SmtpSink):
    """An SMTP server that takes SMTP_DELAY_SECONDS per message, so kills land mid-task.

    Like a real server, it keeps a message only if the client is still there to get the
    "250": a sender killed while it waited never had its message accepted.
    """

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        """Wait, then accept the message unless the client has gone."""
        await asyncio.sleep(SMTP_DELAY_SECONDS)
        if server.transport is None or server.transport.is_closing():
            return "421 Sender went away"
        return await super().handle_DATA(server, session, envelope)

    def received_ids(self) -> list[str]:
        """The Message-ID of every message accepted, repeats included."""
        return [str(message["Message-ID"]) for message in list(self.messages)]


@contextmanager
def running_slow_sink() -> Iterator[SlowSmtpSink]:
    """Run a SlowSmtpSink on a free port for the block."""
    sink = SlowSmtpSink(port=free_port())
    controller = Controller(sink, hostname=sink.host, port=sink.port)
    controller.start()
    try:
        yield sink
    finally:
        controller.stop()


def enqueue_manager_mails(
    pg_url: str, broker_url: str, ids: tuple[int, int], count: int
) -> set[str]:
    """Queue `count` manager-added mails (store id, user id); return their Message-IDs."""
    producer = make_test_app(
        pg_url,
        CELERY_TASK_ALWAYS_EAGER=False,
        CELERY_BROKER_URL=broker_url,
        CELERY_RESULT_BACKEND=broker_url,
    )
    event_ids = [uuid.uuid4().hex for _ in range(count)]
    with producer.app_context():
        celery_app = producer.extensions["celery"]
        for event_id in event_ids:
            celery_app.tasks["stockroom.mail.manager_added"].apply_async(args=(event_id, *ids))
        celery_app.close()
    return {f"<manager-added.{event_id}@localhost>" for event_id in event_ids}


def worker_env(pg_url: str, broker_url: str, sink: SmtpSink) -> dict[str, str]:
    """The environment of a worker on that database and broker, mailing to `sink`."""
    env = {key: value for key, value in os.environ.items() if key != "PROMETHEUS_MULTIPROC_DIR"}
    env.update(STOCKROOM_ENV="testing", DATABASE_URL=pg_url, CELERY_BROKER_URL=broker_url,
               CELERY_RESULT_BACKEND=broker_url, MAIL_BACKEND="smtp",
               MAIL_SERVER=sink.host, MAIL_PORT=str(sink.port))  # fmt: skip
    return env


def start_worker(name: str, env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    """Start a 2-process worker on tests.integration.fault_celery, in its own process group."""
    command = [str(CELERY), "-A", "tests.integration.fault_celery", "worker", "--concurrency", "2",
               "--loglevel", "INFO", "--hostname", f"{name}-{os.getpid()}@%h"]  # fmt: skip
    with log.open("ab") as output:
        return subprocess.Popen(  # noqa: S603 - a fixed command line
            command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip


def pool_children(worker: subprocess.Popen[bytes]) -> list[int]:
    """The pids of a worker's pool processes."""
    children = Path(f"/proc/{worker.pid}/task/{worker.pid}/children")
    return [int(pid) for pid in children.read_text().split()]

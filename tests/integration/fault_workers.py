"""Tools for the Celery fault test: a slow SMTP server, workers to kill, queued mails.

The workers use RabbitMQ, on a queue of the test's own: AMQP gives a dead consumer's
unacknowledged messages back at once. kombu's Redis transport pops a message (BRPOP)
before it records it as unacknowledged, so a worker SIGKILLed in between loses it;
the test saw that happen (1 task in 100), see docs/deployment.md.
"""

import asyncio
import os
import secrets
import signal
import socket
import subprocess
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from kombu import Connection
from kombu.exceptions import OperationalError

from tests.conftest import make_test_app
from tests.integration.conftest import unavailable
from tests.smtp_sink import SmtpSink, free_port

ROOT = Path(__file__).resolve().parents[2]
CELERY = Path(sys.executable).with_name("celery")
SMTP_DELAY_SECONDS = 0.1
DEFAULT_AMQP_URL = "amqp://guest:guest@127.0.0.1:5672//"
QUEUE_ENV = "STOCKROOM_FAULT_QUEUE"


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


class SlowSmtpSink(SmtpSink):
    """An SMTP server that takes SMTP_DELAY_SECONDS per message, so kills land mid-task.

    Like a real server, it keeps a message only if the client is still there to get the
    "250": a sender killed while it waited never had its message accepted.
    """

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        """Wait, then accept the message unless the client has gone."""
        await asyncio.sleep(SMTP_DELAY_SECONDS)
        if is_client_gone(server.transport):
            return "421 Sender went away"
        return await super().handle_DATA(server, session, envelope)

    def received_ids(self) -> list[str]:
        """The Message-ID of every message accepted, repeats included."""
        return [str(message["Message-ID"]) for message in list(self.messages)]


def is_client_gone(transport: Any) -> bool:
    """Peek at the client's socket: EOF means its process died while waiting for the 250."""
    if transport is None or transport.is_closing():
        return True
    probe = socket.socket(fileno=os.dup(transport.get_extra_info("socket").fileno()))
    try:
        return probe.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT) == b""
    except BlockingIOError:
        return False  # connected, nothing to read: the client waits for our answer
    except OSError:
        return True
    finally:
        probe.close()


def kill_a_pool_child(worker: subprocess.Popen[bytes], killed: set[int]) -> int:
    """SIGKILL a live pool process of `worker` not killed before; return its pid (0: none)."""
    for pid in pool_children(worker):
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        if pid not in killed and state != "Z":
            os.kill(pid, signal.SIGKILL)
            killed.add(pid)
            return pid
    return 0


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


def worker_env(urls: dict[str, str], queue: str, sink: SmtpSink) -> dict[str, str]:
    """The environment of a worker on those services and queue, mailing to `sink`."""
    env = {key: value for key, value in os.environ.items() if key != "PROMETHEUS_MULTIPROC_DIR"}
    env.update(STOCKROOM_ENV="testing", DATABASE_URL=urls["database"],
               CELERY_BROKER_URL=urls["broker"], CELERY_RESULT_BACKEND=urls["results"],
               MAIL_BACKEND="smtp", MAIL_SERVER=sink.host, MAIL_PORT=str(sink.port),
               **{QUEUE_ENV: queue})  # fmt: skip
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


def pool_children(worker: subprocess.Popen[bytes]) -> list[int]:
    """The pids of a worker's pool processes."""
    children = Path(f"/proc/{worker.pid}/task/{worker.pid}/children")
    return [int(pid) for pid in children.read_text().split()]

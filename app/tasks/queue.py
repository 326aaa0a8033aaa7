"""The Celery implementations of the service ports (`app/services/ports.py`).

Routes pass these to services, which call them after their transaction commits:
`from app.tasks.queue import manager_notifier`. Each call enqueues one task on the
current app's Celery app (in tests, with CELERY_TASK_ALWAYS_EAGER, it runs at once).
A broker that cannot be reached after Celery's publish retries is logged, not raised:
the change it reports is already committed, and the client must not see it fail.
"""

import logging
import uuid

from flask import current_app
from kombu.exceptions import OperationalError as BrokerError

from app.common.errors import ServiceUnavailableError
from app.tasks.celery_app import EXTENSION_KEY
from app.tasks.job_tasks import RUN_EXPORT, RUN_IMPORT
from app.tasks.mail_tasks import MANAGER_ADDED, MANAGER_REMOVED, PASSWORD_RESET

logger = logging.getLogger(__name__)

# A few quick publish retries: the client waits for this answer, then gets a 503.
JOB_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.5, "interval_max": 1}


def enqueue(task_name: str, args: tuple[object, ...], argsrepr: str | None = None) -> None:
    """Send one task to the current app's broker (or run it, in eager mode).

    Args:
        task_name: the registered task name.
        args: the task's positional arguments (JSON-serialisable).
        argsrepr: what logs show instead of `args`, when these hold a secret.
    """
    celery_app = current_app.extensions[EXTENSION_KEY]
    try:
        celery_app.tasks[task_name].apply_async(args=args, argsrepr=argsrepr)
    except BrokerError:
        logger.exception("queue: could not enqueue %s", task_name)


class CeleryManagerNotifier:
    """`ManagerNotifier`: mails the user in the background, once per event."""

    def manager_added(self, store_id: int, user_id: int) -> None:
        """Enqueue the "you now manage this store" mail."""
        enqueue(MANAGER_ADDED, (uuid.uuid4().hex, store_id, user_id))

    def manager_removed(self, store_id: int, user_id: int) -> None:
        """Enqueue the "you no longer manage this store" mail."""
        enqueue(MANAGER_REMOVED, (uuid.uuid4().hex, store_id, user_id))


class CeleryPasswordResetMailer:
    """`PasswordResetMailer`: mails the single-use reset link in the background."""

    def send_reset_link(self, user_id: int, raw_token: str) -> None:
        """Enqueue the password-reset mail; logs show the user id, never the token."""
        enqueue(PASSWORD_RESET, (user_id, raw_token), argsrepr=f"({user_id}, '<token>')")


class CeleryJobQueue:
    """`JobQueue`: sends a committed job to the workers, or says at once that it cannot."""

    RETRY_AFTER_SECONDS = 30

    def enqueue_job(self, job_id: int, kind: str) -> None:
        """Enqueue the job's task (run it at once in eager mode).

        Raises:
            ServiceUnavailableError: the broker cannot be reached.
        """
        task_name = RUN_IMPORT if kind.startswith("import") else RUN_EXPORT
        celery_app = current_app.extensions[EXTENSION_KEY]
        try:
            celery_app.tasks[task_name].apply_async(
                args=(job_id,), retry=True, retry_policy=JOB_RETRY_POLICY
            )
        except BrokerError as error:
            logger.warning("queue: could not enqueue job %s: %s", job_id, error)
            raise ServiceUnavailableError(
                "The task queue does not answer; try again shortly.", self.RETRY_AFTER_SECONDS
            ) from error


manager_notifier = CeleryManagerNotifier()
password_reset_mailer = CeleryPasswordResetMailer()
job_queue = CeleryJobQueue()

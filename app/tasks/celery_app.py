"""The Celery app factory: a task base that runs every task inside a Flask app context.

Follows Flask's "Background Tasks with Celery" pattern (examples/celery): `create_app`
calls `celery_init_app`, which stores the Celery app in `app.extensions["celery"]`;
`celery_worker.py` at the repository root is what `celery -A` loads.

Settings come from the Flask config: every `CELERY_<NAME>` key becomes the Celery
setting `<name>` (CELERY_BROKER_URL -> broker_url, CELERY_TASK_ALWAYS_EAGER ->
task_always_eager), over the defaults below.
"""

import smtplib
from collections.abc import Callable, Mapping
from typing import Any

from celery import Celery, Task
from celery.schedules import crontab
from flask import Flask
from sqlalchemy.exc import OperationalError as DatabaseOperationalError

from app.tasks.maintenance_tasks import PURGE_EXPIRED

EXTENSION_KEY = "celery"
TASK_MODULES = ("app.tasks.mail_tasks", "app.tasks.maintenance_tasks", "app.tasks.job_tasks")
BROKER_CHECK_TIMEOUT_SECONDS = 2.0

# Errors worth another try later: the network, the mail server, the database answering
# "busy" or "gone away". Anything else (a bug, bad data) fails at once.
TRANSIENT_ERRORS: tuple[type[BaseException], ...] = (
    ConnectionError,
    TimeoutError,
    OSError,
    DatabaseOperationalError,
)
# smtplib errors are OSErrors, but these mean the message will never be accepted.
PERMANENT_ERRORS: tuple[type[BaseException], ...] = (
    smtplib.SMTPRecipientsRefused,
    smtplib.SMTPSenderRefused,
    smtplib.SMTPAuthenticationError,
    smtplib.SMTPNotSupportedError,
)

DEFAULT_SETTINGS: dict[str, Any] = {
    "task_serializer": "json",
    "result_serializer": "json",
    "accept_content": ["json"],
    "timezone": "UTC",
    "enable_utc": True,
    # A task is acknowledged after it ran, and given back if its worker dies mid-way,
    # so a crash never loses work; tasks are therefore written to be idempotent.
    "task_acks_late": True,
    "task_reject_on_worker_lost": True,
    "worker_prefetch_multiplier": 1,
    "task_soft_time_limit": 240,
    "task_time_limit": 300,
    "result_expires": 24 * 3600,
    "broker_connection_retry_on_startup": True,
    # Keep the app's JSON log lines in the worker too: Celery must neither replace the
    # root handler nor turn stderr (where that handler writes) into a logger.
    "worker_hijack_root_logger": False,
    "worker_redirect_stdouts": False,
    "beat_schedule": {
        "purge-expired": {
            "task": PURGE_EXPIRED,
            "schedule": crontab(hour=3, minute=17),
        },
    },
}


def celery_settings(config: Mapping[str, Any]) -> dict[str, Any]:
    """Map the Flask config onto Celery settings (CELERY_BROKER_URL -> broker_url)."""
    settings = dict(DEFAULT_SETTINGS)
    for key, value in config.items():
        if key.startswith("CELERY_") and value is not None:
            settings[key.removeprefix("CELERY_").lower()] = value
    # Eager mode (tests) runs tasks in-process; keep the result backend, and with it the
    # sent-mail record, working as it does in a worker. Errors are not propagated to the
    # caller (as with a worker), so retries run too; `result.get()` re-raises them.
    settings.setdefault("task_store_eager_result", bool(settings.get("task_always_eager")))
    return settings


def celery_init_app(app: Flask) -> Celery:
    """Build the Celery app for `app`, register it and its broker readiness check."""

    class FlaskTask(Task):  # type: ignore[misc]
        """Runs in an app context; retries transient errors with jittered backoff."""

        autoretry_for = TRANSIENT_ERRORS
        dont_autoretry_for = PERMANENT_ERRORS
        retry_backoff = 2
        retry_backoff_max = 600
        retry_jitter = True
        max_retries = 6

        def __call__(self, *args: object, **kwargs: object) -> object:
            with app.app_context():
                return self.run(*args, **kwargs)

    celery_app = Celery(app.name, task_cls=FlaskTask, include=list(TASK_MODULES))
    celery_app.config_from_object(celery_settings(app.config))
    celery_app.set_default()
    app.extensions[EXTENSION_KEY] = celery_app
    if not celery_app.conf.task_always_eager:
        checks = app.extensions.setdefault("readiness_checks", {})
        checks["broker"] = make_broker_check(celery_app)
    return celery_app


def make_broker_check(celery_app: Celery) -> Callable[[], None]:
    """Return a readiness check that opens a broker connection or raises quickly."""

    def check_broker() -> None:
        with celery_app.connection_for_write() as connection:
            connection.ensure_connection(
                max_retries=1,
                interval_start=0,
                interval_step=0.2,
                interval_max=0.2,
                timeout=BROKER_CHECK_TIMEOUT_SECONDS,
            )

    return check_broker

"""Mail tasks: tell a user they were made, or stopped being, a store manager; reset links.

Each task is idempotent. Its Message-ID is made from the event (an id chosen when it was
enqueued), and a sent Message-ID is recorded in the Celery result backend, which every
worker shares; a retried or redelivered task that finds it there sends nothing. The
record is written right after the send, so only a worker dying in between can send a
message twice (at-least-once; the repeated Message-ID lets mail clients fold it).

Rule: tasks call services for data and `app.mail` to send; they never query directly.
"""

import hashlib
import logging
from typing import Any
from urllib.parse import quote

from celery import Task, shared_task, states
from celery.backends.base import DisabledBackend
from flask import current_app

from app.extensions import db
from app.mail import make_message_id, render_message, send
from app.services import notification_service

logger = logging.getLogger(__name__)

MANAGER_ADDED = "stockroom.mail.manager_added"
MANAGER_REMOVED = "stockroom.mail.manager_removed"
PASSWORD_RESET = "stockroom.mail.password_reset"  # noqa: S105 - a task name
DEFAULT_PASSWORD_RESET_TTL = 3600
SENT = "sent"
ALREADY_SENT = "already-sent"
SKIPPED = "skipped"

_MANAGER_SUBJECTS = {
    "manager_added": "You now manage {store}",
    "manager_removed": "You no longer manage {store}",
}


@shared_task(bind=True, name=MANAGER_ADDED)  # type: ignore[untyped-decorator]
def send_manager_added_mail(task: Task, event_id: str, store_id: int, user_id: int) -> str:
    """Mail a user that they now manage a store."""
    return _send_manager_mail(task, "manager_added", event_id, store_id, user_id)


@shared_task(bind=True, name=MANAGER_REMOVED)  # type: ignore[untyped-decorator]
def send_manager_removed_mail(task: Task, event_id: str, store_id: int, user_id: int) -> str:
    """Mail a user that they no longer manage a store."""
    return _send_manager_mail(task, "manager_removed", event_id, store_id, user_id)


@shared_task(bind=True, name=PASSWORD_RESET)  # type: ignore[untyped-decorator]
def send_password_reset_mail(task: Task, user_id: int, raw_token: str) -> str:
    """Mail a user a single-use password-reset link."""
    recipient = notification_service.get_recipient(db.session(), user_id)
    if recipient is None:
        logger.info("mail: password reset for user %s skipped: no such active user", user_id)
        return SKIPPED
    # The token is single-use, so its digest names the event without revealing it.
    event_key = hashlib.sha256(raw_token.encode()).hexdigest()[:32]
    config = current_app.config
    base_url = str(config["PUBLIC_BASE_URL"]).rstrip("/")
    ttl = int(config.get("PASSWORD_RESET_TTL", DEFAULT_PASSWORD_RESET_TTL))
    return _deliver(
        task,
        "password_reset",
        event_key,
        (recipient.name, recipient.email),
        "Reset your Stockroom password",
        recipient_name=recipient.name or recipient.email,
        reset_url=f"{base_url}/password-reset?token={quote(raw_token, safe='')}",
        valid_minutes=max(1, ttl // 60),
    )


def _send_manager_mail(task: Task, kind: str, event_id: str, store_id: int, user_id: int) -> str:
    change = notification_service.get_manager_change(db.session(), store_id, user_id)
    if change is None:
        logger.info(
            "mail: %s for store %s, user %s skipped: user or store is gone",
            kind,
            store_id,
            user_id,
        )
        return SKIPPED
    base_url = str(current_app.config["PUBLIC_BASE_URL"]).rstrip("/")
    return _deliver(
        task,
        kind,
        event_id,
        (change.recipient.name, change.recipient.email),
        _MANAGER_SUBJECTS[kind].format(store=change.store.name),
        recipient_name=change.recipient.name or change.recipient.email,
        store=change.store,
        dashboard_url=f"{base_url}/stores/{change.store.id}",
    )


def _deliver(
    task: Task,
    kind: str,
    event_key: str,
    recipient: tuple[str | None, str],
    subject: str,
    **context: Any,
) -> str:
    """Render and send one mail unless its Message-ID was already sent."""
    message_id = make_message_id(kind.replace("_", "-"), event_key)
    if was_sent(task, message_id):
        logger.info("mail: %s already sent; not sending again", message_id)
        return ALREADY_SENT
    message = render_message(kind, recipient, subject, message_id, **context)
    send(message)
    try:
        record_sent(task, message_id)
    except Exception:  # the mail is out: never let a retry send it again
        logger.exception("mail: %s sent but not recorded as sent", message_id)
    return SENT


def _ledger_key(message_id: str) -> str:
    return "stockroom-mail-sent-" + hashlib.sha256(message_id.encode()).hexdigest()[:40]


def was_sent(task: Task, message_id: str) -> bool:
    """Tell whether a message with this Message-ID was recorded as sent."""
    if isinstance(task.backend, DisabledBackend):
        return False
    meta = task.backend.get_task_meta(_ledger_key(message_id))
    return bool(meta.get("status") == states.SUCCESS)


def record_sent(task: Task, message_id: str) -> None:
    """Record a sent Message-ID in the result backend (kept for `result_expires`)."""
    if isinstance(task.backend, DisabledBackend):
        logger.warning("mail: no result backend, so %s cannot be de-duplicated", message_id)
        return
    task.backend.store_result(_ledger_key(message_id), {"message_id": message_id}, states.SUCCESS)

"""Mail tasks run eagerly (TestingConfig): what they send, once, and what they skip."""

import smtplib
import uuid
from collections.abc import Callable
from email.message import EmailMessage
from pathlib import Path

import pytest
from flask import Flask

from app.extensions import db
from app.models.store import Store
from app.models.user import User
from app.tasks.mail_tasks import (
    ALREADY_SENT,
    MANAGER_ADDED,
    MANAGER_REMOVED,
    PASSWORD_RESET,
    SENT,
    SKIPPED,
)
from app.tasks.queue import manager_notifier, password_reset_mailer
from tests.smtp_sink import running_smtp_sink
from tests.tasks.conftest import Ids


@pytest.fixture
def raw_token() -> str:
    """A fresh reset token with characters a URL must escape.

    Fresh in each test: the in-memory result backend that records sent mails lives as
    long as the process, so a reused event would look like a retry to a later test.
    """
    return f"tok_{uuid.uuid4().hex}/with+odd=chars"


@pytest.fixture
def event_id() -> str:
    """A fresh event id, as `app.tasks.queue` makes one per enqueued event."""
    return uuid.uuid4().hex


def run_task(app: Flask, name: str, *args: object) -> object:
    """Run a registered task the way a worker would (eagerly here) and return its result."""
    return app.extensions["celery"].tasks[name].apply_async(args=args).get()


def bodies(message: EmailMessage) -> tuple[str, str]:
    plain = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    assert plain is not None
    assert html is not None
    return plain.get_content(), html.get_content()


def test_a_new_manager_gets_one_mail_addressed_to_them(
    ids: Ids, outbox: list[EmailMessage]
) -> None:
    manager_notifier.manager_added(ids.store_id, ids.user_id)

    assert len(outbox) == 1
    assert outbox[0]["To"] == "Ann Example <ann@example.com>"
    assert outbox[0]["From"] == "Stockroom <stockroom@localhost>"
    assert outbox[0]["Message-ID"].startswith("<manager-added.")


@pytest.mark.parametrize(
    ("notify", "subject", "sentence"),
    [
        (manager_notifier.manager_added, "You now manage Main <Street>", "You are now a manager"),
        (
            manager_notifier.manager_removed,
            "You no longer manage Main <Street>",
            "You are no longer a manager",
        ),
    ],
)
def test_the_manager_mail_says_what_changed_in_both_bodies(
    ids: Ids,
    outbox: list[EmailMessage],
    notify: Callable[[int, int], None],
    subject: str,
    sentence: str,
) -> None:
    notify(ids.store_id, ids.user_id)

    plain, html = bodies(outbox[0])
    assert outbox[0]["Subject"] == subject
    assert sentence in plain
    assert "Main <Street> (1 High Road, Springfield, IL 62701)" in plain
    assert sentence in html
    assert "<strong>Main &lt;Street&gt;</strong>" in html


def test_the_manager_added_mail_links_to_the_store_on_the_dashboard(
    ids: Ids, outbox: list[EmailMessage]
) -> None:
    manager_notifier.manager_added(ids.store_id, ids.user_id)

    plain, html = bodies(outbox[0])
    assert f"http://127.0.0.1:5000/stores/{ids.store_id}" in plain
    assert f'href="http://127.0.0.1:5000/stores/{ids.store_id}"' in html


def test_running_the_same_event_twice_sends_one_mail(
    app: Flask, ids: Ids, outbox: list[EmailMessage], event_id: str
) -> None:
    first = run_task(app, MANAGER_ADDED, event_id, *ids)
    second = run_task(app, MANAGER_ADDED, event_id, *ids)

    assert (first, second) == (SENT, ALREADY_SENT)
    assert len(outbox) == 1


def test_two_events_send_two_mails_with_their_own_message_ids(
    ids: Ids, outbox: list[EmailMessage]
) -> None:
    manager_notifier.manager_added(ids.store_id, ids.user_id)
    manager_notifier.manager_added(ids.store_id, ids.user_id)

    assert len({message["Message-ID"] for message in outbox}) == 2


@pytest.mark.parametrize("task_name", [MANAGER_ADDED, MANAGER_REMOVED])
@pytest.mark.parametrize("gone", [User, Store])
def test_a_deleted_user_or_store_finishes_the_task_without_mail(
    app: Flask, ids: Ids, outbox: list[EmailMessage], task_name: str, gone: type
) -> None:
    row_id = ids.user_id if gone is User else ids.store_id
    db.session.delete(db.session.get(gone, row_id))
    db.session.commit()

    assert run_task(app, task_name, uuid.uuid4().hex, *ids) == SKIPPED
    assert outbox == []


def test_an_inactive_user_is_not_mailed(
    app: Flask, user: User, ids: Ids, outbox: list[EmailMessage], event_id: str
) -> None:
    user.is_active = False
    db.session.commit()

    assert run_task(app, MANAGER_ADDED, event_id, *ids) == SKIPPED
    assert outbox == []


def test_the_password_reset_mail_carries_the_link_with_the_token(
    user: User, outbox: list[EmailMessage], raw_token: str
) -> None:
    password_reset_mailer.send_reset_link(user.id, raw_token)

    plain, html = bodies(outbox[0])
    escaped = raw_token.replace("/", "%2F").replace("+", "%2B").replace("=", "%3D")
    link = f"http://127.0.0.1:5000/password-reset?token={escaped}"
    assert outbox[0]["Subject"] == "Reset your Stockroom password"
    assert outbox[0]["Message-ID"].startswith("<password-reset.")
    assert link in plain
    assert f'href="{link}"' in html
    assert "within 60 minutes" in plain


def test_the_password_reset_task_skips_an_unknown_user(
    app: Flask, outbox: list[EmailMessage], raw_token: str
) -> None:
    assert run_task(app, PASSWORD_RESET, 999, raw_token) == SKIPPED
    assert outbox == []


def test_the_file_backend_puts_the_mail_in_the_outbox_dir(
    app_with: Callable[..., Flask], ids: Ids, tmp_path: Path
) -> None:
    app_with(MAIL_BACKEND="file", MAIL_OUTBOX_DIR=str(tmp_path / "outbox"))

    manager_notifier.manager_added(ids.store_id, ids.user_id)

    files = list((tmp_path / "outbox").glob("*.eml"))
    assert len(files) == 1
    assert files[0].name.startswith("manager-added.")


def test_a_temporary_smtp_failure_is_retried_until_the_mail_is_accepted(
    app_with: Callable[..., Flask], ids: Ids, event_id: str
) -> None:
    with running_smtp_sink(replies=["451 4.3.0 Busy", "421 4.4.2 Timeout"]) as sink:
        other = app_with(MAIL_BACKEND="smtp", MAIL_SERVER=sink.host, MAIL_PORT=sink.port)
        result = run_task(other, MANAGER_ADDED, event_id, *ids)

    assert result == SENT
    assert sink.data_attempts == 3
    assert len(sink.messages) == 1


def test_a_refused_recipient_fails_at_once_without_retries(
    app_with: Callable[..., Flask], ids: Ids, event_id: str
) -> None:
    with running_smtp_sink(refuse_recipients=True) as sink:
        other = app_with(MAIL_BACKEND="smtp", MAIL_SERVER=sink.host, MAIL_PORT=sink.port)
        with pytest.raises(smtplib.SMTPRecipientsRefused):
            run_task(other, MANAGER_ADDED, event_id, *ids)

    assert sink.rcpt_attempts == 1


def test_a_mail_server_that_never_answers_fails_after_the_retry_limit(
    app_with: Callable[..., Flask], ids: Ids, event_id: str
) -> None:
    with running_smtp_sink() as sink:
        port = sink.port
    other = app_with(MAIL_BACKEND="smtp", MAIL_SERVER="127.0.0.1", MAIL_PORT=port)
    task = other.extensions["celery"].tasks[MANAGER_ADDED]

    with pytest.raises(ConnectionRefusedError):
        task.apply_async(args=(event_id, *ids)).get()


def test_an_unreachable_broker_is_logged_and_does_not_fail_the_caller(
    app_with: Callable[..., Flask], ids: Ids, caplog: pytest.LogCaptureFixture
) -> None:
    app_with(CELERY_TASK_ALWAYS_EAGER=False, CELERY_BROKER_URL="redis://127.0.0.1:1/0")

    manager_notifier.manager_added(ids.store_id, ids.user_id)

    assert [r.getMessage() for r in caplog.records if r.name == "app.tasks.queue"] == [
        f"queue: could not enqueue {MANAGER_ADDED}"
    ]


def test_without_a_result_backend_the_mail_is_sent_but_not_recorded(
    app_with: Callable[..., Flask], ids: Ids, event_id: str, caplog: pytest.LogCaptureFixture
) -> None:
    other = app_with(CELERY_RESULT_BACKEND="disabled://")

    first = run_task(other, MANAGER_ADDED, event_id, *ids)
    second = run_task(other, MANAGER_ADDED, event_id, *ids)

    assert (first, second) == (SENT, SENT)
    assert len(other.extensions["mail"].outbox) == 2
    assert "cannot be de-duplicated" in caplog.text

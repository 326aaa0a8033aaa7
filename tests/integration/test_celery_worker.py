"""A real Celery worker (subprocess) on Redis, with the app on PostgreSQL, mailing over SMTP.

One worker serves the whole module (starting one takes a few seconds) and is always
killed at the end. Each test enqueues from this process, as the web app does, and waits
at most MAIL_WAIT_SECONDS for the SMTP server the test runs to receive the mail.
"""

import secrets
import subprocess
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, text
from werkzeug.test import TestResponse

from app.extensions import db
from app.models.role import Role
from app.models.store import Store
from app.models.user import User
from app.services.auth_service import TokenLifetimes, issue_tokens
from app.tasks.mail_tasks import ALREADY_SENT, MANAGER_ADDED, SENT
from app.tasks.queue import manager_notifier, password_reset_mailer
from tests.integration.celery_worker_process import running_worker, worker_environment
from tests.integration.conftest import producer_app, random_redis_database
from tests.smtp_sink import SmtpSink, running_smtp_sink

pytestmark = pytest.mark.integration

MAIL_WAIT_SECONDS = 20


@pytest.fixture(scope="module")
def broker_url() -> Iterator[str]:
    """A random Redis database (1..15) for broker and results, flushed at the end."""
    with random_redis_database() as url:
        yield url


@pytest.fixture(scope="module")
def smtp_sink() -> Iterator[SmtpSink]:
    """The SMTP server the worker mails to."""
    with running_smtp_sink() as sink:
        yield sink


@pytest.fixture(scope="module")
def worker_log(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where the worker's output goes (shown when a test fails)."""
    return tmp_path_factory.mktemp("worker") / "worker.log"


@pytest.fixture(scope="module")
def worker(
    pg_url: str,
    pg_seeded_tables: frozenset[str],
    broker_url: str,
    smtp_sink: SmtpSink,
    worker_log: Path,
) -> Iterator[subprocess.Popen[bytes]]:
    """Start `celery -A celery_worker worker` as production would; kill it afterwards."""
    env = worker_environment(
        pg_url,
        broker_url,
        MAIL_BACKEND="smtp",
        MAIL_SERVER=smtp_sink.host,
        MAIL_PORT=str(smtp_sink.port),
    )
    with running_worker(env, worker_log, "test") as process:
        yield process


@pytest.fixture
def producer(pg_app: Flask, pg_url: str, broker_url: str) -> Iterator[Flask]:
    """An app that enqueues to the worker's broker, as the web app does in production."""
    with producer_app(pg_url, broker_url) as app:
        yield app


@pytest.fixture
def user(pg_app: Flask) -> User:
    """A user in the worker's database (pg_app truncates it after the test)."""
    row = User(email=f"{uuid.uuid4().hex[:8]}@example.com", password_hash="x", name="Ann")
    db.session.add(row)
    db.session.commit()
    return row


@pytest.fixture
def store(pg_app: Flask) -> Store:
    """A store in the worker's database."""
    row = Store(name="Harbour", address="2 Quay", city="Portland", state="ME", zip_code="04101")
    db.session.add(row)
    db.session.commit()
    return row


def wait_for(condition: Callable[[], bool], worker_log: Path) -> None:
    """Wait up to MAIL_WAIT_SECONDS for `condition`, else fail showing the worker's log."""
    deadline = time.monotonic() + MAIL_WAIT_SECONDS
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    pytest.fail(f"nothing arrived in {MAIL_WAIT_SECONDS}s; worker log:\n{worker_log.read_text()}")


@pytest.mark.usefixtures("worker")
def test_a_worker_mails_a_new_manager_over_smtp(
    producer: Flask, user: User, store: Store, smtp_sink: SmtpSink, worker_log: Path
) -> None:
    manager_notifier.manager_added(store.id, user.id)

    wait_for(
        lambda: any(m["To"].addresses[0].addr_spec == user.email for m in smtp_sink.messages),
        worker_log,
    )
    message = next(m for m in smtp_sink.messages if m["To"].addresses[0].addr_spec == user.email)
    assert message["Subject"] == "You now manage Harbour"


@pytest.mark.usefixtures("worker")
def test_a_redelivered_event_is_mailed_once_by_the_worker(
    producer: Flask, user: User, store: Store, smtp_sink: SmtpSink
) -> None:
    task = producer.extensions["celery"].tasks[MANAGER_ADDED]
    event_id = uuid.uuid4().hex

    first = task.apply_async(args=(event_id, store.id, user.id))
    second = task.apply_async(args=(event_id, store.id, user.id))

    results = {first.get(timeout=MAIL_WAIT_SECONDS), second.get(timeout=MAIL_WAIT_SECONDS)}
    assert results == {SENT, ALREADY_SENT}
    assert [m["Message-ID"] for m in smtp_sink.messages].count(
        f"<manager-added.{event_id}@localhost>"
    ) == 1


@pytest.mark.usefixtures("worker")
def test_the_worker_mails_a_reset_link_and_never_logs_the_token(
    producer: Flask, user: User, smtp_sink: SmtpSink, worker_log: Path
) -> None:
    raw_token = f"reset-{secrets.token_urlsafe(16)}"

    password_reset_mailer.send_reset_link(user.id, raw_token)

    wait_for(lambda: any(raw_token in m.as_string() for m in smtp_sink.messages), worker_log)
    log = worker_log.read_text()
    assert "stockroom.mail.password_reset" in log
    assert raw_token not in log


def test_readiness_is_ok_with_a_live_redis_broker(producer: Flask) -> None:
    response = producer.test_client().get("/api/health/ready")

    assert response.status_code == 200
    assert response.get_json()["checks"] == {"database": "ok", "broker": "ok"}


@dataclass(frozen=True)
class ApiScene:
    """An admin's API client on the producer app, and where the worker's mail lands."""

    client: FlaskClient
    headers: dict[str, str]
    smtp_sink: SmtpSink
    worker_log: Path

    def add_manager(self, store: Store, user: User) -> TestResponse:
        """PUT the user as the store's manager, as an admin."""
        return self.client.put(f"/api/stores/{store.id}/managers/{user.id}", headers=self.headers)

    def mails_to(self, email: str) -> list[object]:
        """The messages the SMTP server received for `email`."""
        return [m for m in self.smtp_sink.messages if m["To"].addresses[0].addr_spec == email]


@pytest.fixture
def api(producer: Flask, smtp_sink: SmtpSink, worker_log: Path) -> ApiScene:
    """An admin (with a bearer token) in the worker's database, calling the API."""
    admin = User(email=f"admin-{uuid.uuid4().hex[:8]}@example.com", password_hash="x", name="Al")
    admin.roles.append(db.session.scalars(select(Role).where(Role.name == "admin")).one())
    db.session.add(admin)
    db.session.commit()
    pair = issue_tokens(db.session(), admin, TokenLifetimes())
    headers = {"Authorization": f"Bearer {pair.access_token}"}
    return ApiScene(producer.test_client(), headers, smtp_sink, worker_log)


@pytest.mark.usefixtures("worker")
def test_making_a_manager_through_the_api_mails_them_after_the_commit(
    api: ApiScene, user: User, store: Store
) -> None:
    response = api.add_manager(store, user)

    assert response.status_code == 201
    wait_for(lambda: len(api.mails_to(user.email)) == 1, api.worker_log)


@pytest.mark.usefixtures("worker")
def test_a_request_whose_transaction_rolls_back_mails_nobody(
    api: ApiScene, user: User, store: Store
) -> None:
    # Make the database refuse this one insert at commit time, as a constraint would.
    db.session.execute(
        text(
            "CREATE FUNCTION refuse_manager() RETURNS trigger AS $$ BEGIN "
            f"IF NEW.user_id = {int(user.id)} THEN "
            "RAISE EXCEPTION 'refused' USING ERRCODE = 'check_violation'; END IF; "
            "RETURN NEW; END $$ LANGUAGE plpgsql;"
            "CREATE TRIGGER refuse_manager BEFORE INSERT ON store_managers "
            "FOR EACH ROW EXECUTE FUNCTION refuse_manager();"
        )
    )
    db.session.commit()
    witness = User(email=f"w-{uuid.uuid4().hex[:8]}@example.com", password_hash="x", name="W")
    db.session.add(witness)
    db.session.commit()
    try:
        refused = api.add_manager(store, user)
        # A later, committed change: once its mail has arrived, the refused one would have too.
        accepted = api.add_manager(store, witness)
        wait_for(lambda: len(api.mails_to(witness.email)) == 1, api.worker_log)
    finally:
        db.session.execute(text("DROP TRIGGER refuse_manager ON store_managers"))
        db.session.execute(text("DROP FUNCTION refuse_manager()"))
        db.session.commit()

    assert refused.status_code >= 400
    assert refused.mimetype == "application/problem+json"
    assert accepted.status_code == 201
    assert api.mails_to(user.email) == []

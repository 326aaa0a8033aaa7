"""Fault tests: Redis and the database going away, and gunicorn and Celery processes dying.

Each test is bounded (a few seconds to a minute) and uses only private copies of what it
breaks: a `redis-server` of its own, a TCP relay in front of PostgreSQL, its own gunicorn
and Celery workers. They run under CI=true (`.ci/run`) or FAULTS=1; elsewhere they skip.
"""

import contextlib
import http.client
import json
import os
import signal
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from app.extensions import db
from tests.conftest import make_test_app
from tests.factories import StoreFactory, UserFactory, bind_session
from tests.integration.fault_tools import (
    Gunicorn,
    RedisServer,
    TcpRelay,
    admin_headers,
    faults_enabled,
    running_redis,
    upstream_of,
    via_relay,
    wait_until,
)
from tests.integration.fault_workers import (
    amqp_url,
    enqueue_manager_mails,
    kill_a_pool_child,
    outbox_ids,
    private_queue,
    start_worker,
    worker_env,
)

pytestmark = [
    pytest.mark.integration,
    pytest.mark.slow,
    pytest.mark.skipif(not faults_enabled(), reason="fault tests run under CI=true or FAULTS=1"),
]

PROBLEM = "application/problem+json"
READS = ("/api/products", "/api/categories", "/api/stores")
ROUNDS = 5
IN_FLIGHT = 3
TASKS = 100
CHILD_KILLS = 6
WORKERS = 2
REDELIVERY_SECONDS = 60
KILL_INTERVAL_SECONDS = 0.1


def assert_problem(response: object, status: int) -> None:
    """The response is a problem+json document with `status`."""
    assert response.status_code == status, response.data  # type: ignore[attr-defined]
    assert response.mimetype == PROBLEM  # type: ignore[attr-defined]
    assert response.get_json()["status"] == status  # type: ignore[attr-defined]


# --- (a) Redis stopped: reads answer, job submission is refused with 503, then recovers


@pytest.fixture
def redis_server() -> Iterator[RedisServer]:
    """A private Redis for broker, results and rate limits."""
    with running_redis() as server:
        yield server


@pytest.fixture
def redis_app(pg_app: Flask, pg_url: str, redis_server: RedisServer) -> Iterator[Flask]:
    """The app as in production: Redis broker, result backend and rate-limit storage."""
    app = make_test_app(
        pg_url,
        CELERY_TASK_ALWAYS_EAGER=False,
        CELERY_BROKER_URL=redis_server.url,
        CELERY_RESULT_BACKEND=redis_server.url,
        RATELIMIT_ENABLED=True,
        RATELIMIT_STORAGE_URI=redis_server.url,
    )
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


def submit_export(client: FlaskClient, headers: dict[str, str]) -> object:
    return client.post("/api/exports", json={"kind": "products"}, headers=headers)


def test_a_redis_outage_keeps_reads_up_refuses_jobs_with_503_and_recovers(
    redis_app: Flask, redis_server: RedisServer
) -> None:
    client = redis_app.test_client()
    headers = admin_headers(db.session())
    assert submit_export(client, headers).status_code == 202  # type: ignore[attr-defined]

    redis_server.kill()
    reads = [client.get(path, headers=headers).status_code for path in READS * ROUNDS]
    refused = submit_export(client, headers)
    not_ready = client.get("/api/health/ready")

    assert reads == [200] * len(reads)
    assert_problem(refused, 503)
    # At least the queue's 30 s; Flask-Limiter raises it to its window's reset if later.
    assert int(refused.headers["Retry-After"]) >= 30  # type: ignore[attr-defined]
    assert_problem(not_ready, 503)
    assert not_ready.get_json()["detail"] == "The broker does not answer."  # type: ignore[attr-defined]

    redis_server.start()
    assert client.get("/api/health/ready").status_code == 200
    assert submit_export(client, headers).status_code == 202  # type: ignore[attr-defined]
    assert client.get(READS[0], headers=headers).status_code == 200


# --- (b) the database unreachable: 503 problems, never 500; nothing fails once it is back


@pytest.fixture
def relay(pg_url: str) -> Iterator[TcpRelay]:
    """A relay to the test database's server, open."""
    relay = TcpRelay(upstream_of(pg_url))
    relay.restore()
    yield relay
    relay.cut()


@pytest.fixture
def relayed_app(pg_app: Flask, pg_url: str, relay: TcpRelay) -> Iterator[Flask]:
    """The app reaching PostgreSQL only through `relay` (pool_pre_ping on, as always)."""
    app = make_test_app(via_relay(pg_url, relay), SQLALCHEMY_ENGINE_OPTIONS={"pool_pre_ping": False})
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


def api_calls(client: FlaskClient, headers: dict[str, str], tag: str) -> list[object]:
    """One round of reads, a write and the readiness probe."""
    responses = [client.get(path, headers=headers) for path in READS]
    responses.append(client.post("/api/categories", json={"name": f"c-{tag}"}, headers=headers))
    responses.append(client.get("/api/health/ready"))
    return responses


def test_api_calls_get_503_while_the_database_is_cut_and_none_fails_after(
    relayed_app: Flask, relay: TcpRelay
) -> None:
    client = relayed_app.test_client()
    headers = admin_headers(db.session())
    api_calls(client, headers, "warm")  # the pool now holds connections through the relay

    relay.cut()
    during = [r for n in range(ROUNDS) for r in api_calls(client, headers, f"down-{n}")]
    relay.restore()
    after = [r for n in range(ROUNDS) for r in api_calls(client, headers, f"up-{n}")]

    for response in during:
        assert_problem(response, 503)
    assert [r.status_code for r in after] == [200, 200, 200, 201, 200] * ROUNDS  # type: ignore[attr-defined]


def test_no_request_fails_after_the_database_connections_silently_died(
    relayed_app: Flask, relay: TcpRelay
) -> None:
    client = relayed_app.test_client()
    headers = admin_headers(db.session())
    api_calls(client, headers, "warm")

    relay.cut()  # every pooled connection is now dead, and nobody noticed yet
    relay.restore()
    after = [r for n in range(ROUNDS) for r in api_calls(client, headers, f"after-{n}")]

    assert [r.status_code for r in after] == [200, 200, 200, 201, 200] * ROUNDS  # type: ignore[attr-defined]


# --- (c) gunicorn SIGTERM with requests in flight: every one completes


def start_slow_signup(port: int, index: int) -> tuple[socket.socket, bytes]:
    """Send a signup's headers and half its body; return the socket and the other half."""
    body = json.dumps(
        {"email": f"inflight-{index}-{os.getpid()}@example.com", "password": "in flight 12345"}
    ).encode()
    head = (
        f"POST /api/users HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
    ).encode()
    connection = socket.create_connection(("127.0.0.1", port), timeout=30)
    half = len(body) // 2
    connection.sendall(head + body[:half])
    return connection, body[half:]


def finish_request(connection: socket.socket, rest: bytes) -> int:
    """Send the rest of the body and return the response's status code."""
    with connection:
        connection.sendall(rest)
        response = http.client.HTTPResponse(connection)
        response.begin()
        response.read()
        return response.status


@pytest.mark.usefixtures("pg_app")
def test_gunicorn_sigterm_lets_every_request_in_flight_complete(
    pg_url: str, tmp_path: Path
) -> None:
    server = Gunicorn(
        {"STOCKROOM_ENV": "testing", "DATABASE_URL": pg_url, "WEB_CONCURRENCY": str(IN_FLIGHT)},
        tmp_path / "gunicorn.log",
    )
    server.start()
    try:
        requests = [start_slow_signup(server.port, n) for n in range(IN_FLIGHT)]
        # Each sync worker has taken one request, and waits inside it for the body.
        wait_until(lambda: server.accepted_connections() == IN_FLIGHT, 20, "workers to accept")
        assert server.process is not None
        os.kill(server.process.pid, signal.SIGTERM)
        time.sleep(1)  # the arbiter is shutting down while the requests are still open
        statuses = [finish_request(connection, rest) for connection, rest in requests]
        exit_code = server.process.wait(timeout=30)
    finally:
        server.stop()

    assert statuses == [201] * IN_FLIGHT
    assert exit_code == 0


# --- (d) Celery: 100 queued tasks, 6 pool-child SIGKILLs and 1 main-worker SIGKILL


@pytest.fixture
def store_and_user(pg_app: Flask) -> tuple[int, int]:
    """A store and a user the queued mails are about."""
    bind_session(db.session())
    try:
        return StoreFactory().id, UserFactory().id
    finally:
        bind_session(None)


def test_killed_celery_workers_lose_no_task_and_leave_each_mail_once(
    pg_url: str,
    store_and_user: tuple[int, int],
    redis_server: RedisServer,
    tmp_path: Path,
) -> None:
    urls = {"database": pg_url, "broker": amqp_url(), "results": redis_server.url}
    with private_queue(urls["broker"]) as queue:
        expected = enqueue_manager_mails(urls, queue, store_and_user, TASKS)
        received = run_and_kill_workers(urls, queue, tmp_path)

    # One file per Message-ID, made from the event: a task run twice can only find its
    # file there already; a Message-ID made per attempt would show here as an extra file.
    assert set(received) == expected  # 0 lost
    assert len(received) == TASKS  # 0 duplicated effects


def run_and_kill_workers(urls: dict[str, str], queue: str, tmp_path: Path) -> list[str]:
    """Run two workers, kill 6 pool processes then one main process; return what was sent."""
    outbox, log = tmp_path / "outbox", tmp_path / "workers.log"
    env = worker_env(urls, queue, outbox)
    workers = [start_worker(f"fault{n}", env, log) for n in range(WORKERS)]
    try:
        # A pool killed while its worker starts stops that worker: wait until both are up.
        wait_until(lambda: log.read_text().count(" ready.") == WORKERS, 60, "workers ready")
        wait_until(lambda: len(outbox_ids(outbox)) >= 5, 60, "the workers to start mailing")
        killed: set[int] = set()
        for kill in range(CHILD_KILLS):
            turn = workers[kill % WORKERS :] + workers[: kill % WORKERS]  # alternate workers
            wait_until(lambda: kill_a_pool_child(turn, killed), 10, "a live pool process")  # noqa: B023
            time.sleep(KILL_INTERVAL_SECONDS)
        os.kill(workers[0].pid, signal.SIGKILL)
        unfinished = TASKS - len(outbox_ids(outbox))
        deadline = time.monotonic() + REDELIVERY_SECONDS
        while len(outbox_ids(outbox)) < TASKS and time.monotonic() < deadline:
            time.sleep(0.1)
        time.sleep(2)  # a late duplicate would arrive now
    finally:
        for worker in workers:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(worker.pid, signal.SIGKILL)
            worker.wait()
    assert unfinished > 0, "every task was done before the main process was killed"
    return outbox_ids(outbox)

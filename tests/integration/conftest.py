"""Fixtures for tests against the real services: PostgreSQL and Redis.

Each test session gets its own PostgreSQL database, `stockroom_test_<random hex>`, made
on the server that STOCKROOM_TEST_PG_ADMIN_URL names (default: user postgres on
127.0.0.1:5432) and dropped at the end. Redis tests get a random database number 1..15,
flushed after the test. When a server does not answer, the tests that need it skip
locally and FAIL under CI=true, so CI can never go green without them.
"""

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import redis
from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import create_engine, inspect, literal, select, table, text
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.exc import OperationalError

from app.config import normalise_database_url
from app.extensions import db
from tests.conftest import make_test_app

DEFAULT_PG_ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379"
CONNECT_TIMEOUT_SECONDS = 5


def unavailable(reason: str) -> None:
    """Skip the test, or fail it under CI=true, because a service does not answer."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI=true: integration services are required)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def pg_admin_engine() -> Iterator[Engine]:
    """An AUTOCOMMIT engine on the server's maintenance database (for CREATE/DROP)."""
    admin_url = normalise_database_url(
        os.environ.get("STOCKROOM_TEST_PG_ADMIN_URL", DEFAULT_PG_ADMIN_URL)
    )
    engine = create_engine(
        admin_url,
        isolation_level="AUTOCOMMIT",
        connect_args={"connect_timeout": CONNECT_TIMEOUT_SECONDS},
    )
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except OperationalError as error:
        engine.dispose()
        unavailable(f"PostgreSQL at {make_url(admin_url).host} does not answer: {error.orig}")
    yield engine
    engine.dispose()


@contextmanager
def fresh_database(admin_engine: Engine) -> Iterator[str]:
    """Create an empty database with a random name; drop it (and its connections) after."""
    name = f"stockroom_test_{secrets.token_hex(6)}"
    with admin_engine.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url: URL = admin_engine.url.set(database=name)
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin_engine.connect() as connection:
            connection.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = :name AND pid <> pg_backend_pid()"
                ),
                {"name": name},
            )
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))


@pytest.fixture(scope="session")
def pg_url(pg_admin_engine: Engine) -> Iterator[str]:
    """The URL of an empty PostgreSQL database made for this test session."""
    with fresh_database(pg_admin_engine) as url:
        yield url


@pytest.fixture(scope="session")
def pg_seeded_tables(pg_url: str) -> frozenset[str]:
    """Upgrade the session database to heads once; name the tables migrations filled."""
    app = make_test_app(pg_url)
    with app.app_context():
        upgrade(revision="heads")
        with db.engine.connect() as connection:
            seeded = frozenset(
                name
                for name in inspect(connection).get_table_names()
                if connection.execute(select(literal(1)).select_from(table(name))).first()
            )
        db.engine.dispose()
    return seeded


@pytest.fixture
def pg_app(pg_url: str, pg_seeded_tables: frozenset[str]) -> Iterator[Flask]:
    """A TestingConfig app on the session's PostgreSQL database, migrated to heads.

    After each test every table the migrations left empty is truncated, so tests do not
    see each other's rows; rows a test adds to a seeded table (such as roles) stay.
    """
    app = make_test_app(pg_url)
    with app.app_context():
        yield app
        db.session.remove()
        with db.engine.begin() as connection:
            quote = connection.dialect.identifier_preparer.quote
            tables = [
                quote(name)
                for name in inspect(connection).get_table_names()
                if name not in pg_seeded_tables
            ]
            if tables:
                # Fail rather than hang if a worker still holds a table.
                connection.execute(text("SET LOCAL lock_timeout = '10s'"))
                connection.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
        db.engine.dispose()


@contextmanager
def random_redis_database() -> Iterator[str]:
    """Yield the URL of a random Redis database (1..15); flush it when the block ends.

    Skips (or fails under CI=true) when Redis does not answer.
    """
    base = os.environ.get("STOCKROOM_TEST_REDIS_URL", DEFAULT_REDIS_URL).rstrip("/")
    url = f"{base}/{secrets.randbelow(15) + 1}"
    client = redis.Redis.from_url(url, socket_connect_timeout=CONNECT_TIMEOUT_SECONDS)
    try:
        client.ping()
    except redis.ConnectionError as error:
        client.close()
        unavailable(f"Redis at {base} does not answer: {error}")
    try:
        yield url
    finally:
        client.flushdb()
        client.close()


@pytest.fixture
def redis_url() -> Iterator[str]:
    """The URL of a random Redis database (1..15), flushed after the test."""
    with random_redis_database() as url:
        yield url


@contextmanager
def producer_app(database_url: str, broker_url: str) -> Iterator[Flask]:
    """An app (context pushed) that enqueues to a real worker's broker, as the web app does."""
    app = make_test_app(
        database_url,
        CELERY_TASK_ALWAYS_EAGER=False,
        CELERY_BROKER_URL=broker_url,
        CELERY_RESULT_BACKEND=broker_url,
    )
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()

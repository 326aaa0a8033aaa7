"""A PostgreSQL server that accepts connections but never answers: requests fail, not hang."""

import socket
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask

from app import create_app
from app.api.errors import PROBLEM_MIMETYPE
from app.config import TestingConfig
from app.extensions import db

# Far above the 2 s connect timeout: a request still running by then would wait forever.
HANG_SECONDS = 30


@pytest.fixture
def silent_server() -> Iterator[int]:
    """A TCP port that completes the handshake and then says nothing; yields the port."""
    listener = socket.create_server(("127.0.0.1", 0))
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                accepted.append(listener.accept()[0])
            except TimeoutError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield listener.getsockname()[1]
    stop.set()
    thread.join()
    for connection in accepted:
        connection.close()
    listener.close()


@pytest.fixture
def hung_database_app(silent_server: int) -> Iterator[Flask]:
    app = create_app(
        TestingConfig,
        SQLALCHEMY_DATABASE_URI=f"postgresql+psycopg://postgres@127.0.0.1:{silent_server}/x",
        DATABASE_CONNECT_TIMEOUT=2,
    )
    yield app
    with app.app_context():
        db.engine.dispose()


def _get_within_bound(app: Flask, path: str, headers: dict[str, str]) -> Any:
    answers: list[Any] = []
    worker = threading.Thread(
        target=lambda: answers.append(app.test_client().get(path, headers=headers)), daemon=True
    )
    worker.start()
    worker.join(HANG_SECONDS)
    assert not worker.is_alive(), f"{path} still waiting for the database after {HANG_SECONDS} s"
    return answers[0]


def test_readiness_answers_503_when_the_database_never_answers(hung_database_app: Flask) -> None:
    answer = _get_within_bound(hung_database_app, "/api/health/ready", {})

    assert answer.status_code == 503
    assert answer.content_type == PROBLEM_MIMETYPE
    assert answer.get_json()["status"] == 503


def test_a_request_needing_the_database_is_a_503_problem(hung_database_app: Flask) -> None:
    headers = {"Authorization": "Bearer " + "x" * 43}

    answer = _get_within_bound(hung_database_app, "/api/categories", headers)

    assert answer.status_code == 503
    assert answer.content_type == PROBLEM_MIMETYPE
    assert "Retry-After" in answer.headers


def test_the_timeout_reaches_the_driver_and_a_configured_one_wins() -> None:
    uri = "postgresql+psycopg://postgres@127.0.0.1:1/x"
    default = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=uri)
    chosen = create_app(
        TestingConfig,
        SQLALCHEMY_DATABASE_URI=uri,
        SQLALCHEMY_ENGINE_OPTIONS={"connect_args": {"connect_timeout": 9}},
    )

    assert default.config["SQLALCHEMY_ENGINE_OPTIONS"]["connect_args"] == {"connect_timeout": 5}
    assert chosen.config["SQLALCHEMY_ENGINE_OPTIONS"]["connect_args"] == {"connect_timeout": 9}

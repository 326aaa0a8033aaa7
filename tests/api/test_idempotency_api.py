"""Idempotency-Key on POST, through a test-only API that writes rows (tests/api/widget_api.py)."""

import io
from datetime import timedelta

import orjson
import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.common.clock import utcnow
from app.models.idempotency_key import IdempotencyKey
from app.services import idempotency_service
from tests.api.widget_api import (
    PROBLEM,
    URL,
    count_widgets,
    post,
    widget_client,
)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return widget_client(app)


def insert_key(session: Session, **fields: object) -> None:
    now = utcnow()
    values = {
        "scope": "user:1",
        "key": "k-1",
        "fingerprint": idempotency_service.fingerprint(
            "POST", URL, orjson.dumps({"name": "a"}, option=orjson.OPT_SORT_KEYS)
        ),
        "state": "in_flight",
        "created_at": now,
        "expires_at": now + timedelta(hours=24),
        **fields,
    }
    session.add(IdempotencyKey(**values))
    session.commit()


def assert_problem(response, status: int, type_slug: str) -> dict:
    assert response.status_code == status
    assert response.mimetype == PROBLEM
    body = response.get_json()
    assert body["status"] == status
    assert body["type"] == f"urn:stockroom:problem:{type_slug}"
    assert body["request_id"] == response.headers["X-Request-ID"]
    return body


def test_a_retry_replays_the_first_response_and_the_handler_runs_once(client):
    first = post(client, "k-1", {"name": "a"})
    second = post(client, "k-1", {"name": "a"})

    assert first.status_code == second.status_code == 201
    assert second.get_data() == first.get_data()
    assert second.headers["Location"] == first.headers["Location"] == f"{URL}/1"
    assert second.mimetype == "application/json"
    assert second.headers["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first.headers
    assert count_widgets() == 1


def test_the_same_json_written_differently_is_the_same_request(client):
    post(client, "k-1", {"name": "a"})
    second = client.post(
        URL,
        data=b'{ "name" :  "a" }',
        content_type="application/json",
        headers={"Idempotency-Key": "k-1", "X-Test-User": "1"},
    )

    assert second.headers["Idempotent-Replayed"] == "true"
    assert count_widgets() == 1


def test_the_same_key_with_another_body_is_a_422_problem(client):
    post(client, "k-1", {"name": "a"})

    response = post(client, "k-1", {"name": "b"})

    body = assert_problem(response, 422, "validation-error")
    assert body["title"] == "Validation failed"
    assert body["errors"] == {
        "Idempotency-Key": ["was already used with a different method, path or body"]
    }
    assert count_widgets() == 1


def test_the_same_key_on_another_path_is_a_422_problem(client):
    post(client, "k-1", {"name": "a"})

    response = post(client, "k-1", {"name": "a"}, url=f"{URL}/secret")

    assert_problem(response, 422, "validation-error")


def test_a_key_still_in_flight_is_a_409_problem(client, session):
    insert_key(session)

    response = post(client, "k-1", {"name": "a"})

    body = assert_problem(response, 409, "conflict")
    assert body["detail"] == (
        "A request with this Idempotency-Key is still being processed; retry in a moment."
    )
    assert count_widgets() == 0


def test_an_in_flight_key_left_by_a_dead_process_is_taken_over(client, session):
    started = utcnow() - idempotency_service.IN_FLIGHT_TIMEOUT - timedelta(seconds=1)
    insert_key(session, created_at=started)

    response = post(client, "k-1", {"name": "a"})

    assert response.status_code == 201
    assert count_widgets() == 1


def test_a_key_older_than_24_hours_is_treated_as_new(client, session):
    created = utcnow() - timedelta(hours=25)
    insert_key(
        session,
        state="done",
        created_at=created,
        expires_at=created + timedelta(hours=24),
        response_status=201,
        response_headers=[["Content-Type", "application/json"]],
        response_body=b'{"data": "old"}',
    )

    response = post(client, "k-1", {"name": "a"})

    assert response.status_code == 201
    assert "Idempotent-Replayed" not in response.headers
    assert response.get_json()["data"]["name"] == "a"
    assert count_widgets() == 1


def test_a_5xx_is_not_stored_so_a_retry_runs_again(client, session):
    failed = post(client, "k-1", {"name": "a"}, url=f"{URL}/flaky")
    retried = post(client, "k-1", {"name": "a"}, url=f"{URL}/flaky")

    assert failed.status_code == 500
    assert retried.status_code == 201
    assert "Idempotent-Replayed" not in retried.headers
    assert count_widgets() == 1
    assert session.scalar(select(IdempotencyKey.state)) == "done"


def test_a_no_store_response_is_never_stored(client, session):
    first = post(client, "k-1", {"name": "a"}, url=f"{URL}/secret")
    second = post(client, "k-1", {"name": "a"}, url=f"{URL}/secret")

    assert first.status_code == second.status_code == 201
    assert "Idempotent-Replayed" not in second.headers
    assert count_widgets() == 2
    assert session.scalar(select(func.count()).select_from(IdempotencyKey)) == 0


def test_a_key_sent_to_a_credential_exchange_is_ignored(client, session):
    first = post(client, "k-1", {"name": "a"}, url="/api/auth/test-widgets")
    second = post(client, "k-1", {"name": "a"}, url="/api/auth/test-widgets")

    assert first.status_code == second.status_code == 201
    assert "Idempotent-Replayed" not in second.headers
    assert count_widgets() == 2
    assert session.scalar(select(func.count()).select_from(IdempotencyKey)) == 0


def test_a_4xx_answer_is_stored_and_replayed(client):
    first = post(client, "k-1", {"name": ""})
    second = post(client, "k-1", {"name": ""})

    assert first.status_code == second.status_code == 422
    assert second.get_json()["errors"] == first.get_json()["errors"]
    assert second.mimetype == PROBLEM
    assert second.headers["Idempotent-Replayed"] == "true"


def test_a_post_without_a_key_runs_every_time(client):
    post(client, None, {"name": "a"})
    post(client, None, {"name": "a"})

    assert count_widgets() == 2


@pytest.mark.parametrize("key", ["", "   ", "k" * 256])
def test_an_empty_or_too_long_key_is_a_422_problem(client, key):
    response = post(client, key, {"name": "a"})

    body = assert_problem(response, 422, "validation-error")
    assert body["errors"] == {"Idempotency-Key": ["must be 1 to 255 characters long"]}
    assert count_widgets() == 0


def test_a_key_of_255_characters_is_accepted(client):
    post(client, "k" * 255, {"name": "a"})
    second = post(client, "k" * 255, {"name": "a"})

    assert second.headers["Idempotent-Replayed"] == "true"


def test_a_multipart_retry_with_a_new_boundary_is_replayed(client):
    def upload():
        return client.post(
            f"{URL}/upload",
            data={"name": "csv", "file": (io.BytesIO(b"a,b\n1,2\n"), "x.csv")},
            headers={"Idempotency-Key": "k-1", "X-Test-User": "1"},
        )

    first = upload()
    second = upload()

    assert first.status_code == 201
    assert first.get_json()["data"]["name"] == "csv:8"
    assert second.headers["Idempotent-Replayed"] == "true"
    assert count_widgets() == 1


def test_a_key_on_an_unknown_path_is_a_plain_404(client, session):
    response = post(client, "k-1", {"name": "a"}, url="/api/no-such-thing")

    assert response.status_code == 404
    assert response.mimetype == PROBLEM
    assert session.scalar(select(func.count()).select_from(IdempotencyKey)) == 0

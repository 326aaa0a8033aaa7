"""With the broker down, submitting a job is a 503 with Retry-After, and no job stays queued."""

import io
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from app.models.job import Job
from tests.api.catalog_assertions import assert_problem

Headers = dict[str, str]


@pytest.fixture
def app_overrides() -> dict[str, Any]:
    # Nothing listens on port 1: a refused connection, as from a broker that is down.
    return {"CELERY_TASK_ALWAYS_EAGER": False, "CELERY_BROKER_URL": "redis://127.0.0.1:1/0"}


def _submit_import(client: FlaskClient, headers: Headers) -> Any:
    data = {"kind": "products", "file": (io.BytesIO(b"sku,name,price\n"), "a.csv")}
    return client.post(
        "/api/imports", data=data, headers=headers, content_type="multipart/form-data"
    )


def _submit_export(client: FlaskClient, headers: Headers) -> Any:
    return client.post("/api/exports", json={"kind": "products"}, headers=headers)


@pytest.mark.parametrize("submit", [_submit_import, _submit_export])
def test_a_job_submitted_while_the_broker_is_down_is_a_503_with_retry_after(
    client: FlaskClient, admin_headers: Headers, submit: Any
) -> None:
    response = submit(client, admin_headers)

    assert_problem(response, 503)
    assert response.headers["Retry-After"] == "30"


def test_a_job_the_broker_refused_is_failed_not_left_queued(
    client: FlaskClient, admin_headers: Headers, session: Session
) -> None:
    _submit_export(client, admin_headers)

    job = session.query(Job).one()
    assert job.status == "failed"
    assert job.errors[0]["message"].startswith("The job could not be queued")

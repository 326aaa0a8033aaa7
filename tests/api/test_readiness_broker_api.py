"""GET /api/health/ready also checks the task broker, when tasks do not run eagerly."""

from flask.testing import FlaskClient

from tests.conftest import make_test_app


def client_for(database_uri: str, broker_url: str) -> FlaskClient:
    app = make_test_app(database_uri, CELERY_TASK_ALWAYS_EAGER=False, CELERY_BROKER_URL=broker_url)
    return app.test_client()


def test_readiness_is_a_503_problem_when_the_broker_port_is_closed(database_uri: str) -> None:
    response = client_for(database_uri, "redis://127.0.0.1:1/0").get("/api/health/ready")

    assert response.status_code == 503
    assert response.mimetype == "application/problem+json"
    body = response.get_json()
    assert body["status"] == 503
    assert body["title"] == "Service unavailable"
    assert body["detail"] == "The broker does not answer."
    assert body["type"] == "urn:stockroom:problem:service-unavailable"


def test_readiness_reports_the_broker_when_it_answers(database_uri: str) -> None:
    response = client_for(database_uri, "memory://localhost/").get("/api/health/ready")

    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "checks": {"database": "ok", "broker": "ok"}}


def test_readiness_ignores_the_broker_when_tasks_run_eagerly(client: FlaskClient) -> None:
    response = client.get("/api/health/ready")

    assert response.get_json()["checks"] == {"database": "ok"}

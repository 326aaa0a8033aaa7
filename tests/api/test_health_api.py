from datetime import UTC, datetime, timedelta

from flask.testing import FlaskClient

from tests.conftest import make_test_app


def test_health_answers_ok_with_the_current_utc_time(client: FlaskClient) -> None:
    response = client.get("/api/health")

    assert response.status_code == 200
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert set(body) == {"status", "time"}
    assert body["status"] == "ok"
    assert body["time"].endswith("Z")
    moment = datetime.fromisoformat(body["time"].replace("Z", "+00:00"))
    assert abs(datetime.now(UTC) - moment) < timedelta(seconds=5)


def test_health_touches_no_database() -> None:
    app = make_test_app("postgresql+psycopg://nobody@127.0.0.1:1/nothing")

    response = app.test_client().get("/api/health")

    assert response.status_code == 200


def test_readiness_answers_ok_when_the_database_answers(client: FlaskClient) -> None:
    response = client.get("/api/health/ready")

    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "checks": {"database": "ok"}}


def test_readiness_is_a_503_problem_when_the_database_is_down() -> None:
    app = make_test_app("postgresql+psycopg://nobody@127.0.0.1:1/nothing")

    with app.app_context():
        response = app.test_client().get("/api/health/ready")

    assert response.status_code == 503
    assert response.mimetype == "application/problem+json"
    assert response.headers["Retry-After"] == "5"
    body = response.get_json()
    assert body["status"] == 503
    assert body["title"] == "Service unavailable"
    assert body["detail"] == "The database does not answer."
    assert body["type"] == "urn:stockroom:problem:service-unavailable"
    assert body["request_id"] == response.headers["X-Request-ID"]


def test_readiness_reports_a_failing_extra_check(app, client: FlaskClient) -> None:
    def broker_down() -> None:
        raise ConnectionError("refused")

    app.extensions["readiness_checks"] = {"broker": broker_down}

    response = client.get("/api/health/ready")

    assert response.status_code == 503
    assert response.get_json()["detail"] == "The broker does not answer."


def test_readiness_lists_every_extra_check_that_answered(app, client: FlaskClient) -> None:
    app.extensions["readiness_checks"] = {"broker": lambda: None}

    response = client.get("/api/health/ready")

    assert response.get_json()["checks"] == {"database": "ok", "broker": "ok"}

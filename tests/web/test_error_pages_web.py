"""The dashboard's error pages, and the strict CSP of its pages; /api stays problem+json."""

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from app.models.store import Store
from app.web import DASHBOARD_CSP


def test_an_unknown_page_is_a_friendly_404_with_the_request_id(client: FlaskClient) -> None:
    response = client.get("/no-such-page", headers={"X-Request-ID": "req-1"})

    page = response.get_data(as_text=True)
    assert response.status_code == 404
    assert response.mimetype == "text/html"
    assert "We could not find that page" in page
    assert "req-1" in page


def test_a_crash_is_a_friendly_500_page_with_the_request_id(app: Flask) -> None:
    def crash() -> str:
        raise RuntimeError("secret internals")

    app.add_url_rule("/crash-web", view_func=crash)

    response = app.test_client().get("/crash-web", headers={"X-Request-ID": "req-500"})

    page = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Something went wrong on our side" in page
    assert "req-500" in page
    assert "secret internals" not in page


def test_a_lost_database_is_a_503_page_that_says_when_to_retry(app: Flask) -> None:
    def lose_database() -> str:
        raise OperationalError("SELECT 1", {}, Exception("could not connect to server"))

    app.add_url_rule("/lost-database", view_func=lose_database)

    response = app.test_client().get("/lost-database")

    assert response.status_code == 503
    assert response.mimetype == "text/html"
    assert response.headers["Retry-After"] == "5"
    assert "The database does not answer" in response.get_data(as_text=True)


def test_an_error_page_that_cannot_render_falls_back_to_a_bare_page(
    manager_client: FlaskClient, store: Store, session: Session
) -> None:
    session.execute(text("ALTER TABLE users RENAME TO users_gone"))
    session.commit()

    response = manager_client.get(f"/stores/{store.id}", headers={"X-Request-ID": "req-bare"})

    page = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Something went wrong on our side" in page
    assert "req-bare" in page
    assert "users_gone" not in page


def test_a_wrong_method_is_a_405_page_with_allow(client: FlaskClient) -> None:
    response = client.delete("/sign-in")

    assert response.status_code == 405
    assert response.mimetype == "text/html"
    assert "POST" in response.headers["Allow"]


def test_an_unknown_api_path_stays_problem_json(client: FlaskClient) -> None:
    response = client.get("/api/no-such-thing")

    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"


def test_dashboard_pages_allow_only_our_own_scripts_and_styles(client: FlaskClient) -> None:
    response = client.get("/")

    assert response.headers["Content-Security-Policy"] == DASHBOARD_CSP
    assert "'unsafe-inline'" not in DASHBOARD_CSP


def test_the_stylesheet_and_script_are_served_from_our_static_folder(client: FlaskClient) -> None:
    for name in ("app.css", "app.js"):
        with client.get(f"/web-static/{name}") as response:
            assert response.status_code == 200

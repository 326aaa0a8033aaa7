"""Flask-Login's remember-cookie hook runs on dashboard requests only (docs/performance.md).

Flask-Login acts on a `_remember` note that `login_user(remember=True)` or `logout_user`
leaves in the session; the same note is planted here, and a dashboard page and an API
call are asked for.
"""

from flask.testing import FlaskClient

REMEMBER_COOKIE = "remember_token"


def remember_note(client: FlaskClient, note: str) -> None:
    client.set_cookie(REMEMBER_COOKIE, "1|an-old-remember-token")
    with client.session_transaction() as cookie_session:
        cookie_session["_remember"] = note


def remember_cookies(response: object) -> list[str]:
    cookies = response.headers.getlist("Set-Cookie")  # type: ignore[attr-defined]
    return [cookie for cookie in cookies if cookie.startswith(REMEMBER_COOKIE)]


def test_a_dashboard_page_acts_on_a_note_to_clear_the_remember_cookie(
    admin_client: FlaskClient,
) -> None:
    remember_note(admin_client, "clear")

    response = admin_client.get("/")

    [cleared] = remember_cookies(response)
    assert cleared.startswith(f"{REMEMBER_COOKIE}=;")
    assert "Expires=Thu, 01 Jan 1970" in cleared


def test_an_api_response_leaves_the_remember_cookie_alone(admin_client: FlaskClient) -> None:
    remember_note(admin_client, "clear")

    response = admin_client.get("/api/health")

    assert response.status_code == 200
    assert remember_cookies(response) == []

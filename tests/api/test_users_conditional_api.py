"""ETags and conditional requests on users: /api/users/<id> and /api/users/me.

GET gives an ETag and honours If-None-Match (304); PATCH and DELETE honour If-Match
(412 on a stale tag, nothing changed), and need it (428) when REQUIRE_IF_MATCH is on.
"""

from dataclasses import dataclass
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models.user import User
from tests.api.problems import assert_problem

Headers = dict[str, str]
STALE = '"999"'
# (method, URL of the manager's account, body); an admin edits /api/users/<id>, the
# manager edits their own /api/users/me.
WRITES = [
    ("PATCH", "/api/users/{id}", {"name": "Changed"}),
    ("PATCH", "/api/users/me", {"name": "Changed"}),
    ("DELETE", "/api/users/{id}", None),
]
WRITE_IDS = ["patch-user", "patch-me", "delete-user"]


@dataclass(frozen=True)
class Write:
    """One conditional change of the manager's account, and who sends it."""

    method: str
    url: str
    body: Any
    headers: Headers

    def send(self, client: FlaskClient, **extra_headers: str) -> Any:
        """Send the change, with any extra headers (If-Match)."""
        headers = {**self.headers, **extra_headers}
        return client.open(self.url, method=self.method, json=self.body, headers=headers)


@pytest.fixture(params=WRITES, ids=WRITE_IDS)
def write(
    request: pytest.FixtureRequest,
    manager: User,
    admin_headers: Headers,
    manager_headers: Headers,
) -> Write:
    method, url, body = request.param
    headers = manager_headers if url.endswith("/me") else admin_headers
    return Write(method, url.format(id=manager.id), body, headers)


def _stored(session: Session, user_id: int) -> tuple[str | None, int] | None:
    session.expire_all()
    row = session.execute(select(User.name, User.version).where(User.id == user_id)).first()
    return None if row is None else (row[0], row[1])


@pytest.mark.parametrize("url", ["/api/users/{id}", "/api/users/me"])
def test_get_answers_the_version_as_a_strong_etag(
    client: FlaskClient, manager: User, manager_headers: Headers, url: str
) -> None:
    response = client.get(url.format(id=manager.id), headers=manager_headers)

    assert response.status_code == 200
    assert response.headers["ETag"] == f'"{manager.version}"'


@pytest.mark.parametrize("url", ["/api/users/{id}", "/api/users/me"])
def test_get_with_the_current_etag_is_304_without_a_body(
    client: FlaskClient, manager: User, manager_headers: Headers, url: str
) -> None:
    etag = f'"{manager.version}"'

    response = client.get(
        url.format(id=manager.id), headers={**manager_headers, "If-None-Match": etag}
    )

    assert response.status_code == 304
    assert response.get_data() == b""
    assert response.headers["ETag"] == etag


def test_a_change_makes_the_old_etag_answer_200_again(
    client: FlaskClient, manager: User, admin_headers: Headers
) -> None:
    old = client.get(f"/api/users/{manager.id}", headers=admin_headers).headers["ETag"]
    client.patch(f"/api/users/{manager.id}", json={"name": "New"}, headers=admin_headers)

    response = client.get(
        f"/api/users/{manager.id}", headers={**admin_headers, "If-None-Match": old}
    )

    assert response.status_code == 200
    assert response.headers["ETag"] != old


def test_a_stale_if_match_is_412_and_changes_nothing(
    client: FlaskClient, session: Session, manager: User, write: Write
) -> None:
    before = _stored(session, manager.id)

    assert_problem(write.send(client, **{"If-Match": STALE}), 412, kind="precondition-failed")

    assert _stored(session, manager.id) == before


def test_the_current_if_match_lets_the_change_through(
    client: FlaskClient, session: Session, manager: User, write: Write
) -> None:
    response = write.send(client, **{"If-Match": f'"{manager.version}"'})

    assert response.status_code == (204 if write.method == "DELETE" else 200)
    after = _stored(session, manager.id)
    assert after == (None if write.method == "DELETE" else ("Changed", 2))


@pytest.mark.parametrize("url", ["/api/users/{id}", "/api/users/me"])
def test_a_patch_answers_the_new_etag(
    client: FlaskClient,
    manager: User,
    admin_headers: Headers,
    manager_headers: Headers,
    url: str,
) -> None:
    headers = manager_headers if url.endswith("/me") else admin_headers

    response = client.patch(url.format(id=manager.id), json={"name": "Changed"}, headers=headers)

    assert response.status_code == 200
    assert response.headers["ETag"] == '"2"'


def test_a_stale_if_match_on_a_user_the_caller_may_not_see_is_still_404(
    client: FlaskClient, admin: User, manager_headers: Headers
) -> None:
    headers = {**manager_headers, "If-Match": STALE}

    response = client.patch(f"/api/users/{admin.id}", json={"name": "x"}, headers=headers)

    assert_problem(response, 404, kind="not-found")


def test_without_if_match_a_change_is_428_when_the_server_requires_it(
    app: Flask, client: FlaskClient, session: Session, manager: User, write: Write
) -> None:
    app.config["REQUIRE_IF_MATCH"] = True
    before = _stored(session, manager.id)

    response = write.send(client)

    assert_problem(response, 428, kind="precondition-required")
    assert _stored(session, manager.id) == before


def test_sign_up_answers_the_new_users_etag(client: FlaskClient) -> None:
    body = {"email": "new@x.com", "password": "a long enough passphrase"}

    response = client.post("/api/users", json=body)

    assert response.status_code == 201
    assert response.headers["ETag"] == '"1"'


@pytest.mark.parametrize(
    ("method", "path", "statuses", "header"),
    [
        ("get", "/api/users/me", {"200", "304", "401", "429", "500", "503"}, "If-None-Match"),
        (
            "patch",
            "/api/users/me",
            {"200", "400", "401", "412", "413", "415", "422", "428", "429", "500", "503"},
            "If-Match",
        ),
        (
            "get",
            "/api/users/{user_id}",
            {"200", "304", "401", "404", "422", "429", "500", "503"},
            "If-None-Match",
        ),
        (
            "patch",
            "/api/users/{user_id}",
            {"200", "400", "401", "403", "404", "409", "412", "413", "415", "422", "428", "429"}
            | {"500", "503"},
            "If-Match",
        ),
        (
            "delete",
            "/api/users/{user_id}",
            {"204", "400", "401", "403", "404", "409", "412", "422", "428", "429", "500", "503"},
            "If-Match",
        ),
    ],
)
def test_user_operations_document_their_conditional_headers_and_answers(
    client: FlaskClient, method: str, path: str, statuses: set[str], header: str
) -> None:
    operation = client.get("/api/openapi.json").get_json()["paths"][path][method]

    assert set(operation["responses"]) == statuses
    assert header in {p["name"] for p in operation["parameters"] if p["in"] == "header"}
    success = next(status for status in statuses if status.startswith("2"))
    assert ("ETag" in operation["responses"][success].get("headers", {})) is (method != "delete")

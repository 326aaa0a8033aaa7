"""docs/security.md lists every route, and its anonymous column tells the truth."""

import re
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

SECURITY_DOC = Path(__file__).resolve().parents[2] / "docs" / "security.md"
METHODS = {"GET", "POST", "PUT", "PATCH", "DELETE"}
ROW = re.compile(r"^\|\s*(GET|POST|PUT|PATCH|DELETE)\s*\|\s*(\S+)\s*\|\s*([^|]*)\|")
PLACEHOLDER = re.compile(r"<[^>]*>")


def _shape(path: str) -> str:
    """`/api/users/<int:user_id>` and `/api/users/<id>` both become `/api/users/<>`."""
    return PLACEHOLDER.sub("<>", path)


def _table() -> dict[tuple[str, str], str]:
    rows = {}
    for line in SECURITY_DOC.read_text().splitlines():
        match = ROW.match(line)
        if match:
            method, path, anonymous = match.groups()
            rows[(method, _shape(path))] = anonymous.strip()
    return rows


def _routes(app: Flask) -> list[tuple[str, str]]:
    return sorted(
        (method, rule.rule)
        for rule in app.url_map.iter_rules()
        for method in (rule.methods or set()) & METHODS
    )


def test_every_route_of_the_app_is_in_the_security_table(app: Flask) -> None:
    table = _table()

    missing = [f"{m} {p}" for m, p in _routes(app) if (m, _shape(p)) not in table]

    assert missing == [], f"add these routes to docs/security.md: {missing}"


def test_the_table_is_not_empty_and_covers_the_identity_routes() -> None:
    table = _table()

    assert table[("POST", "/api/users")].startswith("201")
    assert table[("GET", "/api/users/me")] == "401"
    assert len(table) >= 20


def _example_url(path: str) -> str:
    return PLACEHOLDER.sub("1", path)


def _api_routes_anonymous_must_not_call(app: Flask) -> list[tuple[str, str]]:
    table = _table()
    return [
        (method, path)
        for method, path in _routes(app)
        if path.startswith("/api") and table.get((method, _shape(path))) == "401"
    ]


@pytest.mark.parametrize("authorization", [None, "Bearer not-a-real-token", "Basic dXNlcjpwdw=="])
def test_every_api_route_marked_401_refuses_an_anonymous_caller(
    app: Flask, client: FlaskClient, authorization: str | None
) -> None:
    headers = {"Authorization": authorization} if authorization else {}
    routes = _api_routes_anonymous_must_not_call(app)
    assert routes, "expected routes that need a token"

    answers = {
        f"{method} {path}": client.open(
            _example_url(path), method=method, headers=headers, json={}
        ).status_code
        for method, path in routes
    }

    assert {route: status for route, status in answers.items() if status != 401} == {}


def test_api_routes_not_marked_401_answer_an_anonymous_caller_without_401(
    app: Flask, client: FlaskClient
) -> None:
    table = _table()
    public_routes = [
        (method, path)
        for method, path in _routes(app)
        if path.startswith("/api") and table.get((method, _shape(path)), "401") != "401"
    ]

    answers = {
        f"{method} {path}": client.open(_example_url(path), method=method, json={}).status_code
        for method, path in public_routes
    }

    assert answers
    assert {route: status for route, status in answers.items() if status == 401} == {}

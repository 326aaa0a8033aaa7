"""The hook's body check reads the JSON once, whatever spelling of the JSON type is sent.

The check skips parsing the Content-Type when it is exactly `application/json`; any other
header still goes through werkzeug's `is_json`, so the same bodies pass and fail.
"""

from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask, Response
from flask.testing import FlaskClient
from flask_openapi3.blueprint import APIBlueprint
from pydantic import BaseModel, ConfigDict

from app.api.auth import public
from app.api.responses import render_data
from tests.conftest import make_test_app

ITEM = '{"name": "spade", "quantity": 2}'


class ItemIn(BaseModel):
    """A strict body."""

    model_config = ConfigDict(extra="forbid")

    name: str
    quantity: int


probe = APIBlueprint("body_probe", __name__, url_prefix="/api/body-probe")


@probe.post("/items")
@public
def create_item(body: ItemIn) -> Response:
    """Echo a valid item."""
    return render_data(body.model_dump(), 201)


@pytest.fixture
def app() -> Iterator[Flask]:
    """An app with the probe route."""
    app = make_test_app("sqlite://")
    app.register_api(probe)  # type: ignore[attr-defined]
    with app.app_context():
        yield app


@pytest.mark.parametrize(
    "content_type",
    [
        "application/json",
        "application/json; charset=utf-8",
        "APPLICATION/JSON",
        " application/json",
        "application/merge-patch+json",
    ],
)
def test_every_json_type_is_read(client: FlaskClient, content_type: str) -> None:
    response = client.post("/api/body-probe/items", data=ITEM, content_type=content_type)

    assert response.status_code == 201
    assert response.get_json() == {"data": {"name": "spade", "quantity": 2}}


@pytest.mark.parametrize(
    "content_type", ["text/plain", "application/jsonx", "text/json", "application/json+x"]
)
def test_other_types_are_a_415(client: FlaskClient, content_type: str) -> None:
    response = client.post("/api/body-probe/items", data=ITEM, content_type=content_type)

    assert response.status_code == 415
    assert response.get_json()["detail"] == "Send this request body as application/json."


def test_the_body_is_parsed_once(
    app: Flask, client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    parsed: list[Any] = []
    loads = app.json.loads

    def counting_loads(text: str | bytes, **kwargs: Any) -> Any:
        parsed.append(text)
        return loads(text, **kwargs)

    monkeypatch.setattr(app.json, "loads", counting_loads)

    response = client.post("/api/body-probe/items", data=ITEM, content_type="application/json")

    assert response.status_code == 201
    assert parsed == [ITEM.encode()]


def test_a_null_body_is_still_a_422(client: FlaskClient) -> None:
    response = client.post("/api/body-probe/items", data="null", content_type="application/json")

    assert response.status_code == 422
    assert response.get_json()["errors"] == {"body": ["must be a JSON object"]}

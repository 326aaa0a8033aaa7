"""ETag, If-None-Match and If-Match through a test-only API over a versioned table.

The PATCH route and its `rename_thing` service follow docs/http-conventions.md to the
letter, so these tests also check the pattern the feature routes copy.
"""

from typing import Any

import pytest
from flask import Flask, Response
from flask.testing import FlaskClient
from flask_openapi3.blueprint import APIBlueprint
from pydantic import BaseModel, ConfigDict
from sqlalchemy import String
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from app.api import make_api_request_hook
from app.api.conditional import expected_version, render_resource
from app.common.errors import NotFoundError
from app.extensions import db
from app.models.base import VersionedMixin
from app.services.versioning import check_version, commit_versioned

URL = "/api/test-things"
PROBLEM = "application/problem+json"


class ThingBase(DeclarativeBase):
    """Its own metadata, so the app's migrations never see the test table."""


class Thing(VersionedMixin, ThingBase):
    __tablename__ = "test_things"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(50))


def rename_thing(session: Session, thing_id: int, name: str, expected: int | None) -> Thing:
    """The service half of the pattern (an actor argument would come second)."""
    thing = session.get(Thing, thing_id)
    if thing is None:
        raise NotFoundError("No such thing.")
    check_version(thing.version, expected)
    thing.name = name
    commit_versioned(session)
    return thing


class ThingPath(BaseModel):
    thing_id: int


class ThingIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str


def _out(thing: Thing) -> dict[str, Any]:
    return {"id": thing.id, "name": thing.name}


def _make_blueprint() -> APIBlueprint:
    bp = APIBlueprint("test_things", __name__, url_prefix=URL)

    @bp.get("/<int:thing_id>")
    def get_thing(path: ThingPath) -> Response:
        thing = db.session.get(Thing, path.thing_id)
        if thing is None:
            raise NotFoundError("No such thing.")
        return render_resource(_out(thing), thing.version, headers={"Cache-Control": "no-cache"})

    @bp.patch("/<int:thing_id>")
    def update_thing(path: ThingPath, body: ThingIn) -> Response:
        thing = rename_thing(db.session(), path.thing_id, body.name, expected_version())
        return render_resource(_out(thing), thing.version)

    @bp.post("")
    def create_thing(body: ThingIn) -> Response:
        session = db.session()
        thing = Thing(name=body.name)
        session.add(thing)
        session.commit()
        location = f"{URL}/{thing.id}"
        return render_resource(_out(thing), thing.version, 201, {"Location": location})

    @bp.get("/expected")
    def show_expected() -> Response:
        return render_resource({"expected": expected_version()}, 1)

    return bp


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    for hooks in app.before_request_funcs.values():  # no bearer token needed here
        hooks[:] = [hook for hook in hooks if hook.__module__ != "app.api.auth"]
        hooks[:] = [
            make_api_request_hook(authenticate=None) if hook.__module__ == "app.api" else hook
            for hook in hooks
        ]
    ThingBase.metadata.create_all(db.engine)
    app.register_api(_make_blueprint())
    session = db.session()
    session.add(Thing(name="one"))
    session.commit()
    session.get_one(Thing, 1).name = "two"  # version 2
    session.commit()
    return app.test_client()


def get_expected(client: FlaskClient, if_match: str | None) -> Any:
    headers = {} if if_match is None else {"If-Match": if_match}
    return client.get(f"{URL}/expected", headers=headers)


def assert_problem(response: Any, status: int, type_slug: str, title: str) -> None:
    assert response.status_code == status
    assert response.mimetype == PROBLEM
    body = response.get_json()
    assert body["status"] == status
    assert body["type"] == f"urn:stockroom:problem:{type_slug}"
    assert body["title"] == title
    assert body["detail"]


def test_a_resource_is_answered_with_its_version_as_a_strong_etag(client):
    response = client.get(f"{URL}/1")

    assert response.status_code == 200
    assert response.headers["ETag"] == '"2"'
    assert response.get_json() == {"data": {"id": 1, "name": "two"}}


@pytest.mark.parametrize(
    "if_none_match", ['"2"', 'W/"2"', '"1", "2"', '"1","2"', "*", ' "7" ,, W/"2" ', '"x,y", "2"']
)
def test_a_matching_if_none_match_is_a_304_without_a_body(client, if_none_match):
    response = client.get(f"{URL}/1", headers={"If-None-Match": if_none_match})

    assert response.status_code == 304
    assert response.get_data() == b""
    assert response.headers["ETag"] == '"2"'
    assert response.headers["Cache-Control"] == "no-cache"


def test_if_none_match_on_several_header_lines_is_one_list(client):
    response = client.get(f"{URL}/1", headers=[("If-None-Match", '"1"'), ("If-None-Match", '"2"')])

    assert response.status_code == 304


@pytest.mark.parametrize("if_none_match", ['"1"', 'W/"1"', '"22"', "2", '"2', '"2" "3"', ""])
def test_a_stale_or_malformed_if_none_match_gets_the_full_response(client, if_none_match):
    response = client.get(f"{URL}/1", headers={"If-None-Match": if_none_match})

    assert response.status_code == 200
    assert response.get_json()["data"]["name"] == "two"


def test_a_head_with_a_matching_if_none_match_is_a_304(client):
    response = client.head(f"{URL}/1", headers={"If-None-Match": '"2"'})

    assert response.status_code == 304
    assert response.headers["ETag"] == '"2"'


def test_a_create_is_never_a_304(client):
    response = client.post(URL, json={"name": "new"}, headers={"If-None-Match": "*"})

    assert response.status_code == 201
    assert response.headers["ETag"] == '"1"'
    assert response.headers["Location"] == f"{URL}/2"
    assert response.get_json() == {"data": {"id": 2, "name": "new"}}


@pytest.mark.parametrize(
    ("if_match", "expected"),
    [
        (None, None),
        ('"5"', 5),
        (' "5" ', 5),
        ('"5", W/"4"', 5),
        ('"not-ours", "5"', 5),
        ('"5", "5"', 5),
        ("*", None),
        ('"123456789012345678"', 123456789012345678),
    ],
)
def test_expected_version_reads_the_strong_tag_of_if_match(client, if_match, expected):
    response = get_expected(client, if_match)

    assert response.status_code == 200
    assert response.get_json() == {"data": {"expected": expected}}


@pytest.mark.parametrize(
    "if_match",
    ['W/"5"', '"abc"', '"0"', '"-1"', '"05"', "5", '"5', '"5" "6"', "", '"1234567890123456789"'],
)
def test_an_if_match_that_cannot_be_ours_is_a_412_problem(client, if_match):
    response = get_expected(client, if_match)

    assert_problem(response, 412, "precondition-failed", "Precondition failed")


def test_an_if_match_with_several_versions_is_a_400_problem(client):
    response = get_expected(client, '"4", "5"')

    assert_problem(response, 400, "bad-request", "Bad request")


@pytest.mark.parametrize("app_overrides", [{"REQUIRE_IF_MATCH": True}])
def test_a_missing_if_match_is_a_428_problem_when_required(client):
    response = client.patch(f"{URL}/1", json={"name": "three"})

    assert_problem(response, 428, "precondition-required", "Precondition required")
    assert client.get(f"{URL}/1").get_json()["data"]["name"] == "two"


@pytest.mark.parametrize("app_overrides", [{"REQUIRE_IF_MATCH": True}])
def test_a_required_if_match_that_is_current_lets_the_change_through(client):
    response = client.patch(f"{URL}/1", json={"name": "three"}, headers={"If-Match": '"2"'})

    assert response.status_code == 200


def test_a_patch_with_the_current_etag_succeeds_and_answers_the_new_etag(client):
    response = client.patch(f"{URL}/1", json={"name": "three"}, headers={"If-Match": '"2"'})

    assert response.status_code == 200
    assert response.headers["ETag"] == '"3"'
    assert response.get_json() == {"data": {"id": 1, "name": "three"}}


def test_a_patch_with_a_stale_etag_is_a_412_and_changes_nothing(client):
    response = client.patch(f"{URL}/1", json={"name": "three"}, headers={"If-Match": '"1"'})

    assert_problem(response, 412, "precondition-failed", "Precondition failed")
    assert client.get(f"{URL}/1").get_json()["data"]["name"] == "two"


def test_a_patch_without_if_match_is_unconditional_by_default(client):
    response = client.patch(f"{URL}/1", json={"name": "three"})

    assert response.status_code == 200
    assert response.headers["ETag"] == '"3"'


def test_a_missing_resource_is_a_404_before_its_precondition(client):
    response = client.patch(f"{URL}/9", json={"name": "x"}, headers={"If-Match": '"1"'})

    assert_problem(response, 404, "not-found", "Not found")

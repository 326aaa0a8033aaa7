"""ETags and conditional requests on the catalog: categories and products.

GET gives an ETag and honours If-None-Match (304); PATCH and DELETE honour If-Match
(412 on a stale tag, nothing changed), and need it (428) when REQUIRE_IF_MATCH is on.
"""

from collections.abc import Callable
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models.category import Category
from app.models.product import Product
from tests.api.problems import Headers, assert_problem
from tests.factories import CategoryFactory, ProductFactory

Model = type[Category] | type[Product]
# collection URL, a factory making one with a known name, the model
KINDS: dict[str, tuple[str, Callable[[], Any], Model]] = {
    "category": ("/api/categories", lambda: CategoryFactory(name="Garden"), Category),
    "product": ("/api/products", lambda: ProductFactory(name="Spade"), Product),
}
CREATE_BODIES = {
    "category": {"name": "Kitchen"},
    "product": {"sku": "POT-1", "name": "Pot", "price": "9.90"},
}


@pytest.fixture(params=sorted(KINDS))
def kind(request: pytest.FixtureRequest) -> str:
    """Which catalog resource the test runs on."""
    return str(request.param)


def make(kind: str) -> tuple[str, int, int]:
    """Create one resource; return its URL, id and version."""
    collection, factory, _model = KINDS[kind]
    entity = factory()
    return f"{collection}/{entity.id}", entity.id, entity.version


def stored_name(session: Session, kind: str, entity_id: int) -> str | None:
    model = KINDS[kind][2]
    session.expire_all()
    return session.scalar(select(model.name).where(model.id == entity_id))


def test_get_answers_the_version_as_a_strong_etag(
    client: FlaskClient, admin_headers: Headers, kind: str
) -> None:
    url, _id, version = make(kind)

    response = client.get(url, headers=admin_headers)

    assert response.status_code == 200
    assert response.headers["ETag"] == f'"{version}"'


def test_get_with_the_current_etag_in_if_none_match_answers_304_with_no_body(
    client: FlaskClient, admin_headers: Headers, kind: str
) -> None:
    url, _id, version = make(kind)

    response = client.get(url, headers={**admin_headers, "If-None-Match": f'"{version}"'})

    assert response.status_code == 304
    assert response.data == b""
    assert response.headers["ETag"] == f'"{version}"'


def test_get_with_an_old_etag_in_if_none_match_answers_the_full_resource(
    client: FlaskClient, admin_headers: Headers, kind: str
) -> None:
    url, entity_id, version = make(kind)

    response = client.get(url, headers={**admin_headers, "If-None-Match": f'"{version + 1}"'})

    assert response.status_code == 200
    assert response.get_json()["data"]["id"] == entity_id


def test_create_answers_201_with_an_etag_and_location(
    client: FlaskClient, admin_headers: Headers, kind: str
) -> None:
    collection = KINDS[kind][0]

    response = client.post(collection, json=CREATE_BODIES[kind], headers=admin_headers)

    assert response.status_code == 201
    assert response.headers["ETag"] == '"1"'
    assert response.headers["Location"] == f"{collection}/{response.get_json()['data']['id']}"


def test_patch_with_a_stale_if_match_is_412_and_changes_nothing(
    client: FlaskClient, admin_headers: Headers, session: Session, kind: str
) -> None:
    url, entity_id, version = make(kind)
    original = stored_name(session, kind, entity_id)

    response = client.patch(
        url, json={"name": "Renamed"}, headers={**admin_headers, "If-Match": f'"{version + 1}"'}
    )

    body = assert_problem(response, 412)
    assert body["type"] == "urn:stockroom:problem:precondition-failed"
    assert stored_name(session, kind, entity_id) == original


def test_delete_with_a_stale_if_match_is_412_and_deletes_nothing(
    client: FlaskClient, admin_headers: Headers, session: Session, kind: str
) -> None:
    url, entity_id, version = make(kind)

    response = client.delete(url, headers={**admin_headers, "If-Match": f'"{version + 1}"'})

    body = assert_problem(response, 412)
    assert body["type"] == "urn:stockroom:problem:precondition-failed"
    assert stored_name(session, kind, entity_id) is not None


def test_patch_with_the_current_if_match_changes_and_answers_a_new_etag(
    client: FlaskClient, admin_headers: Headers, session: Session, kind: str
) -> None:
    url, entity_id, version = make(kind)

    response = client.patch(
        url, json={"name": "Renamed"}, headers={**admin_headers, "If-Match": f'"{version}"'}
    )

    assert response.status_code == 200
    assert response.headers["ETag"] == f'"{version + 1}"'
    assert response.get_json()["data"]["name"] == "Renamed"
    assert stored_name(session, kind, entity_id) == "Renamed"


def test_delete_with_the_current_if_match_deletes(
    client: FlaskClient, admin_headers: Headers, session: Session, kind: str
) -> None:
    url, entity_id, version = make(kind)

    response = client.delete(url, headers={**admin_headers, "If-Match": f'"{version}"'})

    assert response.status_code == 204
    assert response.data == b""
    assert stored_name(session, kind, entity_id) is None


def test_the_etag_read_after_a_patch_is_accepted_by_the_next_patch(
    client: FlaskClient, admin_headers: Headers, kind: str
) -> None:
    url, _id, version = make(kind)
    first = client.patch(
        url, json={"name": "Once"}, headers={**admin_headers, "If-Match": f'"{version}"'}
    )

    second = client.patch(
        url, json={"name": "Twice"}, headers={**admin_headers, "If-Match": first.headers["ETag"]}
    )

    assert second.status_code == 200
    assert second.get_json()["data"]["name"] == "Twice"


@pytest.mark.parametrize("app_overrides", [{"REQUIRE_IF_MATCH": True}])
@pytest.mark.parametrize("method", ["PATCH", "DELETE"])
def test_a_change_without_if_match_is_428_when_the_server_requires_it(
    client: FlaskClient, admin_headers: Headers, session: Session, kind: str, method: str
) -> None:
    url, entity_id, _version = make(kind)
    original = stored_name(session, kind, entity_id)

    response = client.open(url, method=method, json={"name": "Renamed"}, headers=admin_headers)

    body = assert_problem(response, 428)
    assert body["type"] == "urn:stockroom:problem:precondition-required"
    assert stored_name(session, kind, entity_id) == original


@pytest.mark.parametrize("app_overrides", [{"REQUIRE_IF_MATCH": True}])
def test_a_change_with_the_current_if_match_passes_when_the_server_requires_it(
    client: FlaskClient, admin_headers: Headers, kind: str
) -> None:
    url, _id, version = make(kind)

    response = client.patch(
        url, json={"name": "Renamed"}, headers={**admin_headers, "If-Match": f'"{version}"'}
    )

    assert response.status_code == 200

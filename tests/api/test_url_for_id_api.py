"""`url_for_id` gives url_for's text for a route with one integer argument."""

from collections.abc import Iterator

import pytest
from flask import Flask, Response, url_for
from flask_openapi3.blueprint import APIBlueprint

from app.api.auth import public
from app.api.responses import render_no_content, url_for_id
from tests.conftest import make_test_app

IDS = [1, 7, 10, 99_999, 7_305_918_264_519, 10**18]


def _probe(prefix: str) -> APIBlueprint:
    probe = APIBlueprint("id_probe", __name__, url_prefix=prefix)

    @probe.get("/items/<int:item_id>")
    @public
    def get_item() -> Response:
        """An item."""
        return render_no_content()

    @probe.get("/padded/<int(fixed_digits=6):item_id>")
    @public
    def get_padded() -> Response:
        """An item whose id is written with six digits."""
        return render_no_content()

    return probe


def _app(prefix: str) -> Flask:
    app = make_test_app("sqlite://")
    app.register_api(_probe(prefix))  # type: ignore[attr-defined]
    return app


@pytest.fixture
def app() -> Iterator[Flask]:
    """An app with the probe routes under /api/id-probe."""
    app = _app("/api/id-probe")
    with app.app_context():
        yield app


@pytest.mark.parametrize("script_root", ["", "/shop", "/caf\u00e9 bar"])
@pytest.mark.parametrize(
    ("endpoint", "name"),
    [
        ("api.products.get_product", "product_id"),
        ("id_probe.get_item", "item_id"),
        ("id_probe.get_padded", "item_id"),
    ],
)
def test_the_url_is_url_fors(app: Flask, script_root: str, endpoint: str, name: str) -> None:
    with app.test_request_context("/api/health", environ_base={"SCRIPT_NAME": script_root}):
        for item_id in IDS:
            assert url_for_id(endpoint, name, item_id) == url_for(endpoint, **{name: item_id})


def test_a_padded_id_is_padded(app: Flask) -> None:
    with app.test_request_context("/api/health"):
        assert url_for_id("id_probe.get_padded", "item_id", 7) == "/api/id-probe/padded/000007"


def test_each_app_has_its_own_urls() -> None:
    urls = []
    for prefix in ("/api/first", "/api/second"):
        app = _app(prefix)
        with app.test_request_context("/api/health"):
            urls.append(url_for_id("id_probe.get_item", "item_id", 3))

    assert urls == ["/api/first/items/3", "/api/second/items/3"]

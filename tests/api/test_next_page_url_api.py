"""`next_page_url` gives `url_for`'s text, built without the URL map for a plain route."""

from typing import Any

import pytest
from flask import Flask, request, url_for
from flask.testing import FlaskClient

from app.api.responses import next_page_url
from tests.api.problems import Headers
from tests.factories import ProductFactory

CURSOR = "eyJrIjoibmFtZSJ9.c2lnbmVk"  # cursors are URL-safe base64 and dots


def url_for_next(cursor: str) -> str:
    """The link as it was built before: `url_for` with the path and query arguments."""
    assert request.endpoint is not None
    args: dict[str, Any] = {**(request.view_args or {}), **request.args.to_dict()}
    args["cursor"] = cursor
    return url_for(request.endpoint, **args)


@pytest.mark.parametrize(
    "query_string",
    [
        "",
        "limit=20",
        "limit=20&sort=-price&q=steel+spade",
        "cursor=old&limit=5",
        "limit=5&cursor=old&sort=name",
        "q=caf%C3%A9+%E2%82%AC%26x%3Dy%2B1%25",
        "q=a/b?c:d;e@f!g$h'i(j)k*l,m~n",
        "q=%22quoted%22+%3Ctag%3E+%23hash+%5Bx%5D",
        "q=&sort=",
        "sort=name&sort=-price",
        "min_price=1.50&max_price=20&category=3",
        "unknown%20key=v%20alue",
    ],
)
@pytest.mark.parametrize("base_url", ["http://localhost/", "http://localhost/shop/"])
def test_a_plain_route_gives_url_fors_text(app: Flask, query_string: str, base_url: str) -> None:
    path = f"/api/products?{query_string}" if query_string else "/api/products"
    with app.test_request_context(path, base_url=base_url):
        assert next_page_url(CURSOR) == url_for_next(CURSOR)
        assert next_page_url("a b+c/d") == url_for_next("a b+c/d")


def test_the_script_root_is_kept_apart(app: Flask) -> None:
    with app.test_request_context("/api/products?limit=2", base_url="http://localhost/one/"):
        first = next_page_url(CURSOR)
    with app.test_request_context("/api/products?limit=2", base_url="http://localhost/two/"):
        second = next_page_url(CURSOR)

    assert first == f"/one/api/products?limit=2&cursor={CURSOR}"
    assert second == f"/two/api/products?limit=2&cursor={CURSOR}"


def test_a_route_with_path_arguments_keeps_them(app: Flask) -> None:
    with app.test_request_context("/api/stores/7/stock?limit=3&sort=-quantity"):
        assert request.view_args == {"store_id": 7}
        assert next_page_url(CURSOR) == url_for_next(CURSOR)
        assert (
            next_page_url(CURSOR) == f"/api/stores/7/stock?limit=3&sort=-quantity&cursor={CURSOR}"
        )


def test_no_cursor_is_no_link(app: Flask) -> None:
    with app.test_request_context("/api/products?limit=2"):
        assert next_page_url(None) is None
        assert next_page_url("") is None


def test_the_product_lists_next_link_is_url_fors(
    app: Flask, client: FlaskClient, manager_headers: Headers
) -> None:
    for number in range(3):
        ProductFactory(name=f"Rake {number}")
    query = "limit=1&sort=-name&q=rake"

    body = client.get(f"/api/products?{query}", headers=manager_headers).get_json()

    cursor = body["links"]["next"].rsplit("cursor=", 1)[1]
    with app.test_request_context(f"/api/products?{query}"):
        assert body["links"]["next"] == url_for_next(cursor)
    assert client.get(body["links"]["next"], headers=manager_headers).status_code == 200

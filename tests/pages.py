"""Walking a keyset-paginated list through the API, as a client does: `links.next` to the end."""

from typing import Any

from flask.testing import FlaskClient


def walk_pages(
    client: FlaskClient, url: str, headers: dict[str, str] | None = None
) -> list[dict[str, Any]]:
    """GET `url`, then every `links.next` until it is null; return all items in page order."""
    items: list[dict[str, Any]] = []
    next_url: str | None = url
    while next_url:
        response = client.get(next_url, headers=headers)
        assert response.status_code == 200, response.get_json()
        body = response.get_json()
        items.extend(body["data"])
        next_url = body["links"]["next"]
    return items


def assert_pages_cost_alike(
    client: FlaskClient, url: str, headers: dict[str, str], count_queries: Any, limit: int
) -> list[dict[str, Any]]:
    """Check that `url`'s first page and the page after it run the same few (<= 3) queries.

    The list behind `url` must hold more than two pages of `limit` items; the first page is
    fetched once untimed, so warm-up work is not counted. Returns the second page's items.
    """
    first = client.get(url, headers=headers)
    with count_queries() as first_counter:
        client.get(url, headers=headers)
    with count_queries() as deep_counter:
        response = client.get(first.get_json()["links"]["next"], headers=headers)

    page: list[dict[str, Any]] = response.get_json()["data"]
    assert len(page) == limit
    assert first_counter.count == deep_counter.count
    assert deep_counter.count <= 3, deep_counter.statements
    return page

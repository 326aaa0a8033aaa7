"""Forged cursors on PostgreSQL, whose ids are 32-bit: a 400, never a database error (500).

SQLite holds 64-bit integers, so only PostgreSQL shows an id past 2**31 - 1 overflowing.
"""

import pytest
import requests

from app.common.pagination import encode_cursor
from tests.integration.live.server import Server
from tests.integration.live.world import World, bearer

pytestmark = pytest.mark.integration

PAST_32_BITS = 2**31


@pytest.mark.parametrize(
    ("path", "key"),
    [
        ("/api/products?sort=id", ["id", PAST_32_BITS, PAST_32_BITS]),
        ("/api/products?sort=name", ["name", "Spade", PAST_32_BITS]),
        ("/api/products?sort=-price", ["-price", "1.00", -PAST_32_BITS - 1]),
        ("/api/categories?sort=id", ["id", PAST_32_BITS, PAST_32_BITS]),
        ("/api/categories?sort=name", ["name", "Tools", PAST_32_BITS]),
        ("/api/stores?sort=id", ["id", PAST_32_BITS, PAST_32_BITS]),
        ("/api/stores/1/stock?limit=1", ["product", PAST_32_BITS, PAST_32_BITS]),
        ("/api/stores/1/managers?limit=1", ["id", PAST_32_BITS, PAST_32_BITS]),
    ],
)
def test_a_cursor_naming_an_integer_past_32_bits_is_a_400(
    server: Server, world: World, path: str, key: list[str | int | float | None]
) -> None:
    response = requests.get(
        server.url(path),
        params={"cursor": encode_cursor(key)},
        headers=bearer(server.base_url, world.accounts["admin"]),
        timeout=10,
    )

    assert response.status_code == 400, response.text
    assert response.headers["Content-Type"] == "application/problem+json"
    assert response.json()["status"] == 400

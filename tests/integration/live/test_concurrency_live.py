"""Races against the real server (gunicorn, 2 workers, PostgreSQL): the answers and the rows.

Every request of a race waits at a Barrier, so they reach the server together and the two
workers really interleave them. Each test makes its own rows first, so it holds whatever
order the tests run in, and whatever the Schemathesis run left behind.
"""

import secrets
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

import pytest
import requests
from sqlalchemy import create_engine, text

from tests.integration.live.server import Server
from tests.integration.live.world import World, bearer

pytestmark = pytest.mark.integration

ROUNDS = 2
REQUESTS = 100
TIMEOUT_SECONDS = 60
Result = TypeVar("Result")


def race(count: int, send: Callable[[int], Result]) -> list[Result]:
    """Run `send(0..count-1)` on `count` threads released at the same moment."""
    start = threading.Barrier(count)

    def released(index: int) -> Result:
        start.wait()
        return send(index)

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(released, range(count)))


@pytest.fixture
def products_with_sku(live_database_url: str) -> Iterator[Callable[[str], int]]:
    """Count the stored products with a sku, straight from the database."""
    engine = create_engine(live_database_url)

    def count(sku: str) -> int:
        with engine.connect() as connection:
            query = text("SELECT count(*) FROM products WHERE sku = :sku")
            return int(connection.execute(query, {"sku": sku}).scalar_one())

    yield count
    engine.dispose()


@pytest.fixture
def admin(server: Server, world: World) -> dict[str, str]:
    """The admin's Authorization header, from a fresh sign-in."""
    return bearer(server.base_url, world.accounts["admin"])


def new_product(server: Server, headers: dict[str, str]) -> dict[str, Any]:
    """Create a product with a unique sku; return the response (201, with its ETag)."""
    sku = f"RACE-{secrets.token_hex(4).upper()}"
    response = requests.post(
        server.url("/api/products"),
        json={"sku": sku, "name": "Race product", "price": "5.00"},
        headers=headers,
        timeout=TIMEOUT_SECONDS,
    )
    assert response.status_code == 201, response.text
    return {"id": response.json()["data"]["id"], "sku": sku, "etag": response.headers["ETag"]}


def new_stock_line(server: Server, headers: dict[str, str], quantity: int) -> str:
    """Stock a new product in a new store; return the stock line's URL."""
    product = new_product(server, headers)
    store = requests.post(
        server.url("/api/stores"),
        json={
            "name": "Race store",
            "address": "1 Race Road",
            "city": "Springfield",
            "state": "IL",
            "zip_code": "62701",
        },
        headers=headers,
        timeout=TIMEOUT_SECONDS,
    )
    assert store.status_code == 201, store.text
    url = server.url(f"/api/stores/{store.json()['data']['id']}/stock/{product['id']}")
    added = requests.put(url, json={"quantity": quantity}, headers=headers, timeout=TIMEOUT_SECONDS)
    assert added.status_code == 201, added.text
    return url


@pytest.mark.parametrize("round_number", range(ROUNDS))
def test_two_patches_with_one_etag_make_one_success_and_one_412(
    server: Server, admin: dict[str, str], round_number: int
) -> None:
    product = new_product(server, admin)
    url = server.url(f"/api/products/{product['id']}")
    names = [f"Winner {round_number}-{index}" for index in range(2)]

    answers = race(
        2,
        lambda index: requests.patch(
            url,
            json={"name": names[index]},
            headers={**admin, "If-Match": product["etag"]},
            timeout=TIMEOUT_SECONDS,
        ),
    )

    statuses = sorted(answer.status_code for answer in answers)
    assert statuses == [200, 412], [answer.text for answer in answers]
    winner = next(index for index, answer in enumerate(answers) if answer.status_code == 200)
    loser = answers[1 - winner]
    assert loser.headers["Content-Type"] == "application/problem+json"
    assert loser.json()["status"] == 412
    stored = requests.get(url, headers=admin, timeout=TIMEOUT_SECONDS)
    assert stored.json()["data"]["name"] == names[winner]
    assert stored.headers["ETag"] == answers[winner].headers["ETag"] != product["etag"]


@pytest.mark.parametrize(
    ("start", "deltas"),
    [
        pytest.param(0, [index % 7 + 1 for index in range(REQUESTS)], id="positive"),
        pytest.param(
            500,
            [(index % 9 + 1) * (-1 if index % 2 else 1) for index in range(REQUESTS)],
            id="mixed",
        ),
    ],
)
def test_a_hundred_concurrent_deltas_add_up_to_their_sum(
    server: Server, admin: dict[str, str], start: int, deltas: list[int]
) -> None:
    url = new_stock_line(server, admin, start)

    answers = race(
        REQUESTS,
        lambda index: requests.patch(
            url, json={"delta": deltas[index]}, headers=admin, timeout=TIMEOUT_SECONDS
        ),
    )

    assert [answer.status_code for answer in answers] == [200] * REQUESTS
    final = requests.get(url, headers=admin, timeout=TIMEOUT_SECONDS).json()["data"]["quantity"]
    assert final == start + sum(deltas)


@pytest.mark.parametrize("round_number", range(ROUNDS))
def test_a_hundred_concurrent_posts_with_one_idempotency_key_make_one_product(
    server: Server,
    admin: dict[str, str],
    products_with_sku: Callable[[str], int],
    round_number: int,
) -> None:
    sku = f"ONCE-{round_number}-{secrets.token_hex(4).upper()}"
    key = f"live-{secrets.token_hex(8)}"
    body = {"sku": sku, "name": "Made once", "price": "9.99"}

    answers = race(
        REQUESTS,
        lambda _index: requests.post(
            server.url("/api/products"),
            json=body,
            headers={**admin, "Idempotency-Key": key},
            timeout=TIMEOUT_SECONDS,
        ),
    )

    statuses = [answer.status_code for answer in answers]
    assert set(statuses) <= {201, 409}, statuses
    created = [answer for answer in answers if answer.status_code == 201]
    replayed = [answer.headers.get("Idempotent-Replayed") for answer in created]
    assert replayed.count(None) == 1
    assert set(replayed) <= {None, "true"}
    assert len({answer.json()["data"]["id"] for answer in created}) == 1
    assert products_with_sku(sku) == 1

"""One manager's store-scoped objects, on the real server: the other manager may not change them.

Schemathesis's `object_level_authorization` check replays reads only (a replayed write would
change the owner's data), and stores and stock are readable by every signed-in user by
design. So the writes are checked here: manager B tries each write on manager A's store and
stock, is refused, and A's rows are left exactly as they were. B may not even read A's user.
"""

from dataclasses import dataclass

import pytest
import requests

from tests.integration.live.server import Server
from tests.integration.live.world import Account, World, add_managers, bearer, unique_names

pytestmark = pytest.mark.integration

TIMEOUT_SECONDS = 10
STOCKED = 4


@dataclass(frozen=True)
class Peers:
    """Manager A (who stocks a product in their store) and manager B, signed in."""

    owner: Account
    other: Account
    owner_headers: dict[str, str]
    other_headers: dict[str, str]
    product_id: int


@pytest.fixture(scope="module")
def peers(server: Server, world: World, live_database_url: str) -> Peers:
    """Two new managers, each with their own store; A stocks a product in theirs."""
    names = unique_names("owner", 2)
    managers = add_managers(live_database_url, names)
    owner, other = managers[names[0]], managers[names[1]]
    owner_headers = bearer(server.base_url, owner)
    product_id = world.product_ids[-1]
    stocked = requests.put(
        server.url(f"/api/stores/{owner.store_id}/stock/{product_id}"),
        json={"quantity": STOCKED},
        headers=owner_headers,
        timeout=TIMEOUT_SECONDS,
    )
    assert stocked.status_code == 201, stocked.text
    return Peers(owner, other, owner_headers, bearer(server.base_url, other), product_id)


def owner_state(server: Server, peers: Peers) -> tuple[object, ...]:
    """What the writes could change: A's store, A's stock line, and A's managers."""
    store_id = peers.owner.store_id
    paths = [
        f"/api/stores/{store_id}",
        f"/api/stores/{store_id}/stock/{peers.product_id}",
        f"/api/stores/{store_id}/managers",
    ]
    return tuple(
        requests.get(server.url(path), headers=peers.owner_headers, timeout=TIMEOUT_SECONDS).json()
        for path in paths
    )


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("PATCH", "/api/stores/{store}", {"name": "Taken over"}),
        ("DELETE", "/api/stores/{store}", None),
        ("PUT", "/api/stores/{store}/stock/1", {"quantity": 5}),
        ("PATCH", "/api/stores/{store}/stock/{product}", {"delta": -1}),
        ("PATCH", "/api/stores/{store}/stock/{product}", {"quantity": 0}),
        ("DELETE", "/api/stores/{store}/stock/{product}", None),
        ("PUT", "/api/stores/{store}/managers/{other}", None),
        ("DELETE", "/api/stores/{store}/managers/{owner}", None),
    ],
)
def test_a_manager_cannot_change_another_managers_store_or_stock(
    server: Server, peers: Peers, method: str, path: str, body: dict[str, object] | None
) -> None:
    before = owner_state(server, peers)
    url = server.url(
        path.format(
            store=peers.owner.store_id,
            product=peers.product_id,
            owner=peers.owner.user_id,
            other=peers.other.user_id,
        )
    )

    response = requests.request(
        method, url, json=body, headers=peers.other_headers, timeout=TIMEOUT_SECONDS
    )

    assert response.status_code == 403, response.text
    assert response.headers["Content-Type"] == "application/problem+json"
    assert response.json()["status"] == 403
    assert owner_state(server, peers) == before


def test_a_manager_cannot_read_another_managers_account(server: Server, peers: Peers) -> None:
    response = requests.get(
        server.url(f"/api/users/{peers.owner.user_id}"),
        headers=peers.other_headers,
        timeout=TIMEOUT_SECONDS,
    )

    assert response.status_code == 404
    assert response.headers["Content-Type"] == "application/problem+json"
    assert peers.owner.email not in response.text

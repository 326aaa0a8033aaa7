"""Idempotency-Key under real concurrency on PostgreSQL: 20 attempts, one write."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from flask import Flask

from tests.api.widget_api import count_widgets, install_fake_auth, install_widget_api

pytestmark = pytest.mark.integration

ATTEMPTS = 20


def test_twenty_concurrent_posts_with_one_key_write_exactly_once(pg_app: Flask):
    install_fake_auth(pg_app)
    install_widget_api(pg_app)
    pg_app.config["TEST_WIDGET_DELAY"] = 0.2  # keep the key in flight while others arrive
    start = threading.Barrier(ATTEMPTS)

    def attempt(_index: int) -> tuple[int, bool, bytes]:
        client = pg_app.test_client()
        start.wait()
        response = client.post(
            "/api/test-widgets",
            json={"name": "once"},
            headers={"Idempotency-Key": "same-key", "X-Test-User": "1"},
        )
        return response.status_code, "Idempotent-Replayed" in response.headers, response.data

    with ThreadPoolExecutor(max_workers=ATTEMPTS) as pool:
        results = list(pool.map(attempt, range(ATTEMPTS)))

    statuses = sorted(status for status, _, _ in results)
    originals = [body for status, replayed, body in results if status == 201 and not replayed]
    replays = [body for status, replayed, body in results if status == 201 and replayed]
    assert set(statuses) <= {201, 409}, statuses
    assert len(originals) == 1
    assert statuses.count(409) >= 1
    assert all(body == originals[0] for body in replays)
    assert count_widgets() == 1

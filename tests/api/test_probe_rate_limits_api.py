"""The health probes are never rate-limited; the caller's other requests keep their limit."""

import uuid
from typing import Any

import pytest
from flask.testing import FlaskClient

LIMITED = "/api/openapi.json"  # public, under the default limit


@pytest.fixture
def app_overrides() -> dict[str, Any]:
    return {"RATELIMIT_ENABLED": True}


@pytest.mark.parametrize("path", ["/api/health", "/api/health/ready"])
def test_a_probe_answers_past_the_default_limit_and_uses_none_of_it(
    client: FlaskClient, path: str
) -> None:
    # One address of its own: the limiter's counts outlive an app in the test process.
    address = {"REMOTE_ADDR": f"10.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}.9"}
    first = client.get(LIMITED, environ_base=address)
    # The default limit in force: Flask-Limiter keeps the first app's in a process.
    limit = int(first.headers["X-RateLimit-Limit"])

    probes = [client.get(path, environ_base=address) for _ in range(limit + 1)]
    after = client.get(LIMITED, environ_base=address)

    assert [probe.status_code for probe in probes] == [200] * (limit + 1)
    assert not any("X-RateLimit-Limit" in probe.headers for probe in probes)
    assert not any("Retry-After" in probe.headers for probe in probes)
    remaining = int(first.headers["X-RateLimit-Remaining"])
    assert after.status_code == 200
    assert int(after.headers["X-RateLimit-Remaining"]) == remaining - 1

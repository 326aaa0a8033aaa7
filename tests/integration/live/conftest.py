"""One real server for the package: gunicorn, 2 workers, a fresh PostgreSQL database, Redis.

The database is made for this package alone (not the session's `pg_url`, whose tables
other integration tests truncate after each test), seeded through the services, and
dropped at the end. As everywhere in tests/integration, a service that does not answer
skips locally and FAILS under CI=true.
"""

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from tests.integration.conftest import fresh_database, random_redis_database
from tests.integration.live import server as live_server
from tests.integration.live.world import World, seed_world


@pytest.fixture(scope="package")
def live_redis_url() -> Iterator[str]:
    """A random Redis database (1..15) for the server's broker, flushed at the end."""
    with random_redis_database() as url:
        yield url


@pytest.fixture(scope="package")
def live_database_url(pg_admin_engine: Engine) -> Iterator[str]:
    """An empty PostgreSQL database of this package's own."""
    with fresh_database(pg_admin_engine) as url:
        yield url


@pytest.fixture(scope="package")
def world(live_database_url: str) -> World:
    """The seeded accounts, stores and products (the database migrated to heads first)."""
    return seed_world(live_database_url)


@pytest.fixture(scope="package")
def server(
    live_redis_url: str,
    world: World,
    live_database_url: str,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[live_server.Server]:
    """gunicorn serving the seeded database in production mode; always stopped at the end."""
    scratch: Path = tmp_path_factory.mktemp("live-server")
    environment = live_server.production_environment(live_database_url, live_redis_url, scratch)
    running = live_server.start(environment, scratch / "gunicorn.log")
    try:
        yield running
    finally:
        live_server.stop(running)

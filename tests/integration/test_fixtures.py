"""The integration fixtures give what they promise, and every test here is marked."""

from pathlib import Path

import pytest
import redis
from alembic.script import ScriptDirectory
from flask import Flask
from sqlalchemy import text
from sqlalchemy.engine import make_url

from app.extensions import db
from tests.integration.conftest import unavailable

pytestmark = pytest.mark.integration

INTEGRATION_DIR = Path(__file__).resolve().parent


def test_pg_app_runs_on_a_fresh_postgresql_database_at_heads(pg_app: Flask) -> None:
    script = ScriptDirectory.from_config(pg_app.extensions["migrate"].migrate.get_config())
    every_revision = {revision.revision for revision in script.walk_revisions()}

    with db.engine.connect() as connection:
        current = tuple(
            connection.execute(text("SELECT version_num FROM alembic_version")).scalars()
        )
    applied = {revision.revision for revision in script.iterate_revisions(current, "base")}

    assert db.engine.dialect.name == "postgresql"
    assert db.engine.url.database is not None
    assert db.engine.url.database.startswith("stockroom_test_")
    assert applied == every_revision


def test_redis_url_is_a_numbered_database_that_answers(redis_url: str) -> None:
    client = redis.Redis.from_url(redis_url)

    client.set("stockroom:probe", "1")

    assert 1 <= int(make_url(redis_url.replace("redis://", "redis+x://")).database or 0) <= 15
    assert client.get("stockroom:probe") == b"1"
    client.close()


def test_every_integration_test_carries_the_integration_marker(
    request: pytest.FixtureRequest,
) -> None:
    unmarked = [
        item.nodeid
        for item in request.session.items
        if INTEGRATION_DIR in Path(str(item.path)).resolve().parents
        and item.get_closest_marker("integration") is None
    ]

    assert unmarked == []


@pytest.mark.parametrize(
    ("ci", "outcome"),
    [("true", pytest.fail.Exception), ("", pytest.skip.Exception), ("1", pytest.skip.Exception)],
)
def test_an_unreachable_service_fails_under_ci_and_skips_elsewhere(
    monkeypatch: pytest.MonkeyPatch, ci: str, outcome: type[BaseException]
) -> None:
    monkeypatch.setenv("CI", ci)

    with pytest.raises(outcome, match="PostgreSQL does not answer"):
        unavailable("PostgreSQL does not answer")

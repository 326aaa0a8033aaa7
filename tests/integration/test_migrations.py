"""The migrations build exactly the schema the models describe, and can be undone.

Drift (a model change with no migration, or a migration the models do not match) is
found the way `flask db migrate` would find it: migrations/env.py configures the
migration context (so its `include_object` filter and `compare_type` apply), and
`alembic.autogenerate.compare_metadata` compares that database with the models.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.runtime.environment import EnvironmentContext
from alembic.script import ScriptDirectory
from flask import Flask
from flask_migrate import downgrade, upgrade
from sqlalchemy import Column, Integer, MetaData, Table, inspect
from sqlalchemy.engine import Engine

import app.models  # noqa: F401 - registers every table on the metadata
from app.extensions import db
from tests.conftest import make_test_app
from tests.integration.conftest import fresh_database

pytestmark = pytest.mark.integration


def find_drift(flask_app: Flask, metadata: MetaData | None = None) -> list[Any]:
    """Compare the app's database with the models, through env.py; return the differences."""
    config = flask_app.extensions["migrate"].migrate.get_config()
    script = ScriptDirectory.from_config(config)
    drift: list[Any] = []

    def compare(_revision: object, context: MigrationContext) -> list[Any]:
        target = metadata if metadata is not None else context.opts["target_metadata"]
        drift.extend(compare_metadata(context, target))
        return []  # run no migration step

    with EnvironmentContext(config, script, fn=compare):
        script.run_env()
    return drift


@contextmanager
def migrated_postgres(admin_engine: Engine) -> Iterator[Flask]:
    """An app on a PostgreSQL database of its own, upgraded to heads; dropped afterwards.

    A database of its own: the session's pg_url may hold tables other tests made.
    """
    with fresh_database(admin_engine) as url:
        flask_app = make_test_app(url)
        with flask_app.app_context():
            upgrade(revision="heads")
            try:
                yield flask_app
            finally:
                db.engine.dispose()


def table_names() -> set[str]:
    """Name every table in the app's database."""
    with db.engine.connect() as connection:
        return set(inspect(connection).get_table_names())


def test_sqlite_database_upgraded_to_heads_matches_the_models(app: Flask) -> None:
    assert find_drift(app) == []


def test_postgresql_database_upgraded_to_heads_matches_the_models(
    pg_admin_engine: Engine,
) -> None:
    with migrated_postgres(pg_admin_engine) as flask_app:
        drift = find_drift(flask_app)

    assert drift == []


def test_drift_check_notices_a_table_that_no_migration_creates(app: Flask) -> None:
    metadata = MetaData()
    for table in db.metadata.tables.values():
        table.to_metadata(metadata)
    Table("drift_probe", metadata, Column("id", Integer, primary_key=True))

    drift = find_drift(app, metadata)

    assert [(diff[0], diff[1].name) for diff in drift] == [("add_table", "drift_probe")]


def test_postgresql_upgrade_downgrade_to_base_and_upgrade_again_works(
    pg_admin_engine: Engine,
) -> None:
    with migrated_postgres(pg_admin_engine) as flask_app:
        upgraded = table_names()
        downgrade(revision="base")
        downgraded = table_names()
        upgrade(revision="heads")
        upgraded_again = table_names()
        drift = find_drift(flask_app)

    assert set(db.metadata.tables) <= upgraded
    assert downgraded <= {"alembic_version"}
    assert upgraded_again == upgraded
    assert drift == []


@pytest.mark.parametrize(
    "url", ["sqlite:///{tmp}/never-created.db", "postgresql+psycopg://nobody@127.0.0.1:1/nothing"]
)
def test_offline_mode_writes_the_upgrade_as_sql_without_touching_a_database(
    url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    flask_app = make_test_app(url.format(tmp=tmp_path))

    with flask_app.app_context():
        upgrade(revision="heads", sql=True)

    sql = capsys.readouterr().out
    assert "CREATE TABLE products" in sql
    assert "INSERT INTO alembic_version" in sql
    assert not (tmp_path / "never-created.db").exists()

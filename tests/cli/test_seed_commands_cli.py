from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models.user import User
from tests.conftest import make_test_app


def test_seed_demo_prints_both_demo_accounts(app: Flask) -> None:
    result = app.test_cli_runner().invoke(args=["seed", "demo"])

    assert result.exit_code == 0, result.output
    assert "admin@example.com  password: stockroom-demo-admin  (created)" in result.output
    assert "manager@example.com  password: stockroom-demo-manager  (created)" in result.output


def test_seed_demo_twice_changes_nothing_and_prints_the_credentials(
    app: Flask, session: Session
) -> None:
    runner = app.test_cli_runner()
    runner.invoke(args=["seed", "demo"])
    before = [(u.id, u.password_hash, u.version) for u in session.scalars(select(User))]

    result = runner.invoke(args=["seed", "demo"])

    session.expire_all()
    assert result.exit_code == 0
    assert "password: stockroom-demo-admin  (exists)" in result.output
    assert [(u.id, u.password_hash, u.version) for u in session.scalars(select(User))] == before


def test_seed_demo_refuses_in_production(database_uri: str) -> None:
    app = make_test_app(database_uri, STOCKROOM_ENV="production", SECRET_KEY="x" * 40, DEBUG=False)

    result = app.test_cli_runner().invoke(args=["seed", "demo"])

    assert result.exit_code == 1
    assert "Error: Refusing to make demo accounts" in result.output
    assert "Traceback" not in result.output

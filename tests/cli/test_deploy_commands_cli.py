"""`flask deploy-check`: exit 1 listing every unsafe setting, 0 when production is safe."""

from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from app import create_app
from app.config import EnvSettings, ProductionConfig

SAFE_PRODUCTION: dict[str, Any] = {
    "SECRET_KEY": "k" * 48,
    "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://stockroom@127.0.0.1:5432/stockroom",
    "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/1",
    "METRICS_TOKEN": "m" * 32,
    "MAIL_BACKEND": "smtp",
    "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
    "CELERY_RESULT_BACKEND": "redis://127.0.0.1:6379/1",
    "CORS_ORIGINS": ["https://shop.example.com"],
}


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No setting leaks in from the shell or a `.env` in the working directory."""
    for name in [*EnvSettings.model_fields, "STOCKROOM_ENV"]:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)


def test_deploy_check_exits_1_listing_each_unsafe_setting_of_the_test_config(
    app: Flask,
) -> None:
    result = app.test_cli_runner().invoke(args=["deploy-check"])

    assert result.exit_code == 1
    listed = [line.split()[0] for line in result.stderr.splitlines() if line.startswith("S0")]
    assert listed == [
        "S002", "S003", "S004", "S007", "S008", "S009", "S010", "S011", "S012", "S013"
    ]  # fmt: skip
    assert "fix: Set DATABASE_URL to a PostgreSQL URL." in result.stderr
    assert result.stderr.rstrip().endswith("deploy-check: 10 unsafe setting(s).")


def test_deploy_check_reports_debug_and_a_weak_key(app: Flask) -> None:
    app.config.update(DEBUG=True, SECRET_KEY="change-me")

    result = app.test_cli_runner().invoke(args=["deploy-check"])

    assert result.exit_code == 1
    assert "S001 DEBUG is on." in result.stderr
    assert "S002 SECRET_KEY is missing" in result.stderr


def test_deploy_check_exits_0_on_a_fully_safe_production_config() -> None:
    production = create_app(ProductionConfig, **SAFE_PRODUCTION)

    result = production.test_cli_runner().invoke(args=["deploy-check"])

    assert result.exit_code == 0
    assert result.stdout == "deploy-check: no unsafe settings found.\n"
    assert result.stderr == ""


def test_deploy_check_reports_a_production_config_without_a_result_backend() -> None:
    settings = {**SAFE_PRODUCTION, "CELERY_RESULT_BACKEND": None}
    production = create_app(ProductionConfig, **settings)

    result = production.test_cli_runner().invoke(args=["deploy-check"])

    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "S013 The task result backend is unset, or not shared by every worker (a local file,"
        " memory, rpc://): task results and the sent-mail record (which keeps a retried mail"
        " task from sending twice) are off or not shared.",
        "     fix: Set CELERY_RESULT_BACKEND to redis://host:6379/1 (or a db+postgresql:// URL).",
        "deploy-check: 1 unsafe setting(s).",
    ]

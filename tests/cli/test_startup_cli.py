"""Start-up: where settings come from, and a one-line refusal when one is unsafe."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from app import create_app
from app.api.openapi import StockroomOpenAPI
from app.config import EnvSettings, ProductionConfig, TestingConfig

PROJECT_ROOT = Path(__file__).resolve().parents[2]
STRONG_KEY = "k" * 48
PG_URL = "postgresql://stockroom@127.0.0.1:5432/stockroom"


@pytest.fixture(autouse=True)
def instance_dir(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """Clear every setting from the environment; run in tmp with instance/ in tmp too."""
    for name in [*EnvSettings.model_fields, "STOCKROOM_ENV"]:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    instance = tmp_path / "instance"
    instance.mkdir()
    monkeypatch.setattr(StockroomOpenAPI, "auto_find_instance_path", lambda _self: str(instance))
    return instance


def refusal(**env: str) -> str:
    """Start a production app with these environment values; return its exit message."""
    with pytest.MonkeyPatch.context() as monkeypatch:
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        with pytest.raises(SystemExit) as raised:
            create_app(ProductionConfig)
    message = str(raised.value.code)
    assert "\n" not in message
    return message


def test_the_config_class_gives_the_default(instance_dir: Path) -> None:
    app = create_app(TestingConfig)

    assert app.config["ACCESS_TOKEN_TTL"] == 3600
    assert app.instance_path == str(instance_dir)


def test_instance_config_overrides_the_class(instance_dir: Path) -> None:
    (instance_dir / "config.py").write_text("ACCESS_TOKEN_TTL = 111\n")

    assert create_app(TestingConfig).config["ACCESS_TOKEN_TTL"] == 111


def test_dotenv_overrides_instance_config(instance_dir: Path, tmp_path: Path) -> None:
    (instance_dir / "config.py").write_text("ACCESS_TOKEN_TTL = 111\n")
    (tmp_path / ".env").write_text("ACCESS_TOKEN_TTL=222\n")

    assert create_app(TestingConfig).config["ACCESS_TOKEN_TTL"] == 222


def test_the_environment_overrides_dotenv_and_instance_config(
    instance_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (instance_dir / "config.py").write_text("ACCESS_TOKEN_TTL = 111\n")
    (tmp_path / ".env").write_text("ACCESS_TOKEN_TTL=222\n")
    monkeypatch.setenv("ACCESS_TOKEN_TTL", "333")

    assert create_app(TestingConfig).config["ACCESS_TOKEN_TTL"] == 333


def test_create_app_overrides_win_over_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ACCESS_TOKEN_TTL", "333")

    assert create_app(TestingConfig, ACCESS_TOKEN_TTL=444).config["ACCESS_TOKEN_TTL"] == 444


def test_development_defaults_to_sqlite_files_under_instance(
    instance_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STOCKROOM_ENV", "development")

    config = create_app().config

    assert config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{instance_dir / 'stockroom.db'}"
    assert config["MAIL_OUTBOX_DIR"] == str(instance_dir / "outbox")
    assert str(instance_dir) in config["CELERY_BROKER_URL"]


def test_production_starts_with_a_strong_key_and_a_database(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SECRET_KEY", STRONG_KEY)
    monkeypatch.setenv("DATABASE_URL", PG_URL)

    config = create_app(ProductionConfig).config

    assert config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql+psycopg://")
    assert config["SESSION_COOKIE_SECURE"] is True


def test_production_without_a_secret_key_refuses_to_start() -> None:
    message = refusal(DATABASE_URL=PG_URL)

    assert message.startswith("stockroom: configuration error: SECRET_KEY must be set")


@pytest.mark.parametrize("key", ["too-short-to-be-safe", "change-me", " " * 40])
def test_production_with_a_short_or_placeholder_key_refuses_to_start(key: str) -> None:
    assert "SECRET_KEY" in refusal(SECRET_KEY=key, DATABASE_URL=PG_URL)


def test_production_without_a_database_url_refuses_to_start() -> None:
    message = refusal(SECRET_KEY=STRONG_KEY)

    assert message.startswith("stockroom: configuration error: DATABASE_URL must be set")


def test_a_bad_environment_value_stops_start_up_naming_the_variable() -> None:
    message = refusal(SECRET_KEY=STRONG_KEY, DATABASE_URL=PG_URL, RATELIMIT_ENABLED="maybe")

    assert message.startswith("stockroom: configuration error: RATELIMIT_ENABLED: ")


def test_an_unknown_stockroom_env_stops_start_up_naming_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("STOCKROOM_ENV", "staging")

    with pytest.raises(SystemExit) as raised:
        create_app()

    message = str(raised.value.code)
    assert message.startswith("stockroom: configuration error: STOCKROOM_ENV='staging'")
    assert "\n" not in message


def test_flask_cli_in_production_without_a_secret_key_exits_with_one_line(
    tmp_path: Path,
) -> None:
    settings = {*EnvSettings.model_fields, "STOCKROOM_ENV", "FLASK_APP"}
    env = {name: value for name, value in os.environ.items() if name not in settings}
    env.update(
        STOCKROOM_ENV="production",
        DATABASE_URL=PG_URL,
        PYTHONPATH=str(PROJECT_ROOT),
        FLASK_SKIP_DOTENV="1",
    )
    flask = Path(sys.executable).with_name("flask")

    result = subprocess.run(  # noqa: S603 - fixed arguments, no shell
        [str(flask), "--app", "wsgi", "routes"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("stockroom: configuration error: SECRET_KEY must be set")


def test_stockroom_env_in_dotenv_picks_the_class_for_gunicorn_and_celery_too(
    tmp_path: Path,
) -> None:
    # gunicorn and Celery call create_app() without the flask command's .env loading.
    (tmp_path / ".env").write_text(
        f"STOCKROOM_ENV=production\nSECRET_KEY={STRONG_KEY}\nDATABASE_URL={PG_URL}\n"
    )

    config = create_app().config

    assert config["STOCKROOM_ENV"] == "production"
    assert config["SESSION_COOKIE_SECURE"] is True


def test_the_process_environment_wins_over_dotenv_for_stockroom_env(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / ".env").write_text("STOCKROOM_ENV=production\n")
    monkeypatch.setenv("STOCKROOM_ENV", "testing")

    assert create_app().config["STOCKROOM_ENV"] == "testing"


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        (
            "RATELIMIT_LOGIN",
            "garbage",
            "RATELIMIT_LOGIN='garbage' is not a rate limit (write it as 10/minute or 100 per hour)",
        ),
        (
            "RATELIMIT_DEFAULT",
            "ten per minute",
            "RATELIMIT_DEFAULT='ten per minute' is not a rate limit (write it as 10/minute or "
            "100 per hour)",
        ),
        (
            "LOG_LEVEL",
            "bogus",
            "LOG_LEVEL='bogus' is not one of: DEBUG, INFO, WARNING, ERROR, CRITICAL",
        ),
        (
            "DATABASE_URL",
            "nonsense",
            "DATABASE_URL is not a database URL "
            "(for example postgresql://user:password@host:5432/stockroom)",
        ),
    ],
)
def test_an_unusable_value_stops_start_up_with_one_line_in_every_environment(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str, expected: str
) -> None:
    monkeypatch.setenv(name, value)

    with pytest.raises(SystemExit) as raised:
        create_app(TestingConfig)

    assert str(raised.value.code) == f"stockroom: configuration error: {expected}"


def test_an_empty_default_rate_limit_means_none_and_starts() -> None:
    app = create_app(TestingConfig, RATELIMIT_DEFAULT="")

    assert app.config["RATELIMIT_DEFAULT"] == ""


def test_production_file_mail_without_an_outbox_writes_under_instance(
    instance_dir: Path,
) -> None:
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setenv("SECRET_KEY", STRONG_KEY)
        monkeypatch.setenv("DATABASE_URL", PG_URL)
        config = create_app(ProductionConfig).config

    assert config["MAIL_OUTBOX_DIR"] == str(instance_dir / "outbox")


def test_starttls_and_implicit_tls_together_stop_start_up(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MAIL_USE_TLS", "true")
    monkeypatch.setenv("MAIL_USE_SSL", "true")

    with pytest.raises(SystemExit) as raised:
        create_app(TestingConfig)

    assert str(raised.value.code) == (
        "stockroom: configuration error: MAIL_USE_TLS and MAIL_USE_SSL are both on: "
        "STARTTLS (port 587) or implicit TLS (port 465), not both"
    )

"""Settings: classes, the environment, validation, and `.env.example` kept in sync."""

import re
from pathlib import Path

import pytest

from app.config import (
    ConfigError,
    DevelopmentConfig,
    EnvSettings,
    ProductionConfig,
    TestingConfig,
    check_required_settings,
    get_config,
    is_weak_secret_key,
    load_env_settings,
    normalise_database_url,
)

ENV_EXAMPLE = Path(__file__).resolve().parents[2] / ".env.example"
STRONG_KEY = "x" * 48
# Every variable is listed commented out, with its default: `# NAME=default`.
EXAMPLE_LINE = re.compile(r"^# ([A-Z][A-Z0-9_]*)=")


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No setting leaks in from the shell or a `.env` in the working directory."""
    for name in [*EnvSettings.model_fields, "STOCKROOM_ENV"]:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        (None, DevelopmentConfig),
        ("development", DevelopmentConfig),
        ("testing", TestingConfig),
        (" Production ", ProductionConfig),
    ],
)
def test_stockroom_env_picks_the_config_class(
    monkeypatch: pytest.MonkeyPatch, env: str | None, expected: type
) -> None:
    if env is not None:
        monkeypatch.setenv("STOCKROOM_ENV", env)

    assert get_config() is expected


def test_an_unknown_stockroom_env_is_refused_naming_the_choices() -> None:
    with pytest.raises(ConfigError, match=r"^STOCKROOM_ENV='staging' is not one of: development"):
        get_config("staging")


def test_environment_values_are_parsed_into_typed_flask_settings(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("RATELIMIT_ENABLED", "false")
    monkeypatch.setenv("MAIL_PORT", "587")
    monkeypatch.setenv("CORS_ORIGINS", " https://a.example , ,https://b.example")
    monkeypatch.setenv("DATABASE_URL", "postgres://u:p@db/stockroom")

    assert load_env_settings() == {
        "RATELIMIT_ENABLED": False,
        "MAIL_PORT": 587,
        "CORS_ORIGINS": ["https://a.example", "https://b.example"],
        "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://u:p@db/stockroom",
    }


def test_dotenv_in_the_working_directory_is_read(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("ACCESS_TOKEN_TTL=900\n")

    assert load_env_settings() == {"ACCESS_TOKEN_TTL": 900}


def test_the_process_environment_wins_over_dotenv(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (tmp_path / ".env").write_text("ACCESS_TOKEN_TTL=900\n")
    monkeypatch.setenv("ACCESS_TOKEN_TTL", "1200")

    assert load_env_settings() == {"ACCESS_TOKEN_TTL": 1200}


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("RATELIMIT_ENABLED", "maybe"),
        ("MAIL_PORT", "twenty-five"),
        ("ACCESS_TOKEN_TTL", "1h"),
        ("DATABASE_CONNECT_TIMEOUT", "1"),
        ("DATABASE_CONNECT_TIMEOUT", "0"),
    ],
)
def test_an_unusable_environment_value_is_refused_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str
) -> None:
    monkeypatch.setenv(name, value)

    with pytest.raises(ConfigError, match=rf"^{name}: ") as raised:
        load_env_settings()
    assert "\n" not in str(raised.value)


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("postgres://u@h/d", "postgresql+psycopg://u@h/d"),
        ("postgresql://u@h/d", "postgresql+psycopg://u@h/d"),
        ("postgresql+psycopg://u@h/d", "postgresql+psycopg://u@h/d"),
        ("sqlite:////srv/stockroom.db", "sqlite:////srv/stockroom.db"),
    ],
)
def test_database_urls_are_pointed_at_psycopg_3(given: str, expected: str) -> None:
    assert normalise_database_url(given) == expected


@pytest.mark.parametrize(
    ("key", "is_weak"),
    [
        (None, True),
        ("", True),
        ("change-me", True),
        ("x" * 31, True),
        (" " * 40, True),
        (STRONG_KEY, False),
    ],
)
def test_weak_secret_keys_are_recognised(key: str | None, is_weak: bool) -> None:
    assert is_weak_secret_key(key) is is_weak


def test_only_production_requires_a_secret_key_and_a_database() -> None:
    check_required_settings({"STOCKROOM_ENV": "development", "SECRET_KEY": None})


def test_production_with_a_strong_key_and_a_database_passes_the_check() -> None:
    check_required_settings(
        {
            "STOCKROOM_ENV": "production",
            "SECRET_KEY": STRONG_KEY,
            "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://u@h/d",
        }
    )


def env_example_entries() -> list[tuple[str, str]]:
    """Return (variable, the line before it) for each `# NAME=default` line."""
    lines = ENV_EXAMPLE.read_text().splitlines()
    return [
        (match.group(1), lines[index - 1])
        for index, line in enumerate(lines)
        if (match := EXAMPLE_LINE.match(line))
    ]


def test_env_example_lists_exactly_the_environment_settings() -> None:
    names = [name for name, _comment in env_example_entries()]

    assert sorted(names) == sorted({*EnvSettings.model_fields, "STOCKROOM_ENV"})


def test_env_example_gives_each_setting_a_comment_line() -> None:
    for name, comment in env_example_entries():
        assert comment.startswith("# "), name
        assert not EXAMPLE_LINE.match(comment), name


def test_an_unknown_mail_backend_stops_start_up_with_one_line(tmp_path) -> None:
    import pytest

    from app import create_app
    from app.config import TestingConfig

    with pytest.raises(SystemExit) as stopped:
        create_app(TestingConfig, SQLALCHEMY_DATABASE_URI="sqlite://", MAIL_BACKEND="pigeon")

    message = str(stopped.value)
    assert "\n" not in message
    assert message == (
        "stockroom: configuration error: MAIL_BACKEND='pigeon' is not one of: file, smtp, memory"
    )


@pytest.mark.parametrize(
    ("url", "pings"),
    [("sqlite://", False), ("postgresql+psycopg://postgres@127.0.0.1:5432/unused", True)],
)
def test_only_a_server_database_pings_connections_before_use(url: str, pings: bool) -> None:
    from app import create_app

    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=url)

    assert app.config["SQLALCHEMY_ENGINE_OPTIONS"].get("pool_pre_ping", False) is pings
    with app.app_context():
        from app.extensions import db

        assert db.engine.pool._pre_ping is pings
    assert TestingConfig.SQLALCHEMY_ENGINE_OPTIONS == {"pool_pre_ping": True}

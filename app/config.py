"""Configuration classes, chosen by STOCKROOM_ENV and overridden from the environment.

Precedence, lowest first: the class below, `instance/config.py`, `.env`, the process
environment, then keyword overrides given to `create_app` (tests use those). STOCKROOM_ENV
itself comes from the process environment or, failing that, from `.env`, so gunicorn and
Celery pick the same class as the `flask` command (which loads `.env` into the environment).
Environment values are validated at start-up by `EnvSettings`, and the merged settings by
`check_required_settings`; a bad value stops the app with a one-line message that names
the variable.
"""

import os
from typing import Annotated, Any, ClassVar

from dotenv import dotenv_values
from limits import parse_many
from pydantic import Field, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from app.common.secrets import MIN_SECRET_KEY_LENGTH, is_weak_secret_key

MAIL_BACKENDS = ("file", "smtp", "memory")
ENV_FILE = ".env"
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
RATE_LIMITS = (
    "RATELIMIT_DEFAULT",
    "RATELIMIT_LOGIN",
    "RATELIMIT_SIGNUP",
    "RATELIMIT_PASSWORD_RESET",
)


class ConfigError(Exception):
    """A setting is missing or unsafe; the message names the variable and the fix."""


class BaseConfig:
    """Settings shared by every environment."""

    ENV_NAME: ClassVar[str] = "base"
    DEBUG = False
    TESTING = False
    SECRET_KEY: str | None = "dev-insecure-change-me"  # noqa: S105 - refused in production
    # None means "instance/stockroom.db"; the factory fills in the absolute path.
    SQLALCHEMY_DATABASE_URI: str | None = None
    SQLALCHEMY_ENGINE_OPTIONS: ClassVar[dict[str, Any]] = {"pool_pre_ping": True}
    # Seconds a new PostgreSQL connection may take before it fails (libpq's connect_timeout).
    DATABASE_CONNECT_TIMEOUT = 5
    SQLALCHEMY_RECORD_QUERIES = False
    MAX_CONTENT_LENGTH = 16 * 1024 * 1024
    SIGNUP_ENABLED = True
    ACCESS_TOKEN_TTL = 3600
    REFRESH_TOKEN_TTL = 30 * 24 * 3600
    PASSWORD_RESET_TTL = 3600
    REQUIRE_IF_MATCH = False
    PUBLIC_BASE_URL = "http://127.0.0.1:5000"
    RATELIMIT_ENABLED = True
    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_DEFAULT = "600/minute"
    RATELIMIT_LOGIN = "10/minute"
    RATELIMIT_SIGNUP = "5/minute"
    RATELIMIT_PASSWORD_RESET = "5/hour"  # noqa: S105 - a rate, not a password
    RATELIMIT_HEADERS_ENABLED = True
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    RATELIMIT_SWALLOW_ERRORS = True
    # None means "files under instance/"; the factory fills in the paths.
    CELERY_BROKER_URL: str | None = None
    CELERY_RESULT_BACKEND: str | None = None
    CELERY_TASK_ALWAYS_EAGER = False
    MAIL_BACKEND = "file"
    MAIL_OUTBOX_DIR: str | None = None
    MAIL_SERVER = "localhost"
    MAIL_PORT = 25
    MAIL_USERNAME: str | None = None
    MAIL_PASSWORD: str | None = None
    MAIL_USE_TLS = False
    MAIL_USE_SSL = False
    MAIL_DEFAULT_SENDER = "Stockroom <stockroom@localhost>"
    CORS_ORIGINS: ClassVar[list[str]] = []
    PROXY_FIX_X_FOR = 0
    METRICS_ENABLED = True
    METRICS_TOKEN: str | None = None
    LOG_LEVEL = "INFO"
    ACCESS_LOG = True
    # 0: write each request's access line and metrics at once. Above 0: keep them in memory
    # up to this many seconds (or 256 requests), as nginx's `access_log ... flush=` does.
    ACCESS_LOG_FLUSH_SECONDS = 0.0
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = False
    WTF_CSRF_ENABLED = True
    # The dashboard checks CSRF on its own blueprint; API calls carry bearer tokens instead.
    WTF_CSRF_CHECK_DEFAULT = False


class DevelopmentConfig(BaseConfig):
    """`make run` and `flask` on a laptop: SQLite, local broker, mail to files."""

    ENV_NAME = "development"


class TestingConfig(BaseConfig):
    """The test suite: the tests pass the database URL and anything else they need."""

    ENV_NAME = "testing"
    TESTING = True
    RATELIMIT_ENABLED = False
    CELERY_TASK_ALWAYS_EAGER = True
    # In-process broker, results and mail: tests leave nothing under instance/.
    CELERY_BROKER_URL = "memory://localhost/"
    CELERY_RESULT_BACKEND = "cache+memory://"
    MAIL_BACKEND = "memory"
    ACCESS_LOG = False
    WTF_CSRF_ENABLED = False


class ProductionConfig(BaseConfig):
    """Production: secrets and the database must come from the environment."""

    ENV_NAME = "production"
    SECRET_KEY = None
    SQLALCHEMY_DATABASE_URI = None
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    ACCESS_LOG_FLUSH_SECONDS = 1.0


CONFIGS: dict[str, type[BaseConfig]] = {
    cls.ENV_NAME: cls for cls in (DevelopmentConfig, TestingConfig, ProductionConfig)
}


class EnvSettings(BaseSettings):
    """Every setting the environment (or `.env`) may give, validated at start-up."""

    model_config = SettingsConfigDict(env_file=ENV_FILE, extra="ignore", case_sensitive=True)

    SECRET_KEY: str | None = None
    DATABASE_URL: str | None = None
    # libpq waits at least 2 s whatever it is told.
    DATABASE_CONNECT_TIMEOUT: Annotated[int, Field(ge=2, le=300)] | None = None
    SIGNUP_ENABLED: bool | None = None
    ACCESS_TOKEN_TTL: int | None = None
    REFRESH_TOKEN_TTL: int | None = None
    PASSWORD_RESET_TTL: int | None = None
    REQUIRE_IF_MATCH: bool | None = None
    PUBLIC_BASE_URL: str | None = None
    MAX_CONTENT_LENGTH: int | None = None
    RATELIMIT_ENABLED: bool | None = None
    RATELIMIT_STORAGE_URI: str | None = None
    RATELIMIT_DEFAULT: str | None = None
    RATELIMIT_LOGIN: str | None = None
    RATELIMIT_SIGNUP: str | None = None
    RATELIMIT_PASSWORD_RESET: str | None = None
    CELERY_BROKER_URL: str | None = None
    CELERY_RESULT_BACKEND: str | None = None
    MAIL_BACKEND: str | None = None
    MAIL_OUTBOX_DIR: str | None = None
    MAIL_SERVER: str | None = None
    MAIL_PORT: int | None = None
    MAIL_USERNAME: str | None = None
    MAIL_PASSWORD: str | None = None
    MAIL_USE_TLS: bool | None = None
    MAIL_USE_SSL: bool | None = None
    MAIL_DEFAULT_SENDER: str | None = None
    CORS_ORIGINS: str | None = None
    PROXY_FIX_X_FOR: int | None = None
    METRICS_ENABLED: bool | None = None
    METRICS_TOKEN: str | None = None
    LOG_LEVEL: str | None = None
    ACCESS_LOG: bool | None = None
    ACCESS_LOG_FLUSH_SECONDS: Annotated[float, Field(ge=0, le=60)] | None = None
    SESSION_COOKIE_SECURE: bool | None = None


def get_config(env: str | None = None) -> type[BaseConfig]:
    """Return the config class named by `env` or STOCKROOM_ENV (default: development).

    STOCKROOM_ENV is read from the process environment, else from `.env` (as every other
    setting is), so a `.env` that says production means production under gunicorn too.

    Raises:
        ConfigError: for a name that is not one of development, testing, production.
    """
    given = env or os.environ.get("STOCKROOM_ENV") or _from_env_file("STOCKROOM_ENV")
    name = (given or "development").strip().lower()
    try:
        return CONFIGS[name]
    except KeyError:
        choices = ", ".join(CONFIGS)
        raise ConfigError(f"STOCKROOM_ENV={name!r} is not one of: {choices}") from None


def _from_env_file(name: str) -> str | None:
    """Return `name`'s value in `.env` (in the working directory), or None."""
    if not os.path.isfile(ENV_FILE):
        return None
    return dotenv_values(ENV_FILE).get(name)


def load_env_settings() -> dict[str, Any]:
    """Read and validate the settings the environment gives, as Flask config keys.

    Raises:
        ConfigError: naming the first variable whose value cannot be used.
    """
    try:
        given = EnvSettings().model_dump(exclude_none=True)
    except ValidationError as error:
        first = error.errors()[0]
        name = ".".join(str(part) for part in first["loc"])
        raise ConfigError(f"{name}: {first['msg']}") from None
    if "DATABASE_URL" in given:
        given["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(given.pop("DATABASE_URL"))
    if "CORS_ORIGINS" in given:
        given["CORS_ORIGINS"] = [o.strip() for o in given["CORS_ORIGINS"].split(",") if o.strip()]
    return given


def normalise_database_url(url: str) -> str:
    """Point plain `postgres://` and `postgresql://` URLs at the psycopg 3 driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url.removeprefix(prefix)
    return url


def check_required_settings(config: dict[str, Any]) -> None:
    """Refuse settings the app cannot work with, from whichever source they came.

    In every environment: an unknown MAIL_BACKEND or LOG_LEVEL, a rate limit Flask-Limiter
    cannot read (it would otherwise log an error per request and limit nothing), a
    DATABASE_URL that is not a URL. In production also: no real SECRET_KEY, no
    DATABASE_URL. A setting left out (None) is not checked: its default applies.

    Raises:
        ConfigError: naming the missing, unusable or unsafe variable.
    """
    mail_backend = str(config.get("MAIL_BACKEND") or "file").strip().lower()
    if mail_backend not in MAIL_BACKENDS:
        raise ConfigError(
            f"MAIL_BACKEND={mail_backend!r} is not one of: {', '.join(MAIL_BACKENDS)}"
        )
    if config.get("MAIL_USE_TLS") and config.get("MAIL_USE_SSL"):
        raise ConfigError(
            "MAIL_USE_TLS and MAIL_USE_SSL are both on: STARTTLS (port 587) or implicit TLS "
            "(port 465), not both"
        )
    _check_values(config)
    if config.get("STOCKROOM_ENV") != "production":
        return
    if is_weak_secret_key(config.get("SECRET_KEY")):
        raise ConfigError(
            "SECRET_KEY must be set to a random value of at least "
            f"{MIN_SECRET_KEY_LENGTH} characters in production "
            "(make one with: python -c 'import secrets; print(secrets.token_urlsafe(48))')"
        )
    if not config.get("SQLALCHEMY_DATABASE_URI"):
        raise ConfigError(
            "DATABASE_URL must be set in production "
            "(for example postgresql://user:password@host:5432/stockroom)"
        )


def _check_values(config: dict[str, Any]) -> None:
    level = str(config.get("LOG_LEVEL") or "INFO").strip().upper()  # configure_logging's
    if level not in LOG_LEVELS:
        raise ConfigError(
            f"LOG_LEVEL={config.get('LOG_LEVEL')!r} is not one of: {', '.join(LOG_LEVELS)}"
        )
    for name in RATE_LIMITS:
        value = config.get(name)
        if value is None or (name == "RATELIMIT_DEFAULT" and value == ""):
            continue  # unset, or no default limit: Flask-Limiter's meaning of an empty one
        try:
            parse_many(str(value))
        except ValueError:
            raise ConfigError(
                f"{name}={value!r} is not a rate limit (write it as 10/minute or 100 per hour)"
            ) from None
    url = config.get("SQLALCHEMY_DATABASE_URI")
    if url:
        try:
            make_url(str(url))
        except ArgumentError:
            raise ConfigError(
                "DATABASE_URL is not a database URL "
                "(for example postgresql://user:password@host:5432/stockroom)"
            ) from None

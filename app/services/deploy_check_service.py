"""Find unsafe production settings, like Django's `check --deploy`.

Takes the settings as a plain mapping, so it runs without Flask and is easy to test.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from app.common.secrets import is_weak_secret_key

Settings = Mapping[str, Any]


@dataclass(frozen=True)
class Finding:
    """One unsafe setting: a stable id, what is wrong, and how to fix it."""

    id: str
    problem: str
    fix: str


def _weak_key(settings: Settings) -> bool:
    return is_weak_secret_key(settings.get("SECRET_KEY"))


def _local_broker(settings: Settings) -> bool:
    broker = str(settings.get("CELERY_BROKER_URL") or "")
    return not broker or broker.startswith(("sqla+sqlite", "filesystem", "memory"))


def _unshared_result_backend(settings: Settings) -> bool:
    """No result backend, or one the workers cannot all read (a file, memory, rpc:// replies)."""
    backend = str(settings.get("CELERY_RESULT_BACKEND") or "")
    return not backend or backend.startswith(("db+sqlite", "file", "cache+memory", "memory", "rpc"))


CHECKS: tuple[tuple[Callable[[Settings], bool], Finding], ...] = (
    (
        lambda s: bool(s.get("DEBUG")),
        Finding("S001", "DEBUG is on.", "Unset FLASK_DEBUG; never run the debugger in production."),
    ),
    (
        _weak_key,
        Finding(
            "S002",
            "SECRET_KEY is missing, shorter than 32 characters, or a placeholder.",
            "Set SECRET_KEY to secrets.token_urlsafe(48), kept out of the repository.",
        ),
    ),
    (
        lambda s: str(s.get("SQLALCHEMY_DATABASE_URI") or "sqlite").startswith("sqlite"),
        Finding(
            "S003",
            "The database is SQLite (or unset).",
            "Set DATABASE_URL to a PostgreSQL URL.",
        ),
    ),
    (
        lambda s: not s.get("SESSION_COOKIE_SECURE") or not s.get("REMEMBER_COOKIE_SECURE"),
        Finding(
            "S004",
            "Session cookies may travel over plain HTTP.",
            "Set SESSION_COOKIE_SECURE=true and serve only HTTPS.",
        ),
    ),
    (
        lambda s: not s.get("SESSION_COOKIE_HTTPONLY"),
        Finding("S005", "The session cookie is readable by scripts.", "Keep it HttpOnly."),
    ),
    (
        lambda s: "*" in (s.get("CORS_ORIGINS") or []),
        Finding(
            "S006",
            "CORS allows any origin ('*').",
            "List the exact origins in CORS_ORIGINS, comma-separated.",
        ),
    ),
    (
        lambda s: not s.get("RATELIMIT_ENABLED"),
        Finding("S007", "Rate limiting is off.", "Unset RATELIMIT_ENABLED (it defaults to on)."),
    ),
    (
        lambda s: str(s.get("RATELIMIT_STORAGE_URI") or "memory://").startswith("memory"),
        Finding(
            "S008",
            "Rate limits are counted in each process's memory, so N workers allow N times more.",
            "Set RATELIMIT_STORAGE_URI=redis://host:6379/1.",
        ),
    ),
    (
        lambda s: bool(s.get("METRICS_ENABLED")) and not s.get("METRICS_TOKEN"),
        Finding(
            "S009",
            "/metrics is public.",
            "Set METRICS_TOKEN (scrapers send it as a bearer token) or METRICS_ENABLED=false.",
        ),
    ),
    (
        lambda s: s.get("MAIL_BACKEND") != "smtp",
        Finding(
            "S010",
            "Mail is written to files instead of being sent.",
            "Set MAIL_BACKEND=smtp and MAIL_SERVER.",
        ),
    ),
    (
        _local_broker,
        Finding(
            "S011",
            "The task broker is unset or a local file, which only one machine can use.",
            "Set CELERY_BROKER_URL to redis://host:6379/0 or amqp://host:5672//.",
        ),
    ),
    (
        lambda s: bool(s.get("TESTING")),
        Finding("S012", "TESTING is on.", "Use STOCKROOM_ENV=production."),
    ),
    (
        _unshared_result_backend,
        Finding(
            "S013",
            "The task result backend is unset, or not shared by every worker (a local file,"
            " memory, rpc://): task results and the sent-mail record (which keeps a retried"
            " mail task from sending twice) are off or not shared.",
            "Set CELERY_RESULT_BACKEND to redis://host:6379/1 (or a db+postgresql:// URL).",
        ),
    ),
)


def find_unsafe_settings(settings: Settings) -> list[Finding]:
    """Return every unsafe setting found, in id order (empty when all is safe)."""
    return [finding for is_unsafe, finding in CHECKS if is_unsafe(settings)]

from typing import Any

import pytest

from app.services.deploy_check_service import find_unsafe_settings

SAFE: dict[str, Any] = {
    "DEBUG": False,
    "TESTING": False,
    "SECRET_KEY": "k" * 48,
    "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://stockroom@db:5432/stockroom",
    "SESSION_COOKIE_SECURE": True,
    "REMEMBER_COOKIE_SECURE": True,
    "SESSION_COOKIE_HTTPONLY": True,
    "CORS_ORIGINS": ["https://shop.example.com"],
    "RATELIMIT_ENABLED": True,
    "RATELIMIT_STORAGE_URI": "redis://cache:6379/1",
    "METRICS_ENABLED": True,
    "METRICS_TOKEN": "m" * 32,
    "MAIL_BACKEND": "smtp",
    "CELERY_BROKER_URL": "redis://cache:6379/0",
    "CELERY_RESULT_BACKEND": "redis://cache:6379/1",
}


def finding_ids(**changes: Any) -> list[str]:
    return [finding.id for finding in find_unsafe_settings({**SAFE, **changes})]


def test_a_fully_safe_production_configuration_has_no_findings() -> None:
    assert find_unsafe_settings(SAFE) == []


@pytest.mark.parametrize(
    ("finding_id", "changes"),
    [
        ("S001", {"DEBUG": True}),
        ("S002", {"SECRET_KEY": None}),
        ("S002", {"SECRET_KEY": "short-but-random"}),
        ("S002", {"SECRET_KEY": "dev-insecure-change-me"}),
        ("S002", {"SECRET_KEY": " " * 40}),
        ("S003", {"SQLALCHEMY_DATABASE_URI": "sqlite:////srv/stockroom.db"}),
        ("S003", {"SQLALCHEMY_DATABASE_URI": None}),
        ("S004", {"SESSION_COOKIE_SECURE": False}),
        ("S004", {"REMEMBER_COOKIE_SECURE": False}),
        ("S005", {"SESSION_COOKIE_HTTPONLY": False}),
        ("S006", {"CORS_ORIGINS": ["https://shop.example.com", "*"]}),
        ("S007", {"RATELIMIT_ENABLED": False}),
        ("S008", {"RATELIMIT_STORAGE_URI": "memory://"}),
        ("S008", {"RATELIMIT_STORAGE_URI": None}),
        ("S009", {"METRICS_TOKEN": None}),
        ("S010", {"MAIL_BACKEND": "file", "MAIL_OUTBOX_DIR": "/srv/outbox"}),
        ("S011", {"CELERY_BROKER_URL": "sqla+sqlite:////srv/instance/celery-broker.sqlite"}),
        ("S011", {"CELERY_BROKER_URL": "filesystem://"}),
        ("S011", {"CELERY_BROKER_URL": "memory://"}),
        ("S012", {"TESTING": True}),
        ("S013", {"CELERY_RESULT_BACKEND": None}),
        ("S013", {"CELERY_RESULT_BACKEND": ""}),
        ("S013", {"CELERY_RESULT_BACKEND": "db+sqlite:////srv/instance/celery-results.sqlite"}),
        ("S013", {"CELERY_RESULT_BACKEND": "cache+memory://"}),
        ("S013", {"CELERY_RESULT_BACKEND": "file:///srv/instance/results"}),
        ("S013", {"CELERY_RESULT_BACKEND": "rpc://"}),
    ],
)
def test_each_unsafe_setting_is_reported_under_its_own_id(
    finding_id: str, changes: dict[str, Any]
) -> None:
    assert finding_ids(**changes) == [finding_id]


def test_public_metrics_are_safe_when_metrics_are_turned_off() -> None:
    assert finding_ids(METRICS_ENABLED=False, METRICS_TOKEN=None) == []


def test_a_rabbitmq_broker_is_not_reported_as_local() -> None:
    assert finding_ids(CELERY_BROKER_URL="amqp://guest:guest@mq:5672//") == []


@pytest.mark.parametrize(
    "backend", ["redis://cache:6379/1", "db+postgresql+psycopg://stockroom@db/stockroom"]
)
def test_a_result_backend_every_worker_shares_is_not_reported(backend: str) -> None:
    assert finding_ids(CELERY_RESULT_BACKEND=backend) == []


def test_findings_come_in_id_order_each_with_a_problem_and_a_fix() -> None:
    findings = find_unsafe_settings({})

    ids = [finding.id for finding in findings]
    assert ids == sorted(ids)
    assert {"S002", "S003", "S004", "S005", "S007", "S008", "S010", "S013"} <= set(ids)
    assert all(finding.problem and finding.fix for finding in findings)

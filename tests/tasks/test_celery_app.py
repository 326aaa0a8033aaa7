"""The Celery app each Flask app builds: its settings, retry policy and schedule."""

import logging
import smtplib
from datetime import timedelta

import pytest
from celery import Celery
from celery.schedules import crontab
from flask import Flask
from sqlalchemy import select

from app.common.clock import utcnow
from app.extensions import db
from app.models.idempotency_key import IdempotencyKey
from app.models.token import ACCESS, Token
from app.models.user import User
from app.tasks.celery_app import celery_settings
from app.tasks.mail_tasks import MANAGER_ADDED, MANAGER_REMOVED, PASSWORD_RESET
from app.tasks.maintenance_tasks import PURGE_EXPIRED


def test_the_celery_app_is_registered_on_the_flask_app(app: Flask) -> None:
    celery_app = app.extensions["celery"]

    assert isinstance(celery_app, Celery)
    assert celery_app.main == app.name


def test_tasks_are_acknowledged_late_and_given_back_when_a_worker_dies(app: Flask) -> None:
    conf = app.extensions["celery"].conf

    assert conf.task_acks_late is True
    assert conf.task_reject_on_worker_lost is True
    assert conf.worker_prefetch_multiplier == 1


def test_tasks_have_time_limits_and_results_expire(app: Flask) -> None:
    conf = app.extensions["celery"].conf

    assert (conf.task_soft_time_limit, conf.task_time_limit) == (240, 300)
    assert conf.result_expires == 24 * 3600


def test_the_testing_config_runs_tasks_eagerly_in_memory(app: Flask) -> None:
    conf = app.extensions["celery"].conf

    assert conf.task_always_eager is True
    assert conf.broker_url == "memory://localhost/"
    assert conf.result_backend == "cache+memory://"


@pytest.mark.parametrize(
    ("key", "value", "setting"),
    [
        ("CELERY_BROKER_URL", "redis://cache:6379/0", "broker_url"),
        ("CELERY_RESULT_BACKEND", "redis://cache:6379/1", "result_backend"),
        ("CELERY_TASK_ALWAYS_EAGER", True, "task_always_eager"),
        ("CELERY_RESULT_EXPIRES", 60, "result_expires"),
        ("CELERY_TASK_TIME_LIMIT", 900, "task_time_limit"),
    ],
)
def test_every_celery_setting_comes_from_its_flask_config_key(
    key: str, value: object, setting: str
) -> None:
    assert celery_settings({key: value})[setting] == value


def test_an_unset_flask_key_keeps_the_celery_default() -> None:
    assert celery_settings({"CELERY_RESULT_BACKEND": None})["task_acks_late"] is True
    assert "result_backend" not in celery_settings({"CELERY_RESULT_BACKEND": None})


@pytest.mark.parametrize("task_name", [MANAGER_ADDED, MANAGER_REMOVED, PASSWORD_RESET])
def test_mail_tasks_retry_transient_errors_with_jittered_exponential_backoff(
    app: Flask, task_name: str
) -> None:
    task = app.extensions["celery"].tasks[task_name]

    assert issubclass(ConnectionRefusedError, task.autoretry_for)
    assert issubclass(smtplib.SMTPServerDisconnected, task.autoretry_for)
    assert issubclass(smtplib.SMTPRecipientsRefused, task.dont_autoretry_for)
    assert (task.retry_backoff, task.retry_backoff_max, task.retry_jitter) == (2, 600, True)
    assert task.max_retries == 6


def test_beat_runs_the_purge_every_night(app: Flask) -> None:
    schedule = app.extensions["celery"].conf.beat_schedule

    assert schedule["purge-expired"]["task"] == PURGE_EXPIRED
    assert schedule["purge-expired"]["schedule"] == crontab(hour=3, minute=17)


def test_the_purge_task_deletes_dead_tokens_and_expired_idempotency_keys(
    app: Flask, user: User, caplog: pytest.LogCaptureFixture
) -> None:
    now = utcnow()
    expired, alive = now - timedelta(seconds=1), now + timedelta(hours=1)
    db.session.add_all(
        [
            Token(
                user_id=user.id, kind=ACCESS, token_hash="0" * 64, pair_id="p", expires_at=expired
            ),
            Token(user_id=user.id, kind=ACCESS, token_hash="1" * 64, pair_id="q", expires_at=alive),
            *(
                IdempotencyKey(
                    scope=f"user:{user.id}",
                    key=key,
                    fingerprint="f" * 64,
                    created_at=expires_at - timedelta(hours=24),
                    expires_at=expires_at,
                )
                for key, expires_at in (("old-1", expired), ("old-2", expired), ("new", alive))
            ),
        ]
    )
    db.session.commit()
    caplog.set_level(logging.INFO, logger="app.services.maintenance_service")

    result = app.extensions["celery"].tasks[PURGE_EXPIRED].apply_async().get()

    assert result == {"tokens": 1, "idempotency_keys": 2}
    assert db.session.scalars(select(Token.token_hash)).all() == ["1" * 64]
    assert db.session.scalars(select(IdempotencyKey.key)).all() == ["new"]
    assert [r.getMessage() for r in caplog.records if r.name.endswith("maintenance_service")] == [
        "maintenance: purged 1 dead tokens",
        "maintenance: purged 2 expired idempotency keys",
    ]

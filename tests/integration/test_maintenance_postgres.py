"""The nightly purge task on PostgreSQL: its DELETEs delete exactly the dead rows."""

from datetime import timedelta

import pytest
from flask import Flask
from sqlalchemy import select

from app.common.clock import utcnow
from app.extensions import db
from app.models.idempotency_key import IdempotencyKey
from app.models.token import ACCESS, REFRESH, RESET, Token
from app.services import user_service
from app.services.user_service import NewUser
from app.tasks.maintenance_tasks import PURGE_EXPIRED

pytestmark = pytest.mark.integration

# name: (kind, expires in, revoked, spent, kept)
TOKENS = {
    "live-access": (ACCESS, timedelta(hours=1), False, False, True),
    "expired-access": (ACCESS, timedelta(seconds=-1), False, False, False),
    "revoked-access": (ACCESS, timedelta(hours=1), True, False, False),
    "revoked-refresh": (REFRESH, timedelta(days=30), True, False, False),
    "spent-refresh": (REFRESH, timedelta(days=30), True, True, True),
    "expired-spent-refresh": (REFRESH, timedelta(seconds=-1), True, True, False),
    "spent-reset": (RESET, timedelta(hours=1), False, True, False),
}


def test_the_purge_task_deletes_dead_tokens_and_expired_keys(pg_app: Flask) -> None:
    user = user_service.create_user(db.session(), None, NewUser("ann@x.com", "a long passphrase"))
    now = utcnow()
    for name, (kind, expires_in, revoked, spent, _) in TOKENS.items():
        db.session.add(
            Token(
                user_id=user.id,
                kind=kind,
                token_hash=name.ljust(64, "0"),
                pair_id=name[:32],
                expires_at=now + expires_in,
                revoked_at=now if revoked else None,
                used_at=now if spent else None,
            )
        )
    for key, expires_in in (("old", timedelta(seconds=-1)), ("new", timedelta(hours=23))):
        db.session.add(
            IdempotencyKey(
                scope="user:1",
                key=key,
                fingerprint="f" * 64,
                created_at=now + expires_in - timedelta(hours=24),
                expires_at=now + expires_in,
            )
        )
    db.session.commit()

    result = pg_app.extensions["celery"].tasks[PURGE_EXPIRED].apply_async().get()

    kept = {name.ljust(64, "0") for name, (*_, is_kept) in TOKENS.items() if is_kept}
    assert result == {"tokens": len(TOKENS) - len(kept), "idempotency_keys": 1}
    assert set(db.session.scalars(select(Token.token_hash))) == kept
    assert db.session.scalars(select(IdempotencyKey.key)).all() == ["new"]

"""Scheduled maintenance tasks, run by celery beat (see `beat_schedule` in celery_app.py)."""

from celery import shared_task

from app.extensions import db
from app.services import maintenance_service

PURGE_DEAD_TOKENS = "stockroom.maintenance.purge_dead_tokens"


@shared_task(name=PURGE_DEAD_TOKENS)  # type: ignore[untyped-decorator]
def purge_dead_tokens() -> int:
    """Delete expired tokens and revoked access tokens; return how many went."""
    return maintenance_service.purge_dead_tokens(db.session())

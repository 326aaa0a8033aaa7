"""Scheduled maintenance tasks, run by celery beat (see `beat_schedule` in celery_app.py)."""

from celery import shared_task

from app.extensions import db
from app.services import maintenance_service

PURGE_EXPIRED = "stockroom.maintenance.purge_expired"


@shared_task(name=PURGE_EXPIRED)  # type: ignore[untyped-decorator]
def purge_expired() -> dict[str, int]:
    """Delete dead tokens and expired idempotency keys; return how many of each went."""
    return maintenance_service.purge_expired(db.session())

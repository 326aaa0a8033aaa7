"""Scheduled housekeeping: removes rows that can no longer be used."""

import logging

from sqlalchemy.orm import Session

from app.common.clock import utcnow
from app.repositories import maintenance_repository

logger = logging.getLogger(__name__)


def purge_dead_tokens(session: Session) -> int:
    """Delete expired tokens and revoked access tokens in one transaction; return the count."""
    deleted = maintenance_repository.delete_dead_tokens(session, utcnow())
    session.commit()
    logger.info("maintenance: purged %d dead tokens", deleted)
    return deleted

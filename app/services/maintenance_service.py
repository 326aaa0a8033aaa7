"""Scheduled housekeeping: the daily purge of rows nothing will use again."""

import logging

from sqlalchemy.orm import Session

from app.services import auth_service, idempotency_service

logger = logging.getLogger(__name__)


def purge_expired(session: Session) -> dict[str, int]:
    """Delete dead tokens, then expired idempotency keys; return how many of each went.

    Each purge commits on its own, and each is safe to run again (a retried task).
    """
    tokens = auth_service.purge_expired_tokens(session)
    logger.info("maintenance: purged %d dead tokens", tokens)
    keys = idempotency_service.purge_expired(session)
    logger.info("maintenance: purged %d expired idempotency keys", keys)
    return {"tokens": tokens, "idempotency_keys": keys}

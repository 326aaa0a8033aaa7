"""Liveness and readiness: is the process up, and can it reach what it depends on."""

import logging
from collections.abc import Callable, Mapping

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from app.common.clock import isoformat_utc, utcnow
from app.common.errors import ServiceUnavailableError
from app.repositories import health_repository

logger = logging.getLogger(__name__)

ReadinessCheck = Callable[[], None]


def get_liveness() -> dict[str, str]:
    """Return the liveness answer; touches no database on purpose."""
    return {"status": "ok", "time": isoformat_utc(utcnow())}


def get_readiness(session: Session, checks: Mapping[str, ReadinessCheck]) -> dict[str, object]:
    """Check the database and every extra dependency (the broker, when configured).

    Raises:
        ServiceUnavailableError: naming the first dependency that did not answer.
    """
    try:
        health_repository.ping(session)
    except SQLAlchemyError as error:
        session.rollback()
        logger.warning("readiness: database unavailable: %s", type(error).__name__)
        raise ServiceUnavailableError("The database does not answer.") from error
    for name, check in checks.items():
        try:
            check()
        except Exception as error:  # any failure of a dependency means "not ready"
            logger.warning("readiness: %s unavailable: %s", name, type(error).__name__)
            raise ServiceUnavailableError(f"The {name} does not answer.") from error
    return {"status": "ok", "checks": {"database": "ok", **dict.fromkeys(checks, "ok")}}

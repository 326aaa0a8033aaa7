"""Optimistic concurrency for versioned entities: the service half of `If-Match`.

A route passes `expected_version()` (the version the client read, or None) to its service.
The service loads the row, checks permissions, calls `check_version`, changes the row and
ends with `commit_versioned`. The check catches a client that read an old version; the
commit catches a writer that raced us between our read and our UPDATE (SQLAlchemy's
`WHERE version = :seen` matched no row). Both are 412 to the client.
"""

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from app.common.errors import ConflictError, PreconditionFailedError

STALE_DETAIL = "The resource has changed since you read it; read it again and retry."


def check_version(current: int, expected: int | None) -> None:
    """Refuse a change made against another version than the stored one.

    Raises:
        PreconditionFailedError: `expected` is given and differs from `current`.
    """
    if expected is not None and expected != current:
        raise PreconditionFailedError(STALE_DETAIL)


def commit_versioned(session: Session) -> None:
    """Commit, turning a lost optimistic-concurrency race into PreconditionFailedError.

    Raises:
        PreconditionFailedError: another transaction changed or deleted the row first.
    """
    try:
        session.commit()
    except StaleDataError as error:
        session.rollback()
        raise PreconditionFailedError(STALE_DETAIL) from error


def commit_unique(session: Session, conflict_detail: str) -> None:
    """Commit like `commit_versioned`; a unique-key race lost to another writer is a conflict.

    Raises:
        PreconditionFailedError: another transaction changed or deleted the row first.
        ConflictError: with `conflict_detail`, when a unique constraint refused the write.
    """
    try:
        commit_versioned(session)
    except IntegrityError as error:
        session.rollback()
        raise ConflictError(conflict_detail) from error

"""Queries over `idempotency_keys`; the service decides what they mean and commits."""

from datetime import datetime
from typing import Any, cast

from sqlalchemy import CursorResult, Result, delete, select, update
from sqlalchemy.orm import Session

from app.models.idempotency_key import STATE_DONE, STATE_IN_FLIGHT, IdempotencyKey


def _rowcount(result: Result[Any]) -> int:
    """How many rows a DML statement touched (ORM `execute` types it as a plain Result)."""
    return cast(CursorResult[Any], result).rowcount


def get_by_scope_and_key(session: Session, scope: str, key: str) -> IdempotencyKey | None:
    """Return the record of `key` in `scope`, if any."""
    statement = select(IdempotencyKey).where(
        IdempotencyKey.scope == scope, IdempotencyKey.key == key
    )
    return session.scalars(statement).one_or_none()


def add(session: Session, record: IdempotencyKey) -> None:
    """Stage a new record; the UNIQUE (scope, key) constraint is checked at flush."""
    session.add(record)


def delete_by_id(session: Session, record_id: int) -> int:
    """Delete one record (a no-op when another request deleted it first); return the count."""
    result = session.execute(delete(IdempotencyKey).where(IdempotencyKey.id == record_id))
    return _rowcount(result)


def delete_in_flight(session: Session, record_id: int) -> int:
    """Delete a record only while it is still in flight; return the count."""
    result = session.execute(
        delete(IdempotencyKey).where(
            IdempotencyKey.id == record_id, IdempotencyKey.state == STATE_IN_FLIGHT
        )
    )
    return _rowcount(result)


def mark_done(
    session: Session, record_id: int, status: int, headers: list[Any], body: bytes
) -> int:
    """Store the response of an in-flight record and mark it done; return the count."""
    result = session.execute(
        update(IdempotencyKey)
        .where(IdempotencyKey.id == record_id, IdempotencyKey.state == STATE_IN_FLIGHT)
        .values(
            state=STATE_DONE, response_status=status, response_headers=headers, response_body=body
        )
    )
    return _rowcount(result)


def delete_expired(session: Session, now: datetime) -> int:
    """Delete every record whose expiry has passed; return the count."""
    result = session.execute(delete(IdempotencyKey).where(IdempotencyKey.expires_at <= now))
    return _rowcount(result)

"""Idempotency keys: a retried POST replays the first answer instead of running twice.

The life of a key: `begin` inserts an in-flight record and commits, so of several
concurrent first attempts the UNIQUE (scope, key) constraint lets exactly one through;
`finish` stores the response; `abandon` deletes the record after a 5xx so a retry runs
again. Keys live 24 hours (`KEY_TTL`); an in-flight record older than `IN_FLIGHT_TIMEOUT`
was left by a process that died mid-request and is taken over by the next attempt.
"""

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.common.clock import utcnow
from app.common.errors import ConflictError, ValidationError
from app.models.idempotency_key import STATE_IN_FLIGHT, IdempotencyKey
from app.repositories import idempotency_repository

KEY_TTL = timedelta(hours=24)
# Far longer than any request may run (gunicorn kills a worker after 30 s by default).
IN_FLIGHT_TIMEOUT = timedelta(minutes=5)
HEADER = "Idempotency-Key"


@dataclass(frozen=True)
class StoredResponse:
    """The response the first attempt got, as stored."""

    status: int
    headers: list[tuple[str, str]]
    body: bytes


@dataclass(frozen=True)
class Claim:
    """What `begin` decided: run the request (`replay` is None) or replay a stored answer."""

    record_id: int
    replay: StoredResponse | None = None


def fingerprint(method: str, target: str, body: bytes) -> str:
    """Return the SHA-256 (hex) that identifies a request: method, path and body."""
    digest = hashlib.sha256()
    for part in (method.upper().encode(), target.encode(), body):
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()


def begin(session: Session, scope: str, key: str, request_fingerprint: str) -> Claim:
    """Claim `key` for a new request, or find the answer an earlier attempt got.

    Raises:
        ValidationError: the key was used with another request (422).
        ConflictError: the first attempt is still in flight (409).
    """
    now = utcnow()
    existing = idempotency_repository.get_by_scope_and_key(session, scope, key)
    if existing is not None and not _is_stale(existing, now):
        return _claim_existing(existing, request_fingerprint)
    if existing is not None:
        idempotency_repository.delete_by_id(session, existing.id)
    record = IdempotencyKey(
        scope=scope,
        key=key,
        fingerprint=request_fingerprint,
        state=STATE_IN_FLIGHT,
        created_at=now,
        expires_at=now + KEY_TTL,
    )
    idempotency_repository.add(session, record)
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        winner = idempotency_repository.get_by_scope_and_key(session, scope, key)
        if winner is None:
            raise _in_flight_error() from None
        return _claim_existing(winner, request_fingerprint)
    return Claim(record.id)


def finish(session: Session, record_id: int, response: StoredResponse) -> None:
    """Store the response of the request that holds the claim."""
    headers = [list(pair) for pair in response.headers]
    idempotency_repository.mark_done(session, record_id, response.status, headers, response.body)
    session.commit()


def abandon(session: Session, record_id: int) -> None:
    """Release the claim without storing anything, so a retry runs the request again."""
    idempotency_repository.delete_in_flight(session, record_id)
    session.commit()


def purge_expired(session: Session) -> int:
    """Delete every expired key; return how many went."""
    count = idempotency_repository.delete_expired(session, utcnow())
    session.commit()
    return count


def _is_stale(record: IdempotencyKey, now: datetime) -> bool:
    if record.expires_at <= now:
        return True
    return not record.is_done and record.created_at <= now - IN_FLIGHT_TIMEOUT


def _claim_existing(record: IdempotencyKey, request_fingerprint: str) -> Claim:
    if record.fingerprint != request_fingerprint:
        raise ValidationError(
            f"This {HEADER} was already used with another request; use a new key.",
            {HEADER: ["was already used with a different method, path or body"]},
        )
    if not record.is_done:
        raise _in_flight_error()
    stored = StoredResponse(
        status=record.response_status or 200,
        headers=[(str(name), str(value)) for name, value in record.response_headers or []],
        body=record.response_body or b"",
    )
    return Claim(record.id, stored)


def _in_flight_error() -> ConflictError:
    return ConflictError(
        f"A request with this {HEADER} is still being processed; retry in a moment."
    )

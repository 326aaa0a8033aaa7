"""The idempotency service on a plain Session: claim, replay, release, expire, race."""

from datetime import timedelta

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from app.common.clock import utcnow
from app.common.errors import ConflictError, ValidationError
from app.models.idempotency_key import IdempotencyKey
from app.services import idempotency_service
from app.services.idempotency_service import StoredResponse

PRINT = idempotency_service.fingerprint("POST", "/api/things", b'{"name":"a"}')
CREATED = StoredResponse(201, [("Content-Type", "application/json")], b'{"data":1}')


def count_keys(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(IdempotencyKey)) or 0


def test_a_new_key_is_claimed_in_flight_for_24_hours(session):
    claim = idempotency_service.begin(session, "user:1", "k", PRINT)

    record = session.get_one(IdempotencyKey, claim.record_id)
    assert claim.replay is None
    assert record.state == "in_flight"
    assert record.expires_at - record.created_at == timedelta(hours=24)


def test_a_finished_key_replays_what_was_stored(session):
    claim = idempotency_service.begin(session, "user:1", "k", PRINT)
    idempotency_service.finish(session, claim.record_id, CREATED)

    again = idempotency_service.begin(session, "user:1", "k", PRINT)

    assert again.replay == CREATED


def test_a_key_in_flight_is_a_conflict(session):
    idempotency_service.begin(session, "user:1", "k", PRINT)

    with pytest.raises(ConflictError, match="still being processed"):
        idempotency_service.begin(session, "user:1", "k", PRINT)


def test_a_key_reused_for_another_request_is_a_validation_error(session):
    idempotency_service.begin(session, "user:1", "k", PRINT)
    other = idempotency_service.fingerprint("POST", "/api/things", b'{"name":"b"}')

    with pytest.raises(ValidationError) as caught:
        idempotency_service.begin(session, "user:1", "k", other)

    assert list(caught.value.errors) == ["Idempotency-Key"]


def test_an_abandoned_key_can_be_claimed_again(session):
    claim = idempotency_service.begin(session, "user:1", "k", PRINT)
    idempotency_service.abandon(session, claim.record_id)

    again = idempotency_service.begin(session, "user:1", "k", PRINT)

    assert again.replay is None
    assert count_keys(session) == 1


def test_abandon_never_deletes_a_finished_key(session):
    claim = idempotency_service.begin(session, "user:1", "k", PRINT)
    idempotency_service.finish(session, claim.record_id, CREATED)

    idempotency_service.abandon(session, claim.record_id)

    assert count_keys(session) == 1


def test_purge_deletes_only_expired_keys(session):
    old = utcnow() - timedelta(hours=25)
    session.add(
        IdempotencyKey(
            scope="user:1",
            key="old",
            fingerprint=PRINT,
            state="done",
            created_at=old,
            expires_at=old + idempotency_service.KEY_TTL,
        )
    )
    session.commit()
    idempotency_service.begin(session, "user:1", "new", PRINT)

    purged = idempotency_service.purge_expired(session)

    assert purged == 1
    assert session.scalars(select(IdempotencyKey.key)).all() == ["new"]


def test_the_loser_of_a_race_to_claim_sees_the_winner(session):
    """Another request inserts the key between this one's lookup and its insert."""

    def winner_inserts_first(*_args: object) -> None:
        with Session(session.get_bind()) as other:
            idempotency_service.begin(other, "user:1", "k", PRINT)

    event.listen(session, "before_flush", winner_inserts_first, once=True)

    with pytest.raises(ConflictError):
        idempotency_service.begin(session, "user:1", "k", PRINT)

    assert count_keys(session) == 1


@pytest.mark.parametrize(
    ("method", "target", "body"),
    [
        ("PUT", "/api/things", b'{"name":"a"}'),
        ("POST", "/api/thing", b's{"name":"a"}'),
        ("POST", "/api/things?x=1", b'{"name":"a"}'),
        ("POST", "/api/things", b'{"name":"b"}'),
    ],
)
def test_the_fingerprint_changes_with_method_target_or_body(method, target, body):
    assert idempotency_service.fingerprint(method, target, body) != PRINT

"""The clock's ISO 8601 text: always UTC with a `Z`, whatever zone the moment came in."""

from datetime import UTC, datetime, timedelta, timezone

import pytest

from app.common.clock import isoformat_utc, utcnow

MOMENT = datetime(2026, 11, 23, 12, 30, 45, 123456, tzinfo=UTC)


@pytest.mark.parametrize(
    "zone",
    [
        UTC,
        timezone(timedelta(0), "GMT"),
        timezone(timedelta(hours=2)),
        timezone(timedelta(hours=-5)),
    ],
)
def test_a_moment_in_any_zone_is_written_in_utc_with_a_z(zone: timezone) -> None:
    assert isoformat_utc(MOMENT.astimezone(zone)) == "2026-11-23T12:30:45.123456Z"


def test_now_is_aware_utc_and_written_with_a_z() -> None:
    text = isoformat_utc(utcnow())

    assert text.endswith("Z")
    assert "+" not in text

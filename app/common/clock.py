"""The one place the current time comes from, so tests and services agree on UTC."""

from datetime import UTC, datetime


def utcnow() -> datetime:
    """Return the current time as an aware UTC datetime."""
    return datetime.now(UTC)


def isoformat_utc(moment: datetime) -> str:
    """Format an aware datetime as ISO 8601 UTC with a `Z` suffix."""
    if moment.tzinfo is not UTC:  # `utcnow()`'s are UTC already: no conversion to make
        moment = moment.astimezone(UTC)
    return moment.isoformat().replace("+00:00", "Z")

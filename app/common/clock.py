"""The one place the current time comes from, so tests and services agree on UTC."""

from datetime import UTC, datetime


def utcnow() -> datetime:
    """Return the current time as an aware UTC datetime."""
    return datetime.now(UTC)


def isoformat_utc(moment: datetime) -> str:
    """Format an aware datetime as ISO 8601 UTC with a `Z` suffix."""
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")

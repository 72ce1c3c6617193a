"""Convert aware datetimes to and from the UTC text stored in SQLite."""

from __future__ import annotations

from datetime import UTC, datetime


def to_text(moment: datetime) -> str:
    """Return a fixed-width UTC ISO 8601 string that sorts in time order."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"storage needs an aware datetime, got naive {moment!r}")
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def from_text(text: str) -> datetime:
    """Return the aware UTC datetime a stored string stands for."""
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        raise ValueError(f"stored timestamp {text!r} has no offset")
    return moment.astimezone(UTC)


def as_utc(moment: datetime) -> datetime:
    """Return the same instant as an aware datetime in UTC (as stored and read back)."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"storage needs an aware datetime, got naive {moment!r}")
    return moment.astimezone(UTC)

"""The console's one clock: aware UTC in whole seconds, and the store's epoch seconds both ways.

The store keeps every moment as an integer count of seconds since the Unix epoch (UTC), and X.509 times
have whole seconds too, so every operation takes its ``now`` through :func:`now`: a moment given by the
caller (tests freeze time this way) or the system clock, always timezone-aware UTC with the microseconds
dropped. A naive datetime is refused rather than guessed at: read as local time it would move every expiry
by the machine's offset.
"""

from __future__ import annotations

from datetime import UTC, datetime


def now(moment: datetime | None = None) -> datetime:
    """``moment`` (default: the system clock) as aware UTC in whole seconds, the store's resolution."""
    moment = moment or datetime.now(UTC)
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"a moment must be timezone-aware (UTC), got naive {moment.isoformat()}")
    return moment.astimezone(UTC).replace(microsecond=0)


def to_epoch(moment: datetime) -> int:
    """``moment`` as the store keeps it: whole seconds since the Unix epoch (fractions dropped)."""
    return int(moment.timestamp())


def from_epoch(seconds: int) -> datetime:
    """A stored epoch-seconds value as an aware UTC datetime."""
    return datetime.fromtimestamp(seconds, UTC)

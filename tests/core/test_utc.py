"""The console's one clock (zmconsole.core.utc): aware UTC, whole seconds, epoch seconds both ways."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from zmconsole.core import utc


def test_now_is_aware_utc_in_whole_seconds() -> None:
    moment = utc.now()
    assert moment.tzinfo is UTC
    assert moment.microsecond == 0


def test_a_given_moment_is_converted_to_utc_and_truncated() -> None:
    paris = timezone(timedelta(hours=1))
    given = datetime(2026, 3, 1, 13, 0, 5, 999_999, tzinfo=paris)
    assert utc.now(given) == datetime(2026, 3, 1, 12, 0, 5, tzinfo=UTC)
    assert utc.now(given).tzinfo is UTC


def test_a_naive_moment_is_refused_not_guessed() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        utc.now(datetime(2026, 3, 1, 12, 0))


def test_epoch_seconds_both_ways() -> None:
    moment = datetime(2026, 3, 1, 12, 0, 5, tzinfo=UTC)
    assert utc.to_epoch(moment) == 1772366405
    assert utc.to_epoch(moment + timedelta(microseconds=700_000)) == 1772366405
    assert utc.from_epoch(1772366405) == moment
    assert utc.from_epoch(1772366405).tzinfo is UTC

"""CRL dates and numbers only move forward (issue 8 items 7 and 13)."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest

from tests.support import storestate
from zmconsole.core import ca, revocation
from zmconsole.core.errors import InputError
from zmconsole.core.store import Store


def test_this_update_never_goes_backwards_when_the_clock_does(store: Store, unlocked: ca.UnlockedCa,
                                                              now: datetime) -> None:
    first = revocation.generate_crl(store, unlocked, now=now)
    second = revocation.generate_crl(store, unlocked, now=now - timedelta(hours=3))
    assert second.number == first.number + 1
    assert second.this_update == first.this_update
    assert second.next_update == first.this_update + timedelta(hours=48)


@pytest.mark.parametrize("hours", [0, -1, revocation.MAX_CRL_HOURS + 1, 10_000_000_000])
def test_an_impossible_validity_is_refused_before_anything_is_signed(store: Store, unlocked: ca.UnlockedCa,
                                                                     home: Path, hours: int) -> None:
    before, actions = storestate.snapshot(home), storestate.audit_actions(home)
    with pytest.raises(InputError, match="at least 1 hour and at most"):
        revocation.generate_crl(store, unlocked, hours=hours)
    assert storestate.snapshot(home) == before
    assert storestate.audit_actions(home) == actions

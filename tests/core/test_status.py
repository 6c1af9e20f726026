"""The status names are an interface for scripts; the groups decide what each front end calls urgent."""

from __future__ import annotations

from zmconsole.core.status import CERTIFICATE_STATUSES, CRITICAL, NEEDS_ACTION, USABLE, Status


def test_the_values_are_the_documented_names() -> None:
    assert [str(s) for s in Status] == ["active", "expiring-90", "expiring-30", "expiring-7", "expired", "revoked",
                                        "superseded", "not-yet-valid", "none"]
    assert Status.NONE not in CERTIFICATE_STATUSES and len(CERTIFICATE_STATUSES) == 8


def test_the_groups() -> None:
    assert USABLE == ("active", "expiring-90", "expiring-30", "expiring-7", "not-yet-valid")
    assert NEEDS_ACTION == ("expiring-90", "expiring-30", "expiring-7", "expired")
    assert CRITICAL == ("expiring-7", "expired")
    assert set(CRITICAL) <= set(NEEDS_ACTION)
    assert not set(USABLE) & {Status.REVOKED, Status.SUPERSEDED, Status.EXPIRED, Status.NONE}


def test_each_status_knows_its_groups() -> None:
    assert Status.EXPIRING_7.usable and Status.EXPIRING_7.needs_action and Status.EXPIRING_7.critical
    assert Status.EXPIRED.critical and not Status.EXPIRED.usable
    assert Status.ACTIVE.usable and not Status.ACTIVE.needs_action
    assert not (Status.REVOKED.usable or Status.REVOKED.needs_action or Status.REVOKED.critical)
    assert Status("expiring-30") is Status.EXPIRING_30

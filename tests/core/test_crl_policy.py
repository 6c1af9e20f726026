"""The one CRL policy: revoking signs and publishes where configured; one answer to "is this CRL current"."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding

from tests.conftest import CsrFactory
from tests.support import storestate
from zmconsole.core import audit, ca, issuance, revocation, settings
from zmconsole.core.crl_policy import CrlState, crl_state, revoke_and_publish, sign_and_publish
from zmconsole.core.errors import ConflictError, InputError, NotFoundError
from zmconsole.core.store import Store

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)


def test_revoking_revokes_refuses_and_signs_one_crl(store: Store, unlocked: ca.UnlockedCa,
                                                     make_csr: CsrFactory) -> None:
    for device_id in ("ZM-001", "ZM-002", "ZM-003"):
        issuance.issue_device(store, unlocked, device_id, csr=make_csr(device_id))
    revocation.revoke(store, "ZM-003", "lost")
    outcome = revoke_and_publish(store, unlocked, ["ZM-001", "ZM-002", "ZM-003", "ZM-404"], "decommissioned")
    assert [r.subject for r in outcome.revoked] == ["ZM-001", "ZM-002"]
    assert [(target, type(error)) for target, error in outcome.refused] == [("ZM-003", ConflictError),
                                                                          ("ZM-404", NotFoundError)]
    assert "already revoked" in str(outcome.refused[0][1])
    assert outcome.signed is not None and outcome.signed.crl.entries == 3 and outcome.signed.crl.number == 1
    assert outcome.signed.publication.folder is None and not outcome.signed.publication.published
    latest = revocation.latest_crl(store)
    assert latest is not None and latest.number == outcome.signed.crl.number


def test_revoking_nothing_signs_no_crl(store: Store, unlocked: ca.UnlockedCa, home: Path) -> None:
    outcome = revoke_and_publish(store, unlocked, ["ZM-404"], "lost")
    assert outcome.revoked == () and outcome.signed is None
    before = storestate.snapshot(home)
    with pytest.raises(InputError, match="Unknown revocation reason"):
        revoke_and_publish(store, unlocked, ["ZM-404"], "stolen")
    assert storestate.snapshot(home) == before


def test_revoking_publishes_where_configured(store: Store, unlocked: ca.UnlockedCa, make_csr: CsrFactory,
                                             tmp_path: Path) -> None:
    issuance.issue_device(store, unlocked, "ZM-001", csr=make_csr("ZM-001"))
    settings.set_value(store, "crl-publish-dir", str(tmp_path / "www"))
    outcome = revoke_and_publish(store, unlocked, ["ZM-001"], "lost")
    assert outcome.signed is not None
    crl, publication = outcome.signed.crl, outcome.signed.publication
    assert publication.folder == tmp_path / "www" and publication.error is None
    pem, der = publication.files
    assert (pem.name, der.name) == ("crl.pem", "crl.der")
    assert x509.load_pem_x509_crl(pem.read_bytes()).public_bytes(Encoding.DER) == der.read_bytes() == crl.der
    assert audit.entries(store, action_prefix="crl.published")[0].details["number"] == crl.number


def test_a_failed_publish_is_reported_and_the_crl_is_kept(store: Store, unlocked: ca.UnlockedCa,
                                                          make_csr: CsrFactory, tmp_path: Path) -> None:
    issuance.issue_device(store, unlocked, "ZM-001", csr=make_csr("ZM-001"))
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the folder should be")
    settings.set_value(store, "crl-publish-dir", str(blocker))
    outcome = revoke_and_publish(store, unlocked, ["ZM-001"], "lost")
    assert [r.subject for r in outcome.revoked] == ["ZM-001"]
    assert outcome.signed is not None and not outcome.signed.publication.published
    assert isinstance(outcome.signed.publication.error, InputError)
    assert "crl-publish-dir" in str(outcome.signed.publication.error)
    latest = revocation.latest_crl(store)
    assert latest is not None and latest.number == outcome.signed.crl.number


def test_signing_publishes_too(store: Store, unlocked: ca.UnlockedCa, tmp_path: Path) -> None:
    assert sign_and_publish(store, unlocked).publication.folder is None
    settings.set_value(store, "crl-publish-dir", str(tmp_path / "www"))
    signed = sign_and_publish(store, unlocked, hours=5)
    assert signed.crl.number == 2 and signed.crl.next_update - signed.crl.this_update == 5 * HOUR
    assert (tmp_path / "www" / "crl.der").read_bytes() == signed.crl.der


def test_a_crl_is_current_for_a_day(store: Store, unlocked: ca.UnlockedCa) -> None:
    assert crl_state(store, None, now=T0) is CrlState.MISSING
    crl = revocation.generate_crl(store, unlocked, now=T0)  # nextUpdate T0 + 48 h
    assert crl_state(store, crl, now=T0) is CrlState.CURRENT
    assert crl_state(store, crl, now=T0 + 24 * HOUR - timedelta(seconds=1)) is CrlState.CURRENT
    assert crl_state(store, crl, now=T0 + 24 * HOUR) is CrlState.DUE
    assert crl_state(store, crl, now=T0 + 48 * HOUR) is CrlState.EXPIRED
    short = revocation.generate_crl(store, unlocked, now=T0, hours=2)
    assert crl_state(store, short, now=T0 + HOUR) is CrlState.CURRENT
    assert crl_state(store, short, now=T0 + 2 * HOUR) is CrlState.EXPIRED


def test_a_crl_is_behind_a_later_revocation(store: Store, unlocked: ca.UnlockedCa, make_csr: CsrFactory) -> None:
    for device_id in ("ZM-001", "ZM-002"):
        issuance.issue_device(store, unlocked, device_id, csr=make_csr(device_id), now=T0 - 24 * HOUR)
    revocation.revoke(store, "ZM-001", "lost", now=T0)
    crl = revocation.generate_crl(store, unlocked, now=T0)  # lists the revocation of its own second
    assert crl_state(store, crl, now=T0 + HOUR) is CrlState.CURRENT
    revocation.revoke(store, "ZM-002", "compromised", now=T0 + HOUR)
    assert crl_state(store, crl, now=T0 + 2 * HOUR) is CrlState.BEHIND
    newer = revocation.generate_crl(store, unlocked, now=T0 + 2 * HOUR)
    assert crl_state(store, newer, now=T0 + 2 * HOUR) is CrlState.CURRENT


def test_a_crl_is_behind_when_a_renewal_grace_ends(store: Store, unlocked: ca.UnlockedCa) -> None:
    issuance.issue_device(store, unlocked, "ZM-001", generate="ec-p256", now=T0 - 30 * 24 * HOUR)
    issuance.issue_device(store, unlocked, "ZM-001", generate="ec-p256", renew=True, now=T0)
    crl = revocation.generate_crl(store, unlocked, now=T0 + revocation.GRACE - 12 * HOUR)
    assert crl.entries == 0
    assert crl_state(store, crl, now=T0 + revocation.GRACE - HOUR) is CrlState.CURRENT
    assert crl_state(store, crl, now=T0 + revocation.GRACE) is CrlState.BEHIND  # the predecessor is now due
    newer = revocation.generate_crl(store, unlocked, now=T0 + revocation.GRACE)
    assert newer.entries == 1 and crl_state(store, newer, now=T0 + revocation.GRACE) is CrlState.CURRENT


def test_publishing_to_no_folder_is_refused(store: Store, unlocked: ca.UnlockedCa) -> None:
    crl = revocation.generate_crl(store, unlocked)
    with pytest.raises(InputError, match="No CRL publish folder"):
        revocation.publish_crl(store, crl, "")

"""Revoking several devices at once, and publishing the CRL to a folder."""

from __future__ import annotations

from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding

from tests.conftest import CsrFactory
from zmconsole.core import audit, ca, issuance, revocation
from zmconsole.core.errors import InputError
from zmconsole.core.store import Store


def test_batch_revokes_refuses_and_signs_one_crl(store: Store, unlocked: ca.UnlockedCa,
                                                 make_csr: CsrFactory) -> None:
    for device_id in ("ZM-001", "ZM-002", "ZM-003"):
        issuance.issue_device(store, unlocked, device_id, csr=make_csr(device_id))
    revocation.revoke(store, "ZM-003", "lost")
    batch = revocation.revoke_devices(store, unlocked, ["ZM-001", "ZM-002", "ZM-003", "ZM-404"], "decommissioned")
    assert [r.subject for r in batch.revoked] == ["ZM-001", "ZM-002"]
    assert [target for target, _ in batch.refused] == ["ZM-003", "ZM-404"]
    assert "already revoked" in batch.refused[0][1]
    assert batch.crl is not None and batch.crl.entries == 3 and batch.crl.number == 1
    latest = revocation.latest_crl(store)
    assert latest is not None and latest.number == batch.crl.number


def test_batch_with_nothing_revoked_signs_no_crl(store: Store, unlocked: ca.UnlockedCa) -> None:
    batch = revocation.revoke_devices(store, unlocked, ["ZM-404"], "lost")
    assert batch.revoked == () and batch.crl is None
    with pytest.raises(InputError, match="Unknown revocation reason"):
        revocation.revoke_devices(store, unlocked, ["ZM-404"], "stolen")


def test_publish_writes_pem_and_der(store: Store, unlocked: ca.UnlockedCa, tmp_path: Path) -> None:
    crl = revocation.generate_crl(store, unlocked)
    pem, der = revocation.publish_crl(store, crl, tmp_path / "www")
    assert x509.load_pem_x509_crl(pem.read_bytes()).public_bytes(Encoding.DER) == der.read_bytes() == crl.der
    assert audit.entries(store, action_prefix="crl.published")[0].details["number"] == crl.number
    with pytest.raises(InputError, match="No CRL publish folder"):
        revocation.publish_crl(store, crl, "")

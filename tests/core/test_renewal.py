"""core/renewal.py without the network: the grace window follows renewal-grace-days, and without a
confirmation the predecessor reaches the CRL as superseded when its grace ends (protocol §7.7.1)."""

from __future__ import annotations

import base64
from datetime import timedelta

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from tests.support.service import device_csr
from zmconsole.core import ca, issuance, renewal, revocation, settings, utc
from zmconsole.core.store import Store


def _renew(store: Store, unlocked: ca.UnlockedCa, current: x509.Certificate, key: ec.EllipticCurvePrivateKey,
           **kwargs: object) -> renewal.Renewed:
    der = current.public_bytes(serialization.Encoding.DER)
    return renewal.renew(store, unlocked, der, base64.encodebytes(device_csr("ZM-001", key)), **kwargs)  # type: ignore[arg-type]


def test_without_confirmation_the_predecessor_is_superseded_when_its_grace_ends(store: Store,
                                                                               unlocked: ca.UnlockedCa) -> None:
    settings.set_value(store, "renewal-grace-days", "2")
    t0 = utc.now()
    old = issuance.issue_device(store, unlocked, "ZM-001", csr=device_csr("ZM-001"), subject_from_profile=True,
                                made_by="paired", now=t0)
    renewed = _renew(store, unlocked, old.certificate, ec.generate_private_key(ec.SECP256R1()), now=t0)
    assert renewed.grace_ends == t0 + timedelta(days=2) and renewed.replaces_serial == old.serial
    during = revocation.generate_crl(store, unlocked, now=t0 + timedelta(days=1))
    assert x509.load_der_x509_crl(during.der).get_revoked_certificate_by_serial_number(
        old.certificate.serial_number) is None
    after = x509.load_der_x509_crl(revocation.generate_crl(store, unlocked, now=t0 + timedelta(days=2, hours=1)).der)
    entry = after.get_revoked_certificate_by_serial_number(old.certificate.serial_number)
    assert entry is not None and entry.revocation_date_utc == t0 + timedelta(days=2)
    assert entry.extensions.get_extension_for_class(x509.CRLReason).value.reason == x509.ReasonFlags.superseded


def test_the_same_key_renews_when_the_site_allows_it(store: Store, unlocked: ca.UnlockedCa) -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    old = issuance.issue_device(store, unlocked, "ZM-001", csr=device_csr("ZM-001", key), subject_from_profile=True,
                                made_by="paired")
    with pytest.raises(renewal.RenewalRefused) as refused:
        _renew(store, unlocked, old.certificate, key)
    assert refused.value.code == "key_reused"
    settings.set_value(store, "renewal-key-reuse", "allow")
    assert _renew(store, unlocked, old.certificate, key).certificate.public_key() == key.public_key()

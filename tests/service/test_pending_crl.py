"""A revocation recorded without the CA key (an officer's, issue 13) is "revoked, CRL pending" until the key
holder signs a CRL; the service's housekeeping step signs it without waiting for a ``/crl`` request."""

from __future__ import annotations

from cryptography import x509

from zmconsole.core import crl_policy, issuance, revocation, utc
from zmconsole.core.ca import UnlockedCa
from zmconsole.core.store import Store
from zmconsole.service.app import ProvisioningApp


def test_housekeeping_signs_the_crl_a_revocation_without_the_key_left_pending(store: Store,
                                                                              unlocked: UnlockedCa) -> None:
    now = utc.now()
    app = ProvisioningApp(store, unlocked, crl_url="http://127.0.0.1/crl", clock=lambda: now)
    issued = issuance.issue_device(store, unlocked, "ZM-001", generate="ec-p256", now=now)
    first = revocation.generate_crl(store, unlocked, now=now)
    assert app.sign_pending() is None  # nothing pending: no new CRL
    revocation.revoke(store, "ZM-001", "lost", now=now)  # as an officer does: rows only
    assert crl_policy.pending_revocations(store, now=now) == {issued.serial}
    assert crl_policy.shown_status("revoked", issued.serial, {issued.serial}) == "revoked, CRL pending"
    signed = app.sign_pending()
    assert signed is not None and signed.number == first.number + 1
    listed = x509.load_der_x509_crl(signed.der)
    assert listed.get_revoked_certificate_by_serial_number(issued.certificate.serial_number) is not None
    assert crl_policy.pending_revocations(store, now=now) == set()
    assert crl_policy.shown_status("revoked", issued.serial, set()) == "revoked"

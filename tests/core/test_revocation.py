"""Revocation and the CRL (issue 2 "Revocation and CRL"): reasons mapped to RFC 5280 codes, by device ID or
serial, v2 CRL with a strictly increasing number, AKI, reason codes and nextUpdate = thisUpdate + 48 h."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.x509.oid import CRLEntryExtensionOID, ExtensionOID

from tests.support import storestate
from zmconsole.core import audit, ca, issuance, revocation, settings
from zmconsole.core.errors import ConflictError, InputError
from zmconsole.core.store import Store


def crl_of(info: revocation.CrlInfo) -> x509.CertificateRevocationList:
    return x509.load_der_x509_crl(info.der)


def reasons(crl: x509.CertificateRevocationList) -> dict[int, x509.ReasonFlags | None]:
    found: dict[int, x509.ReasonFlags | None] = {}
    for entry in crl:
        try:
            found[entry.serial_number] = entry.extensions.get_extension_for_class(x509.CRLReason).value.reason
        except x509.ExtensionNotFound:
            found[entry.serial_number] = None
    return found


def test_reasons_map_to_rfc5280_codes() -> None:
    assert revocation.REASONS == {
        "lost": x509.ReasonFlags.key_compromise,
        "compromised": x509.ReasonFlags.key_compromise,
        "decommissioned": x509.ReasonFlags.cessation_of_operation,
        "superseded": x509.ReasonFlags.superseded,
    }


def test_revoke_by_device_and_by_serial_and_list_in_the_crl(store: Store, home: Path, unlocked: ca.UnlockedCa,
                                                            now: datetime) -> None:
    devices = {n: issuance.issue_device(store, unlocked, n, generate="ec-p256", now=now)
               for n in ("ZM-001", "ZM-002", "ZM-003", "ZM-004", "ZM-005")}
    server = issuance.issue_server(store, unlocked, "telemetry.hospital.example", generate="ec-p256", now=now)
    later = now + timedelta(minutes=10)
    result = revocation.revoke(store, "ZM-001", "lost", now=later)
    assert result.serials == (devices["ZM-001"].serial,) and result.subject == "ZM-001" and result.at == later
    revocation.revoke(store, "ZM-002", "compromised", now=later)
    revocation.revoke(store, "ZM-003", "decommissioned", now=later)
    # By serial, in the spellings an operator copies from openssl or a browser.
    serial = devices["ZM-004"].serial
    by_serial = revocation.revoke(store, "0x" + serial.lower(), "superseded", now=later)
    assert by_serial.serials == (serial,) and by_serial.subject == "ZM-004"
    colons = ":".join(server.serial[i:i + 2] for i in range(0, len(server.serial), 2))
    assert revocation.revoke(store, colons, "decommissioned", now=later).subject == "telemetry.hospital.example"

    info = revocation.generate_crl(store, unlocked, now=later)
    crl = crl_of(info)
    assert info.entries == 5
    assert reasons(crl) == {
        devices["ZM-001"].certificate.serial_number: x509.ReasonFlags.key_compromise,
        devices["ZM-002"].certificate.serial_number: x509.ReasonFlags.key_compromise,
        devices["ZM-003"].certificate.serial_number: x509.ReasonFlags.cessation_of_operation,
        devices["ZM-004"].certificate.serial_number: x509.ReasonFlags.superseded,
        server.certificate.serial_number: x509.ReasonFlags.cessation_of_operation,
    }
    assert all(entry.revocation_date_utc == later for entry in crl)
    assert all(not e.critical for entry in crl for e in entry.extensions)
    assert {e.oid for entry in crl for e in entry.extensions} == {CRLEntryExtensionOID.CRL_REASON}
    # The store agrees, and each revocation is in the audit trail.
    rows = {r["serial"]: r for r in storestate.rows(home, "certificates")}
    assert rows[devices["ZM-005"].serial]["revoked_at"] is None
    assert rows[devices["ZM-001"].serial]["revoked_at"] == int(later.timestamp())
    assert rows[devices["ZM-001"].serial]["revocation_reason"] == "lost"
    assert storestate.audit_actions(home).count("cert.revoked") == 5
    assert audit.verify(store).ok


def test_crl_profile(store: Store, unlocked: ca.UnlockedCa, now: datetime) -> None:
    issuance.issue_device(store, unlocked, "ZM-001", generate="ec-p256", now=now)
    revocation.revoke(store, "ZM-001", "lost", now=now)
    info = revocation.generate_crl(store, unlocked, now=now)
    crl = crl_of(info)
    assert crl.issuer == unlocked.certificate.subject
    assert crl.is_signature_valid(unlocked.certificate.public_key())  # type: ignore[arg-type]
    assert crl.last_update_utc == now == info.this_update
    assert crl.next_update_utc == now + timedelta(hours=48) == info.next_update
    exts = {e.oid: e for e in crl.extensions}
    assert set(exts) == {ExtensionOID.AUTHORITY_KEY_IDENTIFIER, ExtensionOID.CRL_NUMBER}
    ca_ski = unlocked.certificate.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
    assert exts[ExtensionOID.AUTHORITY_KEY_IDENTIFIER].value.key_identifier == ca_ski.digest
    assert not exts[ExtensionOID.AUTHORITY_KEY_IDENTIFIER].critical
    assert exts[ExtensionOID.CRL_NUMBER].value.crl_number == info.number == 1
    assert not exts[ExtensionOID.CRL_NUMBER].critical
    assert x509.load_pem_x509_crl(info.pem).public_bytes(Encoding.DER) == info.der


def test_crl_numbers_strictly_increase_and_the_latest_is_kept(store: Store, home: Path, unlocked: ca.UnlockedCa,
                                                              now: datetime) -> None:
    assert revocation.latest_crl(store) is None
    numbers = [revocation.generate_crl(store, unlocked, now=now + timedelta(hours=h)).number for h in range(5)]
    assert numbers == [1, 2, 3, 4, 5]
    latest = revocation.latest_crl(store)
    assert latest is not None and latest.number == 5 and latest.this_update == now + timedelta(hours=4)
    assert crl_of(latest).extensions.get_extension_for_class(x509.CRLNumber).value.crl_number == 5
    assert storestate.audit_actions(home).count("crl.generated") == 5


def test_next_update_follows_the_setting_and_the_argument(store: Store, unlocked: ca.UnlockedCa,
                                                          now: datetime) -> None:
    assert revocation.generate_crl(store, unlocked, now=now, hours=24).next_update == now + timedelta(hours=24)
    settings.set_value(store, "crl-next-update-hours", "72")
    assert revocation.generate_crl(store, unlocked, now=now).next_update == now + timedelta(hours=72)


@pytest.mark.parametrize("hours", [0, -5])
def test_a_crl_that_would_be_stale_at_birth_is_refused(hours: int, store: Store, home: Path,
                                                       unlocked: ca.UnlockedCa) -> None:
    before, actions = storestate.snapshot(home), storestate.audit_actions(home)
    with pytest.raises(InputError, match="at least 1 hour"):
        revocation.generate_crl(store, unlocked, hours=hours)
    assert storestate.snapshot(home) == before and storestate.audit_actions(home) == actions


def test_expired_revoked_certificates_leave_the_crl(store: Store, unlocked: ca.UnlockedCa, now: datetime) -> None:
    short = issuance.issue_device(store, unlocked, "ZM-001", generate="ec-p256", days=2, now=now)
    issuance.issue_device(store, unlocked, "ZM-002", generate="ec-p256", now=now)
    revocation.revoke(store, "ZM-001", "lost", now=now)
    revocation.revoke(store, "ZM-002", "lost", now=now)
    assert revocation.generate_crl(store, unlocked, now=now).entries == 2
    after_expiry = revocation.generate_crl(store, unlocked, now=now + timedelta(days=3))
    assert short.certificate.serial_number not in reasons(crl_of(after_expiry))
    assert after_expiry.entries == 1


def test_a_renewed_certificate_is_listed_as_superseded_after_the_grace_period(store: Store, unlocked: ca.UnlockedCa,
                                                                              now: datetime) -> None:
    old = issuance.issue_device(store, unlocked, "ZM-001", generate="ec-p256", now=now)
    issuance.issue_device(store, unlocked, "ZM-001", generate="ec-p256", renew=True, now=now)
    within = revocation.generate_crl(store, unlocked, now=now + revocation.GRACE - timedelta(hours=1))
    assert within.entries == 0
    after = revocation.generate_crl(store, unlocked, now=now + revocation.GRACE + timedelta(hours=1))
    crl = crl_of(after)
    assert reasons(crl) == {old.certificate.serial_number: x509.ReasonFlags.superseded}
    assert next(iter(crl)).revocation_date_utc == now + revocation.GRACE


def test_revoking_a_device_revokes_its_superseded_certificate_in_grace_too(store: Store, unlocked: ca.UnlockedCa,
                                                                           now: datetime) -> None:
    old = issuance.issue_device(store, unlocked, "ZM-001", generate="ec-p256", now=now)
    new = issuance.issue_device(store, unlocked, "ZM-001", generate="ec-p256", renew=True, now=now)
    result = revocation.revoke(store, "ZM-001", "lost", now=now + timedelta(days=1))
    assert set(result.serials) == {old.serial, new.serial}
    crl = crl_of(revocation.generate_crl(store, unlocked, now=now + timedelta(days=1)))
    assert set(reasons(crl).values()) == {x509.ReasonFlags.key_compromise}


def test_revocation_deletes_a_held_key(store: Store, home: Path, unlocked: ca.UnlockedCa) -> None:
    issuance.issue_device(store, unlocked, "ZM-001", generate="ec-p256", hold_key=True)
    assert len(storestate.snapshot(home)["held_keys"]) == 1
    revocation.revoke(store, "ZM-001", "compromised")
    assert storestate.snapshot(home)["held_keys"] == []


def test_an_expired_device_has_nothing_to_revoke(store: Store, home: Path, unlocked: ca.UnlockedCa) -> None:
    long_ago = datetime.now(UTC) - timedelta(days=30)
    issuance.issue_device(store, unlocked, "ZM-001", generate="ec-p256", days=10, now=long_ago)
    before = storestate.snapshot(home)
    with pytest.raises(ConflictError, match="has expired"):
        revocation.revoke(store, "ZM-001", "lost")
    assert storestate.snapshot(home) == before

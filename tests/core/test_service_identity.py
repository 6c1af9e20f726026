"""The provisioning service's own certificate: kept sealed in the store and reused, re-issued when it no longer fits."""

from __future__ import annotations

import ipaddress
from datetime import UTC, datetime, timedelta

from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from zmconsole.core import ca, issuance
from zmconsole.core.service_identity import KIND, RENEW_BEFORE, service_identity
from zmconsole.core.store import Store

NOW = datetime(2026, 5, 4, 8, 0, tzinfo=UTC)
LOOPBACK = [ipaddress.ip_address("127.0.0.1")]


def _public(cert: x509.Certificate) -> bytes:
    return cert.public_key().public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo)


def test_the_first_start_issues_and_a_restart_reuses(store: Store, unlocked: ca.UnlockedCa) -> None:
    first = service_identity(store, unlocked, "prov.hospital.example", LOOPBACK, now=NOW)
    assert first.issued_now and first.chain == (unlocked.certificate,)
    san = first.certificate.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert san.get_values_for_type(x509.DNSName) == ["prov.hospital.example"]
    assert san.get_values_for_type(x509.IPAddress) == LOOPBACK
    again = service_identity(store, unlocked, "prov.hospital.example", LOOPBACK, now=NOW + timedelta(days=1))
    assert not again.issued_now and again.serial == first.serial
    assert _public(again.certificate) == first.key.public_key().public_bytes(Encoding.DER,
                                                                             PublicFormat.SubjectPublicKeyInfo)


def test_new_names_or_a_near_expiry_get_a_new_certificate(store: Store, unlocked: ca.UnlockedCa) -> None:
    first = service_identity(store, unlocked, "prov.hospital.example", LOOPBACK, now=NOW)
    other_ip = service_identity(store, unlocked, "prov.hospital.example", [ipaddress.ip_address("10.0.0.5")],
                                now=NOW)
    assert other_ip.issued_now and other_ip.serial != first.serial
    other_name = service_identity(store, unlocked, "pki.hospital.example", [], now=NOW)
    assert other_name.issued_now
    expires = first.certificate.not_valid_after_utc
    late = service_identity(store, unlocked, "pki.hospital.example", [], now=expires - RENEW_BEFORE)
    assert late.issued_now and late.serial != other_name.serial


def test_a_telemetry_server_certificate_is_never_taken(store: Store, unlocked: ca.UnlockedCa) -> None:
    """The service's kind is its own, so a server certificate for the same name is neither reused nor replaced."""
    server = issuance.issue_server(store, unlocked, "prov.hospital.example", generate="ec-p256", hold_key=True,
                                   now=NOW)
    identity = service_identity(store, unlocked, "prov.hospital.example", [], now=NOW)
    assert identity.issued_now and identity.serial != server.serial and KIND != "server"

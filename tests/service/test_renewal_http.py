"""Renewal over mutual TLS against a running ``zmconsole serve`` (protocol §7.7): a device presents its
current certificate with Python ``ssl``, gets a new one, and confirms with the new one.

Successes are checked by referees (``openssl verify``, ``openssl ocsp``, the CRL the service hands out);
every refusal by its documented status and code, and by nothing issued (the device's certificates are
unchanged).
"""

from __future__ import annotations

import ipaddress
import json
import threading
from collections.abc import Iterator
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography import x509

from tests.conftest import PASSPHRASE, build_csr
from tests.support import cli, referees, storestate
from tests.support.renewal import (
    Identity,
    confirm,
    identity,
    issued_certificate,
    new_key_request,
    no_handshake,
    reenroll,
    renewed,
    save,
)
from tests.support.service import Answer, Pairing, RunningService, call, device_csr, enroll
from zmconsole.core import audit, ca
from zmconsole.core.store import Store


@pytest.fixture(scope="module")
def unlocked_service_ca(service: RunningService) -> Iterator[ca.UnlockedCa]:
    store = Store.open(service.home)
    try:
        yield ca.unlock(store, PASSPHRASE)
    finally:
        store.dispose()


@pytest.fixture
def paired(service_store: Store, unlocked_service_ca: ca.UnlockedCa, device_id: str, out: Path) -> Identity:
    return identity(service_store, unlocked_service_ca, device_id, out)


def lineage(service: RunningService, device_id: str) -> list[tuple[object, ...]]:
    with closing(storestate.connect(service.home)) as conn:
        return conn.execute("SELECT serial, made_by, revoked_at, revocation_reason, superseded_at FROM certificates "
                            "WHERE device_id = ? ORDER BY id", (device_id,)).fetchall()


def refused(answer: Answer, status: int, code: str) -> str:
    assert answer.status == status, (answer.status, answer.body)
    assert answer.code == code, answer.error
    message = str(answer.error["message"])
    assert message.strip()
    return message


def ocsp_status(service: RunningService, cert_file: Path) -> str:
    done = referees.openssl("ocsp", "-issuer", service.ca_file, "-cert", cert_file, "-CAfile", service.ca_file,
                            "-url", f"http://127.0.0.1:{service.http_port}/ocsp")
    assert done.returncode == 0 and "Response verify OK" in done.output, done.output
    return done.stdout


def actions(store: Store, device_id: str) -> list[str]:
    return [entry.action for entry in audit.entries(store, subject=device_id)]


# --- success, grace and confirmation ------------------------------------------------------------------------


def test_a_device_renews_over_mutual_tls_and_closes_the_grace_window(service: RunningService, service_store: Store,
                                                                     paired: Identity, out: Path) -> None:
    key, csr = new_key_request(paired.device_id)
    answer = reenroll(service, paired, csr)
    new = issued_certificate(answer)
    assert answer.headers["zm-replaces-serial"] == paired.serial
    grace_ends = datetime.strptime(answer.headers["zm-grace-ends"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    assert timedelta(days=6, hours=23) < grace_ends - datetime.now(UTC) <= timedelta(days=7)
    assert "zm-ignored-alt-names" not in answer.headers
    assert new.subject == paired.certificate.subject
    assert new.extensions.get_extension_for_class(x509.SubjectAlternativeName).value == \
        paired.certificate.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert new.public_key() == key.public_key() and new.serial_number != paired.certificate.serial_number
    fresh = save(out, paired.device_id, key, new)
    verified = referees.verify(service.ca_file, fresh.cert_file, purpose="sslclient")
    assert verified.returncode == 0, verified.output

    # During grace both are good, and the old one is on no CRL.
    assert ": good" in ocsp_status(service, paired.cert_file)
    assert ": good" in ocsp_status(service, fresh.cert_file)
    crl = x509.load_der_x509_crl(call(service, "GET", "/crl", https=False).body)
    assert crl.get_revoked_certificate_by_serial_number(paired.certificate.serial_number) is None
    assert [row[1] for row in lineage(service, paired.device_id)] == ["paired", "renewed-by-device"]

    done = confirm(service, fresh)
    assert done.status == 200, done.body
    body = json.loads(done.body)
    assert body["superseded_serial"] == paired.serial and body["serial"] == fresh.serial

    old_status = ocsp_status(service, paired.cert_file)
    assert ": revoked" in old_status and "Reason: superseded" in old_status, old_status
    assert ": good" in ocsp_status(service, fresh.cert_file)
    crl = x509.load_der_x509_crl(call(service, "GET", "/crl", https=False).body)
    entry = crl.get_revoked_certificate_by_serial_number(paired.certificate.serial_number)
    assert entry is not None
    assert entry.extensions.get_extension_for_class(x509.CRLReason).value.reason == x509.ReasonFlags.superseded
    assert {"cert.renewed", "renewal.confirmed"} <= set(actions(service_store, paired.device_id))

    # A confirm repeated changes nothing; one with the old certificate is refused (it is revoked now).
    assert confirm(service, fresh).status == 200
    refused(confirm(service, paired), 403, "cert_revoked")


def test_a_confirm_with_the_old_certificate_is_refused_during_grace(service: RunningService, paired: Identity,
                                                                     out: Path) -> None:
    fresh = renewed(service, paired, out)
    message = refused(confirm(service, paired), 409, "confirm_with_new")
    assert "new certificate" in message
    assert ": good" in ocsp_status(service, paired.cert_file)  # nothing was revoked
    assert confirm(service, fresh).status == 200


def test_a_requested_san_is_ignored_and_the_answer_says_so(service: RunningService, paired: Identity) -> None:
    san = x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("10.20.30.40")),
                                       x509.DNSName("monitor.local")])
    csr = build_csr(paired.device_id, country=None, org=None, ou=None, der=True, extensions=[(san, False)])
    answer = reenroll(service, paired, csr)
    new = issued_certificate(answer)
    assert answer.headers["zm-ignored-alt-names"] == "IP:10.20.30.40, DNS:monitor.local"
    names = new.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert [str(n.value) for n in names] == [f"{paired.device_id.lower()}.devices.hospital.example"]


def test_pairing_too_ignores_a_requested_san_and_says_so(service: RunningService, device_id: str) -> None:
    paired = Pairing.of(service.pair(device_id))
    san = x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("10.20.30.40"))])
    answer = enroll(service, paired, build_csr(device_id, country=None, org=None, ou=None, der=True,
                                               extensions=[(san, False)]))
    new = issued_certificate(answer)
    assert answer.headers["zm-ignored-alt-names"] == "IP:10.20.30.40"
    names = new.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert [str(n.value) for n in names] == [f"{device_id.lower()}.devices.hospital.example"]
    assert [row[1] for row in lineage(service, device_id)] == ["paired"]


# --- refusals: nothing issued -------------------------------------------------------------------------------


def test_no_client_certificate_is_told_to_present_one(service: RunningService, paired: Identity) -> None:
    before = lineage(service, paired.device_id)
    answer = reenroll(service, None, device_csr(paired.device_id))
    refused(answer, 401, "client_certificate_required")
    assert answer.headers["www-authenticate"] == "ZMP1-TLS"
    assert lineage(service, paired.device_id) == before


def test_a_revoked_certificate_cannot_renew(service: RunningService, service_store: Store, paired: Identity) -> None:
    cli.ok(service.home, "device", "revoke", paired.device_id, "--reason", "lost")
    before = lineage(service, paired.device_id)
    message = refused(reenroll(service, paired, new_key_request(paired.device_id)[1]), 403, "cert_revoked")
    assert "Reprovision device" in message
    assert lineage(service, paired.device_id) == before
    assert "renewal.refused" in actions(service_store, paired.device_id)


def test_a_superseded_certificate_that_is_not_the_head_cannot_fork_the_device(service: RunningService,
                                                                              paired: Identity, out: Path) -> None:
    second = renewed(service, paired, out)
    renewed(service, second, out)
    before = lineage(service, paired.device_id)
    refused(reenroll(service, paired, new_key_request(paired.device_id)[1]), 403, "not_current")
    # The one just replaced, its successor not yet confirmed: a renewal that lost its answer, not a fork.
    refused(reenroll(service, second, new_key_request(paired.device_id)[1]), 409, "renewal_conflict")
    assert lineage(service, paired.device_id) == before


def test_a_certificate_from_another_ca_gets_no_handshake(service: RunningService, paired: Identity, tmp_path: Path,
                                                         out: Path, other_store: Store) -> None:
    subject = ca.build_subject(cn="Z-Monitor-CA", org="Hospital", ou="IT", country="US")
    other = ca.create(other_store, subject=subject, passphrase=PASSPHRASE, key_type="ec-p384")
    stranger = identity(other_store, other, paired.device_id, tmp_path)
    before = lineage(service, paired.device_id)
    assert no_handshake(service, stranger, new_key_request(paired.device_id)[1])
    assert lineage(service, paired.device_id) == before


def test_a_csr_for_another_device_is_refused(service: RunningService, paired: Identity) -> None:
    before = lineage(service, paired.device_id)
    message = refused(reenroll(service, paired, device_csr("ZM-999999")), 403, "device_mismatch")
    assert paired.device_id in message and "ZM-999999" in message
    assert lineage(service, paired.device_id) == before


def test_the_same_key_is_refused_by_default(service: RunningService, paired: Identity) -> None:
    before = lineage(service, paired.device_id)
    refused(reenroll(service, paired, device_csr(paired.device_id, paired.key)), 403, "key_reused")
    assert lineage(service, paired.device_id) == before


def test_an_expired_certificate_renews_only_within_the_allowance(service: RunningService, service_store: Store,
                                                                 unlocked_service_ca: ca.UnlockedCa, device_id: str,
                                                                 out: Path) -> None:
    """The device was switched off: its certificate expired three days ago (issued at an injected time)."""
    issued_at = datetime.now(UTC) - timedelta(days=33)
    old = identity(service_store, unlocked_service_ca, device_id, out, now=issued_at, days=30)
    before = lineage(service, device_id)
    message = refused(reenroll(service, old, new_key_request(device_id)[1]), 403, "cert_expired")
    assert "Reprovision device" in message and "renew-after-expiry-days is 0" in message
    assert lineage(service, device_id) == before
    cli.ok(service.home, "config", "set", "renew-after-expiry-days", "5")
    try:
        fresh = issued_certificate(reenroll(service, old, new_key_request(device_id)[1]))
    finally:
        cli.ok(service.home, "config", "set", "renew-after-expiry-days", "0")
    assert fresh.not_valid_after_utc > datetime.now(UTC) + timedelta(days=300)
    assert [row[1] for row in lineage(service, device_id)] == ["paired", "renewed-by-device"]
    renewals = [e for e in audit.entries(service_store, subject=device_id) if e.action == "cert.renewed"]
    assert renewals and renewals[-1].details["made_by"] == "renewed-by-device"


def _at_once(service: RunningService, who: Identity, csrs: list[bytes]) -> list[Answer]:
    answers: list[Answer | None] = [None] * len(csrs)
    start = threading.Barrier(len(csrs))

    def send(index: int) -> None:
        start.wait()
        answers[index] = reenroll(service, who, csrs[index])

    threads = [threading.Thread(target=send, args=(i,)) for i in range(len(csrs))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert all(answer is not None for answer in answers)
    return [answer for answer in answers if answer is not None]


def test_two_renewals_at_once_with_the_same_csr_get_one_certificate(service: RunningService,
                                                                    paired: Identity) -> None:
    csr = new_key_request(paired.device_id)[1]
    first, second = _at_once(service, paired, [csr, csr])
    assert issued_certificate(first).serial_number == issued_certificate(second).serial_number
    assert len(lineage(service, paired.device_id)) == 2


def test_two_renewals_at_once_with_different_csrs_make_one_and_a_conflict(service: RunningService,
                                                                         paired: Identity) -> None:
    answers = _at_once(service, paired, [new_key_request(paired.device_id)[1] for _ in range(2)])
    assert sorted(a.status for a in answers) == [200, 409]
    refused(next(a for a in answers if a.status == 409), 409, "renewal_conflict")
    assert len(lineage(service, paired.device_id)) == 2

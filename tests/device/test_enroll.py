"""Enrollment against a fake provisioning service: the device's own checks, each with its negative control.

Crypto results are refereed by the openssl command line: the installed certificate verifies against the
installed CA for TLS client use, and the installed key opens only with the keystore secret.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID

from tests.device.conftest import CODE, SECRET, now
from tests.device.pki import Pki
from tests.device.servers import PEM, FakeService
from tests.support import referees
from zmconsole.core.pairing import protocol as zmp
from zmconsole.device import enroll, keystore
from zmconsole.device.troubleshooting import DeviceError, Issue


def _enroll(service: FakeService, directory: Path, qr_text: str, *, code: str = CODE,
            device_id: str | None = "ZM-001") -> enroll.Enrolled:
    return enroll.enroll(qr_text=qr_text, code=code, directory=directory, secret=SECRET, now=now(),
                         device_id=device_id)


def _secret_file(tmp_path: Path) -> Path:
    path = tmp_path / "secret.txt"
    path.write_bytes(SECRET)
    return path


def _openssl_agrees(directory: Path, tmp_path: Path) -> None:
    verified = referees.verify(directory / keystore.CHAIN_FILE, directory / keystore.CERT_FILE, purpose="sslclient")
    assert verified.returncode == 0, verified.output
    opened = referees.openssl("pkey", "-in", directory / keystore.KEY_FILE, "-passin",
                              f"file:{_secret_file(tmp_path)}", "-pubout")
    assert opened.returncode == 0, opened.output
    cert_key = referees.openssl("x509", "-in", directory / keystore.CERT_FILE, "-noout", "-pubkey")
    assert cert_key.stdout == opened.stdout, "the installed key is not the certificate's key"
    assert referees.open_key(directory / keystore.KEY_FILE, None).returncode != 0


def test_device_key_mode_pins_proves_and_installs(service: FakeService, keystore_dir: Path, tmp_path: Path) -> None:
    done = _enroll(service, keystore_dir, service.pair("ZM-001"))

    assert done.key_mode is zmp.KeyMode.DEVICE_KEY and done.key_type == "ec-p256"
    _openssl_agrees(keystore_dir, tmp_path)
    assert service.paths() == ["GET /.well-known/est/cacerts", "GET /zmp/v1/signers/"
                               + zmp.signer_key_id(service.signer_key.public_key()).hex(),
                               "POST /.well-known/est/simpleenroll"]
    bootstrap = service.requests[0]
    assert not any(name.lower().startswith("zm-") for name in bootstrap.headers), "secrets sent before pinning"
    enrolment = service.requests[2].headers
    assert enrolment["ZM-Device-Id"] == "ZM-001" and len(enrolment["ZM-Code-Proof"]) == 64
    assert CODE not in str(service.requests), "the pairing code itself went over the network"
    assert done.crl.fetched and (keystore_dir / keystore.CRL_FILE).exists()
    assert done.identity.provisioning_url == service.url
    assert done.identity.renewal_url == service.url + ".well-known/est/simplereenroll"


def test_console_key_mode_opens_the_sealed_key(service: FakeService, keystore_dir: Path, tmp_path: Path) -> None:
    qr_text = service.pair("ZM-002", zmp.KeyMode.CONSOLE_KEY)

    done = _enroll(service, keystore_dir, qr_text, code="4072-1937", device_id="ZM-002")

    assert done.key_mode is zmp.KeyMode.CONSOLE_KEY
    assert service.paths()[-1] == "POST /zmp/v1/bundle"
    pairing = next(iter(service.pairings.values()))
    assert done.identity.certificate == pairing.certificate
    _openssl_agrees(keystore_dir, tmp_path)


def _nothing_installed(directory: Path) -> None:
    assert not directory.exists() and not directory.with_name(directory.name + ".new").exists()


def test_wrong_code_is_the_services_refusal(service: FakeService, keystore_dir: Path) -> None:
    with pytest.raises(enroll.ServiceRefusal, match="wrong: 4 attempts left") as refused:
        _enroll(service, keystore_dir, service.pair("ZM-001"), code="12345678")
    assert refused.value.code == "wrong_code" and refused.value.status == 401
    _nothing_installed(keystore_dir)


def test_a_qr_for_another_device_is_refused_before_any_traffic(service: FakeService, keystore_dir: Path) -> None:
    with pytest.raises(DeviceError, match="is for ZM-001, but this device is ZM-009"):
        _enroll(service, keystore_dir, service.pair("ZM-001"), device_id="ZM-009")
    assert service.requests == []
    _nothing_installed(keystore_dir)


@pytest.mark.parametrize("code", ["1234567", "1234 56789", "abcdefgh", ""])
def test_a_malformed_code_is_refused_before_any_traffic(service: FakeService, keystore_dir: Path, code: str) -> None:
    with pytest.raises(zmp.PayloadError, match="8 digits"):
        _enroll(service, keystore_dir, service.pair("ZM-001"), code=code)
    assert service.requests == []


def test_a_server_not_chaining_to_the_pinned_ca_gets_nothing_secret(pki: Pki, tmp_path: Path,
                                                                     keystore_dir: Path) -> None:
    """A rogue server may hand out the real CA certificate (it is public); its own TLS certificate is from
    another CA, so the verified connection fails before the token or proof is sent (§5.2 step 3)."""
    rogue = FakeService(pki, tmp_path, tls_pki=Pki("Rogue CA"))
    with rogue.running():
        with pytest.raises(DeviceError, match="does not chain to this device's platform CA") as refused:
            _enroll(rogue, keystore_dir, rogue.pair("ZM-001"))
    assert refused.value.issue is Issue.WRONG_CA and "Install correct CA bundle" in str(refused.value)
    assert rogue.paths() == ["GET /.well-known/est/cacerts"]
    assert not any(name.lower().startswith("zm-") for r in rogue.requests for name in r.headers)
    _nothing_installed(keystore_dir)


def test_a_ca_list_without_the_pinned_fingerprint_is_refused(pki: Pki, tmp_path: Path, keystore_dir: Path) -> None:
    with FakeService(pki, tmp_path, cacerts=[Pki("Other CA").certificate]).running() as other:
        with pytest.raises(DeviceError, match=r"not your hospital's provisioning server \(CA fingerprint mismatch"):
            _enroll(other, keystore_dir, other.pair("ZM-001"))
        assert other.paths() == ["GET /.well-known/est/cacerts"]


def test_a_signer_without_the_pairing_eku_is_refused(service: FakeService, pki: Pki, keystore_dir: Path) -> None:
    service.signer_chain = pki.signer(service.signer_key, eku=ExtendedKeyUsageOID.CLIENT_AUTH).public_bytes(
        PEM) + pki.pem
    with pytest.raises(DeviceError, match="not authorised to sign pairing codes"):
        _enroll(service, keystore_dir, service.pair("ZM-001"))
    assert not any(p.startswith("POST") for p in service.paths())


def test_a_signer_from_another_ca_is_refused(service: FakeService, keystore_dir: Path) -> None:
    other = Pki("Other CA")
    service.signer_chain = other.signer(service.signer_key).public_bytes(PEM) \
        + other.pem
    with pytest.raises(DeviceError, match=r"pairing signer certificate .* does not chain to the platform CA"):
        _enroll(service, keystore_dir, service.pair("ZM-001"))
    assert not any(p.startswith("POST") for p in service.paths())


def test_a_qr_signed_by_an_unknown_key_is_refused(service: FakeService, pki: Pki, keystore_dir: Path) -> None:
    forged = zmp.build_payload(device_id="ZM-001", provisioning_url=service.url, token=zmp.new_token(),
                               expires_at=now() + timedelta(minutes=5),
                               ca_fingerprint=zmp.certificate_fingerprint(pki.certificate),
                               key_mode=zmp.KeyMode.DEVICE_KEY, signer_key=ec.generate_private_key(ec.SECP256R1()))
    with pytest.raises(enroll.ServiceRefusal, match="not_found"):
        _enroll(service, keystore_dir, forged)
    assert not any(p.startswith("POST") for p in service.paths())


def test_an_expired_qr_is_refused_before_the_code_is_used(service: FakeService, keystore_dir: Path) -> None:
    with pytest.raises(zmp.PayloadError, match="expired at"):
        _enroll(service, keystore_dir, service.pair("ZM-001", ttl=timedelta(seconds=-1)))
    assert not any(p.startswith("POST") for p in service.paths())


def test_a_tampered_bundle_is_refused(service: FakeService, keystore_dir: Path) -> None:
    service.tamper_bundle = True
    with pytest.raises(zmp.PayloadError, match="bundle's signature does not verify"):
        _enroll(service, keystore_dir, service.pair("ZM-001", zmp.KeyMode.CONSOLE_KEY))
    _nothing_installed(keystore_dir)


def test_a_certificate_for_another_key_is_refused(service: FakeService, keystore_dir: Path) -> None:
    service.foreign_certificate = True
    with pytest.raises(DeviceError, match="sent no certificate for this device's key"):
        _enroll(service, keystore_dir, service.pair("ZM-001"))
    _nothing_installed(keystore_dir)


def test_a_paired_device_refuses_a_qr_pinning_another_ca(enrolled: keystore.Identity, tmp_path: Path) -> None:
    with FakeService(Pki("Other hospital CA"), tmp_path).running() as other:
        with pytest.raises(DeviceError, match=r"already trusts the platform CA .* does not switch"):
            _enroll(other, enrolled.directory, other.pair("ZM-001"))
        assert other.requests == []
    assert keystore.load(enrolled.directory) == enrolled


def test_pairing_again_with_the_same_ca_keeps_the_previous_identity(enrolled: keystore.Identity,
                                                                     service: FakeService) -> None:
    again = _enroll(service, enrolled.directory, service.pair("ZM-001"))
    previous = enrolled.directory.with_name(enrolled.directory.name + ".previous")
    assert again.identity.certificate != enrolled.certificate
    assert keystore.load(previous).certificate == enrolled.certificate

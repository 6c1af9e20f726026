"""Rolling the issuing CA over (issue 12), through the core: the new one issues, the old one keeps signing the
CRL and OCSP answers of its certificates until they have expired, and its held keys still export.

Checked from outside our code where it matters: ``cryptography`` verifies each signature against the CA that
must have made it, and ``openssl pkcs12`` reads the exported chain.
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509 import ocsp as x509_ocsp

from tests.conftest import PASSPHRASE
from tests.support import storestate
from zmconsole.core import ca, crl_policy, exports, hierarchy, inventory, issuance, ocsp, settings, utc
from zmconsole.core.errors import ConflictError, InputError, WrongPassphraseError
from zmconsole.core.pairing.signer import ensure_signer
from zmconsole.core.store import Store


@dataclass
class Roll:
    root_store: Store
    root: ca.UnlockedCa
    store: Store  # the issuing store
    home: Path


def _subject(cn: str) -> x509.Name:
    return ca.build_subject(cn=cn, org="Hospital", country="US")


def _install(roll: Roll, cn: str) -> ca.UnlockedCa:
    request = hierarchy.request_issuing(roll.store, subject=_subject(cn), passphrase=PASSPHRASE, key_type="ec-p384")
    signed = hierarchy.sign_issuing(roll.root_store, roll.root, request.pem)
    return hierarchy.install_issuing(roll.store, cert_data=signed.pem, root_data=roll.root.info.pem,
                                     passphrase=PASSPHRASE)


@pytest.fixture
def roll(new_store: Callable[[str], Store], store: Store, home: Path) -> Roll:
    root_store = new_store("root")
    root = ca.create(root_store, subject=_subject("ZM Root CA"), passphrase=PASSPHRASE, key_type="ec-p384",
                     role=ca.ROOT)
    return Roll(root_store, root, store, home)


def _key(cert: x509.Certificate) -> ec.EllipticCurvePublicKey:
    public = cert.public_key()
    assert isinstance(public, ec.EllipticCurvePublicKey)
    return public


def _held_device(store: Store, unlocked: ca.UnlockedCa, device_id: str) -> issuance.Issued:
    return issuance.issue_device(store, unlocked, device_id, generate="ec-p256", hold_key=True)


def test_after_a_roll_over_the_new_ca_issues_and_the_old_one_signs_for_its_own(roll: Roll, tmp_path: Path) -> None:
    first = _install(roll, "ZM Issuing CA 1")
    old_device = _held_device(roll.store, first, "ZM-001")
    settings.set_value(roll.store, "crl-publish-dir", str(tmp_path / "published"))
    second = _install(roll, "ZM Issuing CA 2")
    assert [o.info.subject for o in second.older] == [first.info.subject]

    unlocked = ca.unlock(roll.store, PASSPHRASE)  # one passphrase opens both issuing CAs
    assert unlocked.info.subject == "CN=ZM Issuing CA 2,O=Hospital,C=US"
    assert [o.info.id for o in unlocked.older] == [first.info.id]
    new_device = issuance.issue_device(roll.store, unlocked, "ZM-002", generate="ec-p256")
    assert new_device.certificate.issuer == second.certificate.subject
    assert new_device.chain == (second.certificate, roll.root.certificate)

    # the CRL: one per issuing CA, each signed by its own CA, the old one published beside crl.pem
    signed = crl_policy.sign_and_publish(roll.store, unlocked)
    assert x509.load_der_x509_crl(signed.crl.der).is_signature_valid(_key(second.certificate))
    assert len(signed.older) == 1
    old_crl = x509.load_der_x509_crl(signed.older[0].crl.der)
    assert old_crl.issuer == first.certificate.subject and old_crl.is_signature_valid(_key(first.certificate))
    names = sorted(p.name for p in (tmp_path / "published").iterdir())
    assert names == sorted(f"{name}.{suffix}" for name in ("crl", first.info.crl_name, second.info.crl_name)
                           for suffix in ("pem", "der"))

    # OCSP: each certificate is answered by the CA that issued it
    for device, issuer in ((old_device, first), (new_device, second)):
        request = (x509_ocsp.OCSPRequestBuilder()
                   .add_certificate(device.certificate, issuer.certificate, hashes.SHA256()).build())
        answer = x509_ocsp.load_der_ocsp_response(ocsp.respond(roll.store, unlocked, request.public_bytes(
            serialization.Encoding.DER)))
        assert answer.certificate_status is x509_ocsp.OCSPCertStatus.GOOD
        assert answer.signature_hash_algorithm is not None
        _key(issuer.certificate).verify(answer.signature, answer.tbs_response_bytes,
                                        ec.ECDSA(answer.signature_hash_algorithm))

    # a key the old CA sealed still exports, with the old CA's chain
    record = inventory.certificate(roll.store, settings.load(roll.store), old_device.serial)
    data = exports.export_pkcs12(roll.store, unlocked, record, password="delivery password 1")
    out = tmp_path / "old.p12"
    out.write_bytes(data)
    listed = subprocess.run(["openssl", "pkcs12", "-in", out, "-nokeys", "-passin", "pass:delivery password 1"],
                            capture_output=True, text=True, check=False)
    assert listed.returncode == 0, listed.stderr
    assert listed.stdout.count("BEGIN CERTIFICATE") == 3 and "ZM Issuing CA 1" in listed.stdout


def test_the_old_cas_crl_stops_once_its_last_certificate_has_expired(roll: Roll) -> None:
    first = _install(roll, "ZM Issuing CA 1")
    issued = issuance.issue_device(roll.store, first, "ZM-001", generate="ec-p256", days=30)
    _install(roll, "ZM Issuing CA 2")
    unlocked = ca.unlock(roll.store, PASSPHRASE)
    assert len(crl_policy.sign_and_publish(roll.store, unlocked).older) == 1
    after = issued.certificate.not_valid_after_utc + timedelta(hours=1)
    assert crl_policy.sign_and_publish(roll.store, unlocked, now=after).older == ()
    assert utc.now() < after


def test_a_roll_over_needs_the_stores_passphrase_and_the_same_root(roll: Roll,
                                                                   new_store: Callable[[str], Store]) -> None:
    _install(roll, "ZM Issuing CA 1")
    before = storestate.snapshot(roll.home)
    with pytest.raises(WrongPassphraseError, match="does not open the active CA of this store"):
        hierarchy.request_issuing(roll.store, subject=_subject("ZM Issuing CA 2"), passphrase="another long passphrase",
                                  key_type="ec-p384")
    assert storestate.snapshot(roll.home) == before

    other_store = new_store("other-root")
    other = ca.create(other_store, subject=_subject("Another Root"), passphrase=PASSPHRASE, key_type="ec-p384",
                      role=ca.ROOT)
    request = hierarchy.request_issuing(roll.store, subject=_subject("ZM Issuing CA 2"), passphrase=PASSPHRASE,
                                        key_type="ec-p384")
    signed = hierarchy.sign_issuing(other_store, other, request.pem)
    before = storestate.snapshot(roll.home)
    with pytest.raises(InputError, match="chains to another root"):
        hierarchy.install_issuing(roll.store, cert_data=signed.pem, root_data=other.info.pem, passphrase=PASSPHRASE)
    assert storestate.snapshot(roll.home) == before


def test_a_root_store_makes_no_pairing_signer(roll: Roll) -> None:
    before = storestate.snapshot(roll.root_store.home)  # type: ignore[arg-type]
    with pytest.raises(ConflictError, match="signs only issuing CAs"):
        ensure_signer(roll.root_store, roll.root)
    assert storestate.snapshot(roll.root_store.home) == before  # type: ignore[arg-type]


def test_an_issuing_cas_certificates_name_its_own_crl(roll: Roll) -> None:
    first = _install(roll, "ZM Issuing CA 1")
    name = first.info.crl_name
    assert name == f"crl-{first.certificate.serial_number:0{len(name) - 4}X}"
    assert first.info.crl_url("http://pki.hospital.example/crl") == f"http://pki.hospital.example/{name}"
    assert first.info.crl_url("http://pki.hospital.example/zm/crl.der?x=1") == \
        f"http://pki.hospital.example/zm/{name}.der?x=1"
    assert roll.root.info.crl_url("http://pki.hospital.example/crl") == "http://pki.hospital.example/crl"
    settings.set_value(roll.store, "crl-url", "http://pki.hospital.example/crl")
    device = issuance.issue_device(roll.store, first, "ZM-001", generate="ec-p256")
    points = device.certificate.extensions.get_extension_for_class(x509.CRLDistributionPoints).value
    assert [n.value for p in points for n in p.full_name or []] == [f"http://pki.hospital.example/{name}"]

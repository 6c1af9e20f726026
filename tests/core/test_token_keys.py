"""A CA whose key was generated in a PKCS#11 token (SoftHSM2): it signs certificates, CRLs and OCSP answers
that cryptography and the OpenSSL command line verify; it derives the sealing and checkpoint secrets in the
token; its refusals are clear and change nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.x509 import ocsp as x509_ocsp

from tests.conftest import PASSPHRASE
from tests.support import referees, storestate
from tests.support.softhsm import LABEL, PIN, SoftHsm
from zmconsole.core import (
    audit,
    ca,
    ca_secrets,
    checkpoints,
    issuance,
    keys,
    ocsp,
    revocation,
    sealing,
    token_keys,
)
from zmconsole.core.errors import NotFoundError, TokenError, WrongPassphraseError
from zmconsole.core.store import Store


def _spec(hsm: SoftHsm, pin: str = PIN) -> token_keys.TokenSpec:
    return token_keys.TokenSpec(hsm.module, LABEL, pin)


@pytest.fixture
def token_ca(store: Store, ca_subject: x509.Name, softhsm: SoftHsm) -> ca.UnlockedCa:
    return ca.create(store, subject=ca_subject, key_type="ec-p384", token=_spec(softhsm))


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def test_the_key_is_made_in_the_token_and_only_a_reference_is_stored(token_ca, store, home, softhsm) -> None:
    assert isinstance(token_ca.key, token_keys.TokenEcKey)
    ref = token_ca.info.token
    assert ref is not None and (ref.module, ref.token) == (softhsm.module, LABEL)
    listed = softhsm.objects()
    assert f"ID:         {ref.key_id}" in listed
    private = listed.split("Private Key Object")[1].split("Object;")[0]
    assert "sensitive" in private and "never extractable" in private
    secret = listed.split("Secret Key Object")[1].split("Object;")[0]
    assert "sensitive" in secret and "never extractable" in secret
    assert (home / ca.CA_KEY_FILE).read_bytes() == ref.encode()
    assert all(PIN.encode() not in value for _, _, value in storestate.cells(home))
    with pytest.raises(Exception, match="cannot leave it"):
        keys.plain_pkcs8(token_ca.key)
    cert = token_ca.certificate
    cert.verify_directly_issued_by(cert)  # self-signed in the token
    assert keys.spki(cert.public_key()) == keys.spki(token_ca.key)


def test_certificate_crl_and_ocsp_signed_in_the_token_verify(token_ca, store, tmp_path, make_csr) -> None:
    issued = issuance.issue_device(store, token_ca, "ZM-001", csr=make_csr("ZM-001"))
    issued.certificate.verify_directly_issued_by(token_ca.certificate)
    ca_file = _write(tmp_path / "ca.pem", token_ca.info.pem)
    leaf = _write(tmp_path / "leaf.pem", issued.pem)
    assert referees.verify(ca_file, leaf, purpose="sslclient").returncode == 0
    revocation.revoke(store, "ZM-001", "lost")
    crl = revocation.generate_crl(store, token_ca)
    loaded = x509.load_der_x509_crl(crl.der)
    assert loaded.is_signature_valid(token_ca.certificate.public_key())
    crl_file = _write(tmp_path / "crl.der", crl.der)
    checked = referees.openssl("crl", "-in", crl_file, "-inform", "DER", "-CAfile", ca_file, "-noout")
    assert "verify OK" in checked.output, checked.output
    refused = referees.verify(ca_file, leaf, crl_file=_write(tmp_path / "crl.pem", loaded.public_bytes(
        serialization.Encoding.PEM)))
    assert refused.returncode != 0 and "revoked" in refused.output

    request = (x509_ocsp.OCSPRequestBuilder().add_certificate(issued.certificate, token_ca.certificate,
                                                              hashes.SHA1()).build())
    answer = ocsp.respond(store, token_ca, request.public_bytes(serialization.Encoding.DER))
    assert x509_ocsp.load_der_ocsp_response(answer).certificate_status == x509_ocsp.OCSPCertStatus.REVOKED
    said = referees.openssl("ocsp", "-respin", _write(tmp_path / "answer.der", answer), "-issuer", ca_file,
                            "-cert", leaf, "-CAfile", ca_file, "-resp_text")
    assert "Response verify OK" in said.output and "Cert Status: revoked" in said.output, said.output


def test_pkilint_finds_nothing_serious_in_token_signed_objects(token_ca, store, tmp_path, make_csr) -> None:
    issued = issuance.issue_device(store, token_ca, "ZM-002", csr=make_csr("ZM-002"))
    crl = revocation.generate_crl(store, token_ca)
    for path, lint in ((_write(tmp_path / "ca.pem", token_ca.info.pem), referees.lint_certificate),
                       (_write(tmp_path / "leaf.pem", issued.pem), referees.lint_certificate),
                       (_write(tmp_path / "crl.der", crl.der), referees.lint_crl)):
        assert referees.serious(lint(path)) == [], path.name


def test_unlock_takes_the_pin_and_refuses_a_wrong_one_changing_nothing(token_ca, store, home) -> None:
    ref = token_ca.info.token
    del token_ca  # the console locks: the token session closes with the last key
    before = storestate.snapshot(home)
    with pytest.raises(WrongPassphraseError, match=f"PIN is wrong for the PKCS#11 token '{LABEL}'"):
        ca.unlock(store, "000000")
    assert storestate.snapshot(home) == before
    assert audit.entries(store, action_prefix="ca.pin_wrong")[0].details == {"during": "unlock"}
    unlocked = ca.unlock(store, PIN)
    assert isinstance(unlocked.key, token_keys.TokenEcKey) and unlocked.key.ref == ref


def test_sealing_and_checkpoints_use_the_token_secret(token_ca, store, home) -> None:
    held = keys.generate("ec-p256")
    blob = sealing.seal(held, token_ca.key, label="4F00AA")
    seal_key = ca_secrets.secret_for(token_ca.key, ca_secrets.HELD_KEY_SEAL)
    assert len(seal_key) == 32 and seal_key != ca_secrets.secret_for(token_ca.key, ca_secrets.AUDIT_CHECKPOINT)
    del token_ca
    reopened = ca.unlock(store, PIN)
    assert keys.spki(sealing.unseal(blob, reopened.key, label="4F00AA")) == keys.spki(held)  # same CA, same seal
    other = keys.generate("ec-p384")
    with pytest.raises(Exception, match="does not open with this CA"):
        sealing.unseal(blob, other, label="4F00AA")
    with store.read() as conn:
        verified = checkpoints.read(conn)
    assert verified is not None and verified.problem is None  # the token CA certified its checkpoint key


def test_a_second_token_ca_cannot_open_the_first_ones_seal(token_ca, softhsm, ca_subject, other_store) -> None:
    blob = sealing.seal(keys.generate("ec-p256"), token_ca.key, label="4F00AA")
    second = ca.create(other_store, subject=ca_subject, key_type="ec-p384", token=_spec(softhsm))
    with pytest.raises(Exception, match="does not open with this CA"):
        sealing.unseal(blob, second.key, label="4F00AA")


def test_file_keys_keep_their_derivations() -> None:
    """Stores made before tokens existed: the same HKDF inputs as before, bit for bit."""
    key = keys.generate("ec-p384")
    value = key.private_numbers().private_value
    sealed = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"zmconsole held-key seal v1").derive(
        value.to_bytes((value.bit_length() + 7) // 8, "big"))
    seed = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"zmconsole audit checkpoint v1").derive(
        keys.plain_pkcs8(key))
    assert ca_secrets.secret_for(key, ca_secrets.HELD_KEY_SEAL) == sealed
    assert ca_secrets.secret_for(key, ca_secrets.AUDIT_CHECKPOINT) == seed


def test_a_deleted_key_is_refused_at_unlock(token_ca, store, home, softhsm) -> None:
    ref = token_ca.info.token
    assert ref is not None
    del token_ca
    softhsm.delete(ref.key_id)
    before = storestate.snapshot(home)
    with pytest.raises(NotFoundError, match=r"CA key \(id .*\) is no longer in the PKCS#11 token 'zm-ca'"):
        ca.unlock(store, PIN)
    assert storestate.snapshot(home) == before


def test_a_token_removed_while_unlocked_stops_signing_and_changes_nothing(token_ca, store, home, softhsm,
                                                                        make_csr, tmp_path) -> None:
    issuance.issue_device(store, token_ca, "ZM-001", csr=make_csr("ZM-001"))
    softhsm.remove_tokens()
    before = storestate.snapshot(home)
    with pytest.raises(TokenError, match=r"stopped answering .* it was removed"):
        issuance.issue_device(store, token_ca, "ZM-002", csr=make_csr("ZM-002"))
    with pytest.raises(TokenError):
        revocation.generate_crl(store, token_ca)
    assert storestate.snapshot(home) == before
    with pytest.raises(NotFoundError, match="no token labelled 'zm-ca'"):  # unlocking again: it is still gone
        ca.unlock(store, PIN)
    assert storestate.snapshot(home) == before


@pytest.mark.slow  # SoftHSM2 makes an RSA-4096 key
def test_an_rsa_token_ca_signs_with_pkcs1(store, ca_subject, softhsm, make_csr, tmp_path) -> None:
    unlocked = ca.create(store, subject=ca_subject, key_type="rsa4096", token=_spec(softhsm))
    assert isinstance(unlocked.key, rsa.RSAPrivateKey) and unlocked.key.key_size == 4096
    issued = issuance.issue_device(store, unlocked, "ZM-001", csr=make_csr("ZM-001"))
    ca_file = _write(tmp_path / "ca.pem", unlocked.info.pem)
    assert referees.verify(ca_file, _write(tmp_path / "leaf.pem", issued.pem)).returncode == 0
    crl = revocation.generate_crl(store, unlocked)
    assert x509.load_der_x509_crl(crl.der).is_signature_valid(unlocked.certificate.public_key())


def test_a_file_ca_is_untouched(unlocked, store) -> None:
    assert unlocked.info.token is None and not isinstance(unlocked.key, token_keys.TokenKey)
    del unlocked
    assert ca.unlock(store, PASSPHRASE).info.token is None

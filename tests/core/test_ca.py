"""The platform CA (issue 2 "Platform CA"): its profile, its key at rest, creating, importing and unlocking it."""

from __future__ import annotations

import re
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtensionOID, NameOID

from tests.conftest import PASSPHRASE
from tests.support import pki, referees, storestate
from zmconsole.cli import errors as cli_errors
from zmconsole.core import audit, ca, issuance, keyfiles, keys, paths
from zmconsole.core.errors import ConflictError, Hint, HintKind, InputError, NotFoundError, WrongPassphraseError
from zmconsole.core.store import Store


def assert_is_ca(cert: x509.Certificate) -> None:
    """Every extension of the CA profile with its criticality, and nothing else."""
    exts = {e.oid: e for e in cert.extensions}
    assert set(exts) == {ExtensionOID.BASIC_CONSTRAINTS, ExtensionOID.KEY_USAGE, ExtensionOID.SUBJECT_KEY_IDENTIFIER,
                         ExtensionOID.AUTHORITY_KEY_IDENTIFIER}
    bc = exts[ExtensionOID.BASIC_CONSTRAINTS]
    assert bc.critical and bc.value.ca is True
    ku = exts[ExtensionOID.KEY_USAGE]
    assert ku.critical
    assert ku.value.key_cert_sign and ku.value.crl_sign
    assert not any([ku.value.digital_signature, ku.value.content_commitment, ku.value.key_encipherment,
                    ku.value.data_encipherment, ku.value.key_agreement])
    ski = exts[ExtensionOID.SUBJECT_KEY_IDENTIFIER]
    assert not ski.critical
    assert ski.value == x509.SubjectKeyIdentifier.from_public_key(cert.public_key())
    aki = exts[ExtensionOID.AUTHORITY_KEY_IDENTIFIER]
    assert not aki.critical and aki.value.key_identifier == ski.value.digest
    assert cert.issuer == cert.subject
    cert.verify_directly_issued_by(cert)
    assert cert.version is x509.Version.v3
    assert cert.serial_number > 0 and cert.serial_number.bit_length() >= 64


def test_ec_p384_ca_profile(store: Store, home: Path, ca_subject: x509.Name) -> None:
    now = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
    unlocked = ca.create(store, subject=ca_subject, passphrase=PASSPHRASE, key_type="ec-p384", now=now)
    cert = unlocked.certificate
    assert_is_ca(cert)
    assert isinstance(cert.public_key(), ec.EllipticCurvePublicKey)
    assert cert.public_key().curve.name == "secp384r1"  # type: ignore[union-attr]
    # The seed's example subject, attribute by attribute.
    assert cert.subject.rfc4514_string() == "CN=Z-Monitor-CA,OU=IT,O=Hospital,ST=State,C=US"
    # Ten years, with notBefore backdated a few minutes against clock skew.
    assert cert.not_valid_after_utc == now + timedelta(days=3650)
    assert timedelta(minutes=1) <= now - cert.not_valid_before_utc <= timedelta(minutes=15)
    assert unlocked.info.key_type == "ec-p384"
    assert audit.entries(store, action_prefix="ca.")[0].action == "ca.created"


def test_rsa4096_ca_profile(rsa_unlocked: ca.UnlockedCa) -> None:
    cert = rsa_unlocked.certificate
    assert_is_ca(cert)
    assert isinstance(cert.public_key(), rsa.RSAPublicKey)
    assert cert.public_key().key_size == 4096  # type: ignore[union-attr]
    assert rsa_unlocked.info.key_type == "rsa4096"
    assert cert.not_valid_after_utc - cert.not_valid_before_utc >= timedelta(days=3650)


def test_default_key_type_is_rsa4096() -> None:
    import inspect

    assert inspect.signature(ca.create).parameters["key_type"].default == "rsa4096"


def test_stored_key_is_pbes2_aes256_with_600k_iterations(unlocked: ca.UnlockedCa, home: Path) -> None:
    key_file = home / ca.CA_KEY_FILE
    pem = key_file.read_bytes()
    assert pem.startswith(b"-----BEGIN ENCRYPTED PRIVATE KEY-----")
    parsed = referees.openssl("asn1parse", "-in", key_file)
    assert parsed.returncode == 0, parsed.output
    for word in ("PBES2", "PBKDF2", "hmacWithSHA256", "aes-256-cbc"):
        assert word in parsed.stdout, parsed.stdout
    integers = re.findall(r"prim: INTEGER\s+:([0-9A-F]+)", parsed.stdout)
    assert [int(i, 16) for i in integers] == [600_000, 32], parsed.stdout  # iterations, AES-256 key length
    # The copy in the store is the same kind of encrypted PEM.
    stored = [v for t, c, v in storestate.cells(home) if (t, c) == ("cas", "key_pem")]
    assert stored == [pem]


def test_openssl_opens_the_stored_ca_key_only_with_the_passphrase(unlocked: ca.UnlockedCa, home: Path,
                                                                  passphrase_file: Path, tmp_path: Path) -> None:
    key_file = home / ca.CA_KEY_FILE
    opened = referees.open_key(key_file, passphrase_file)
    assert opened.returncode == 0, opened.output
    pub = referees.openssl("pkey", "-in", key_file, "-passin", f"file:{passphrase_file}", "-pubout")
    assert pub.stdout.encode() == unlocked.certificate.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)

    without = referees.open_key(key_file, None)
    assert without.returncode != 0
    wrong = referees.open_key(key_file, pki.write_text(tmp_path / "wrong.txt", "not the passphrase\n"))
    assert wrong.returncode != 0
    assert "PRIVATE KEY" not in without.stdout + wrong.stdout


def test_data_directory_and_key_file_modes(unlocked: ca.UnlockedCa, home: Path) -> None:
    assert stat.S_IMODE(home.stat().st_mode) == 0o700
    assert stat.S_IMODE((home / "private").stat().st_mode) == 0o700
    assert stat.S_IMODE((home / ca.CA_KEY_FILE).stat().st_mode) == 0o600

    # the database file's own mode: tests/core/test_store.py (SQLite only; PostgreSQL keeps it in its cluster)


def test_ensure_home_creates_0700_even_with_a_loose_umask(tmp_path: Path) -> None:
    import os

    old = os.umask(0)
    try:
        home = paths.ensure_home(tmp_path / "a" / "b")
    finally:
        os.umask(old)
    assert stat.S_IMODE(home.stat().st_mode) == 0o700


def test_unlock_with_the_right_passphrase_signs(unlocked: ca.UnlockedCa, store: Store) -> None:
    again = ca.unlock(store, PASSPHRASE)
    assert keys.spki(again.key) == keys.spki(unlocked.key)


def test_wrong_passphrase_is_refused_audited_and_changes_nothing_else(unlocked: ca.UnlockedCa, store: Store,
                                                                      home: Path) -> None:
    before = storestate.snapshot(home)
    actions = storestate.audit_actions(home)
    with pytest.raises(WrongPassphraseError, match="passphrase does not open"):
        ca.unlock(store, "correct horse battery stapler")
    assert storestate.snapshot(home) == before
    assert storestate.audit_actions(home) == [*actions, "ca.passphrase_wrong"]
    assert audit.verify(store).ok
    # The wrong passphrase itself is nowhere in the store.
    assert not any(b"stapler" in value for _, _, value in storestate.cells(home))


def test_no_ca_yet_is_a_clear_error(store: Store) -> None:
    assert ca.current(store) is None
    with pytest.raises(NotFoundError, match="no platform CA yet") as raised:
        ca.unlock(store, PASSPHRASE)
    assert raised.value.hint == Hint(HintKind.CREATE_CA)
    assert "`zmconsole ca init`" in cli_errors.text(raised.value)


def test_a_second_ca_is_refused(unlocked: ca.UnlockedCa, store: Store, home: Path, ca_subject: x509.Name) -> None:
    before = storestate.snapshot(home)
    with pytest.raises(ConflictError, match="already exists"):
        ca.create(store, subject=ca_subject, passphrase=PASSPHRASE, key_type="ec-p384")
    assert storestate.snapshot(home) == before


@pytest.mark.parametrize(("changes", "words"), [
    ({"passphrase": "short"}, "too short"),
    ({"key_type": "rsa1024"}, "key type"),
    ({"days": 0}, "between 1"),
])
def test_bad_create_arguments(store: Store, home: Path, ca_subject: x509.Name, changes: dict[str, object],
                              words: str) -> None:
    arguments: dict[str, object] = {"subject": ca_subject, "passphrase": PASSPHRASE, "key_type": "ec-p384"}
    arguments.update(changes)
    with pytest.raises(InputError, match=words):
        ca.create(store, **arguments)  # type: ignore[arg-type]
    assert ca.current(store) is None
    assert storestate.audit_actions(home) == []


@pytest.mark.parametrize(("fields", "words"), [
    ({"cn": "", "org": "Hospital"}, "common name"),
    ({"cn": "CA", "org": "Hospital", "country": "USA"}, "two-letter"),
])
def test_build_subject_refuses_bad_fields(fields: dict[str, str], words: str) -> None:
    with pytest.raises(InputError, match=words):
        ca.build_subject(**fields)


# --- import ---------------------------------------------------------------------------------------------


def test_import_rsa_ca_stores_it_reencrypted(rsa_unlocked: ca.UnlockedCa, store: Store, home: Path,
                                            passphrase_file: Path) -> None:
    cert_pem, _ = pki.rsa4096_ca()
    assert rsa_unlocked.info.certificate.public_bytes(serialization.Encoding.PEM) == cert_pem
    assert storestate.audit_actions(home) == ["ca.imported"]
    assert (home / ca.CA_CERT_FILE).read_bytes() == cert_pem
    assert referees.open_key(home / ca.CA_KEY_FILE, passphrase_file).returncode == 0
    assert stat.S_IMODE((home / ca.CA_KEY_FILE).stat().st_mode) == 0o600


def _refused_import(store: Store, home: Path, *, cert_pem: bytes, key_pem: bytes, error: type[Exception],
                    words: list[str], passphrase: str = PASSPHRASE) -> str:
    with pytest.raises(error) as raised:
        ca.import_existing(store, cert_pem=cert_pem, key_pem=key_pem, passphrase=passphrase)
    message = str(raised.value)
    for word in words:
        assert word in message, message
    assert ca.current(store) is None
    assert storestate.snapshot(home)["cas"] == []
    assert not (home / ca.CA_KEY_FILE).exists()
    return message


def test_import_refuses_a_key_that_does_not_match(store: Store, home: Path, other_store: Store,
                                                  ca_subject: x509.Name) -> None:
    cert_pem, _ = pki.rsa4096_ca()
    other = ca.create(other_store, subject=ca_subject, passphrase=PASSPHRASE, key_type="ec-p384")
    _refused_import(store, home, cert_pem=cert_pem, key_pem=keyfiles.encrypt_pkcs8(other.key, PASSPHRASE),
                    error=InputError, words=["does not belong"])
    assert storestate.audit_actions(home) == []


def test_import_refuses_a_certificate_that_is_not_a_ca(store: Store, home: Path, other_store: Store,
                                                       ca_subject: x509.Name) -> None:
    other = ca.create(other_store, subject=ca_subject, passphrase=PASSPHRASE, key_type="ec-p384")
    leaf = issuance.issue_device(other_store, other, "ZM-001", generate="ec-p256")
    assert leaf.private_key is not None
    _refused_import(store, home, cert_pem=leaf.pem, key_pem=keyfiles.encrypt_pkcs8(leaf.private_key, PASSPHRASE),
                    error=InputError, words=["not a CA certificate", "CA:TRUE"])


def test_import_refuses_an_expired_ca(store: Store, home: Path, ca_subject: x509.Name) -> None:
    from zmconsole.core import profiles

    key = keys.generate("ec-p384")
    old = profiles.ca_certificate(key, ca_subject, days=365, now=datetime.now(UTC) - timedelta(days=800))
    _refused_import(store, home, cert_pem=old.public_bytes(serialization.Encoding.PEM),
                    key_pem=keyfiles.encrypt_pkcs8(key, PASSPHRASE), error=InputError, words=["expired"])


def test_import_refuses_an_unencrypted_key(store: Store, home: Path) -> None:
    from zmconsole.core import profiles

    key = keys.generate("ec-p384")
    subject = ca.build_subject(cn="Plain CA", org="Hospital")
    cert = profiles.ca_certificate(key, subject, days=365, now=datetime.now(UTC))
    plain = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                              serialization.NoEncryption())
    _refused_import(store, home, cert_pem=cert.public_bytes(serialization.Encoding.PEM), key_pem=plain,
                    error=InputError, words=["not encrypted"])


def test_import_refuses_garbage_as_the_certificate(store: Store, home: Path) -> None:
    _refused_import(store, home, cert_pem=pki.data("garbage.csr"), key_pem=b"", error=InputError,
                    words=["cannot be read"])


def test_import_with_a_wrong_passphrase_is_audited(store: Store, home: Path) -> None:
    cert_pem, key_pem = pki.rsa4096_ca()
    _refused_import(store, home, cert_pem=cert_pem, key_pem=key_pem, passphrase="not the passphrase",
                    error=WrongPassphraseError, words=["passphrase does not open"])
    assert storestate.audit_actions(home) == ["ca.passphrase_wrong"]
    assert audit.verify(store).ok


def test_ca_subject_reads_back(unlocked: ca.UnlockedCa, store: Store) -> None:
    info = ca.require(store)
    assert info.certificate.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == "Z-Monitor-CA"
    assert info.fingerprint == ca.fingerprint(unlocked.certificate)
    assert info.not_after == unlocked.certificate.not_valid_after_utc

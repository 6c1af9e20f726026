"""Export (issue 2 "Certificates"): PEM, DER, PKCS#12 with AES-256 for a key the console still holds, the key
files a generated key is delivered in, and the held key deleted once delivered."""

from __future__ import annotations

import stat
from collections.abc import Callable
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12

from tests.support import pki, referees, storestate
from zmconsole.cli import errors as cli_errors
from zmconsole.core import ca, delivery, exports, inventory, issuance, keys, settings
from zmconsole.core.errors import Hint, HintKind, InputError, NotFoundError
from zmconsole.core.store import Store

PASSWORD = "delivery password 1"


def test_write_issued_delivers_a_generated_key_only_encrypted(store: Store, home: Path, unlocked: ca.UnlockedCa,
                                                              tmp_path: Path) -> None:
    issued = issuance.issue_device(store, unlocked, "ZM-001", generate="rsa2048")
    out = tmp_path / "out"
    written = exports.write_issued(store, issued, out, password=PASSWORD)
    assert sorted(p.name for p in written) == ["ZM-001.crt.pem", "ZM-001.key.pem", "ZM-001.p12", "ca.crt.pem"]
    assert (out / "ZM-001.crt.pem").read_bytes() == issued.pem
    assert (out / "ca.crt.pem").read_bytes() == unlocked.info.pem
    for private in ("ZM-001.key.pem", "ZM-001.p12"):
        assert stat.S_IMODE((out / private).stat().st_mode) == 0o600
    password_file = pki.write_text(tmp_path / "pw", PASSWORD + "\n")

    key_pem = (out / "ZM-001.key.pem").read_bytes()
    assert key_pem.startswith(b"-----BEGIN ENCRYPTED PRIVATE KEY-----")
    assert referees.open_key(out / "ZM-001.key.pem", password_file).returncode == 0
    assert referees.open_key(out / "ZM-001.key.pem", None).returncode != 0
    asn1 = referees.openssl("asn1parse", "-in", out / "ZM-001.key.pem").stdout
    assert "aes-256-cbc" in asn1 and "hmacWithSHA256" in asn1

    info = referees.openssl("pkcs12", "-in", out / "ZM-001.p12", "-info", "-noout", "-passin", f"file:{password_file}")
    assert info.returncode == 0, info.output
    assert "AES-256-CBC" in info.output and "PBKDF2" in info.output, info.output
    assert "RC2" not in info.output and "3DES" not in info.output
    assert "MAC: sha256, Iteration 600000" in info.output, info.output  # the MAC as costly as the key bags
    key, cert, chain = pkcs12.load_key_and_certificates((out / "ZM-001.p12").read_bytes(), PASSWORD.encode())
    assert key is not None and keys.spki(key) == keys.spki(issued.certificate.public_key())
    assert cert == issued.certificate and chain == [unlocked.certificate]
    assert storestate.audit_actions(home)[-1] == "key.exported"
    # Nothing of the key stays with the console: it was not asked to hold it.
    assert storestate.rows(home, "held_keys") == []


def test_write_issued_for_a_csr_writes_only_certificates(store: Store, home: Path, unlocked: ca.UnlockedCa,
                                                         tmp_path: Path) -> None:
    issued = issuance.issue_device(store, unlocked, "ZM-001", csr=pki.data("good_zm001.csr.pem"))
    written = exports.write_issued(store, issued, tmp_path, password=None)
    assert sorted(p.name for p in written) == ["ZM-001.crt.pem", "ca.crt.pem"]
    assert "key.exported" not in storestate.audit_actions(home)


@pytest.mark.parametrize(("password", "words"), [(None, "needs a password"), ("short", "too short")])
def test_write_issued_refuses_to_write_a_key_without_a_good_password(password: str | None, words: str,
                                                                     store: Store, unlocked: ca.UnlockedCa,
                                                                     tmp_path: Path) -> None:
    issued = issuance.issue_device(store, unlocked, "ZM-001", generate="ec-p256")
    with pytest.raises(InputError, match=words):
        exports.write_issued(store, issued, tmp_path, password=password)
    assert not (tmp_path / "ZM-001.key.pem").exists() and not (tmp_path / "ZM-001.p12").exists()


def test_a_held_key_is_exported_once_as_pkcs12_then_deleted(store: Store, home: Path,
                                                            unlocked: ca.UnlockedCa) -> None:
    issued = issuance.issue_device(store, unlocked, "ZM-001", generate="ec-p256", hold_key=True)
    held = storestate.rows(home, "held_keys")
    assert len(held) == 1
    assert issued.private_key is not None
    plain = issued.private_key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                                             serialization.NoEncryption())
    assert plain not in held[0]["sealed"]
    record = inventory.current_certificate(store, settings.load(store), "ZM-001")
    data = exports.export_pkcs12(store, unlocked, record, password=PASSWORD)
    key, cert, chain = pkcs12.load_key_and_certificates(data, PASSWORD.encode())
    assert key is not None and keys.spki(key) == keys.spki(issued.private_key)
    assert cert == issued.certificate and chain == [unlocked.certificate]
    assert storestate.rows(home, "held_keys") == []
    assert storestate.audit_actions(home)[-1] == "key.exported"
    with pytest.raises(NotFoundError, match="already delivered"):
        exports.export_pkcs12(store, unlocked, record, password=PASSWORD)


def test_a_held_key_opens_only_under_its_own_ca(store: Store, unlocked: ca.UnlockedCa, other_store: Store,
                                                ca_subject: x509.Name) -> None:
    from tests.conftest import PASSPHRASE

    issuance.issue_device(store, unlocked, "ZM-001", generate="ec-p256", hold_key=True)
    other = ca.create(other_store, subject=ca_subject, passphrase=PASSPHRASE, key_type="ec-p384")
    record = inventory.current_certificate(store, settings.load(store), "ZM-001")
    with pytest.raises(InputError, match="does not open with this CA"):
        exports.export_pkcs12(store, other, record, password=PASSWORD)


@pytest.mark.parametrize("fmt", ["pem", "der"])
def test_certificate_export_formats(fmt: str, store: Store, home: Path, unlocked: ca.UnlockedCa) -> None:
    issued = issuance.issue_device(store, unlocked, "ZM-001", generate="ec-p256")
    record = inventory.current_certificate(store, settings.load(store), "ZM-001")
    data = exports.export_certificate(store, record, fmt)
    loaded = x509.load_pem_x509_certificate(data) if fmt == "pem" else x509.load_der_x509_certificate(data)
    assert loaded == issued.certificate
    assert storestate.audit_actions(home)[-1] == "cert.exported"
    with pytest.raises(InputError, match="Unknown format 'p7b'"):
        exports.certificate_bytes(loaded, "p7b")


def test_random_passwords_are_long_and_distinct() -> None:
    passwords = {exports.random_password() for _ in range(50)}
    assert len(passwords) == 50
    assert all(len(p) == 29 and p.count("-") == 4 for p in passwords)


def test_write_file_reports_an_unwritable_place(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(InputError, match="Cannot write"):
        exports.write_file(blocker / "sub" / "out.pem", b"data")


def test_files_that_cannot_get_their_names_after_the_commit_are_reported_as_issued_not_delivered(
        store: Store, home: Path, unlocked: ca.UnlockedCa, tmp_path: Path) -> None:
    """The one step after the commit: if it fails, the message says the certificate was issued, and how to get
    the key the console still holds; ``export_pkcs12`` then delivers it."""
    out = tmp_path / "out"

    def issue_then_take_the_name(key: keys.PrivateKey | None,
                                 before_commit: Callable[[issuance.Issued], None]) -> issuance.Issued:
        issued = issuance.issue_device(store, unlocked, "ZM-001", generate=key, hold_key=True,
                                       before_commit=before_commit)
        (out / "ZM-001.key.pem").write_text("someone else's file\n")  # after the commit, before the rename
        return issued

    with pytest.raises(delivery.NotDeliveredError) as caught:
        delivery.issue_into(store, unlocked.chain, out, issue_then_take_the_name, name="ZM-001",
                            key_type="ec-p256", password=PASSWORD)
    message = cli_errors.text(caught.value)  # as the command line says it
    assert "ZM-001 was issued (serial" in message and "still holds its key" in message
    assert "zmconsole device export ZM-001 --format p12" in message
    assert caught.value.hint == Hint(HintKind.DELIVER_HELD_KEY, "ZM-001")
    assert (out / "ZM-001.key.pem").read_text() == "someone else's file\n"
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]
    assert len(storestate.rows(home, "held_keys")) == 1
    record = inventory.current_certificate(store, settings.load(store), "ZM-001")
    p12 = tmp_path / "zm1.p12"
    exports.export_pkcs12(store, unlocked, record, password=PASSWORD,
                          deliver=lambda data: exports.write_file(p12, data, private=True))
    assert storestate.rows(home, "held_keys") == []
    assert pkcs12.load_pkcs12(p12.read_bytes(), PASSWORD.encode()).cert is not None

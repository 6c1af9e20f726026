"""The CA hierarchy from the command line (issue 12): an offline root in one store, an issuing CA in another.

Every bad input is a clear one-line error with the store unchanged; the profiles are read back with
``cryptography`` and checked by ``openssl verify``.
"""

from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from tests.support import cli, pki, postgres, storestate

SUBJECT = ("--org", "Hospital", "--country", "US", "--key", "ec-p384")


@dataclass(frozen=True)
class Hierarchy:
    root: Path  # the root's store
    pending: Path  # an issuing store waiting for its certificate
    issuing: Path  # the same issuing store, installed
    files: Path  # root.pem, issuing.csr, issuing.crt


@pytest.fixture(scope="module")
def _templates(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Hierarchy:
    base = tmp_path_factory.mktemp("hierarchy")
    files = base / "files"
    files.mkdir()
    root, issuing = postgres.data_directory(request, base / "root"), postgres.data_directory(request, base / "issuing")
    cli.ok(root, "ca", "init", "--root", "--cn", "ZM Root CA", *SUBJECT)
    cli.ok(root, "ca", "export", "--out", files / "root.pem")
    cli.ok(issuing, "ca", "init", "--issuing", "--request-out", files / "issuing.csr", "--cn", "ZM Issuing CA 1",
           *SUBJECT)
    pending = postgres.data_directory(request, base / "pending", copy_of=issuing)
    cli.ok(root, "ca", "sign-issuing", files / "issuing.csr", "--out", files / "issuing.crt")
    cli.ok(issuing, "ca", "install-issuing", "--cert", files / "issuing.crt", "--root", files / "root.pem")
    return Hierarchy(root, pending, issuing, files)


@pytest.fixture
def tree(request: pytest.FixtureRequest, _templates: Hierarchy, tmp_path: Path) -> Hierarchy:
    """Fresh copies of the stores for one test (the files are shared and never changed)."""
    def copy(source: Path) -> Path:
        return postgres.data_directory(request, tmp_path / source.name, copy_of=source)

    return Hierarchy(copy(_templates.root), copy(_templates.pending), copy(_templates.issuing), _templates.files)


def _state(home: Path) -> tuple[object, list[str]]:
    return storestate.snapshot(home), storestate.audit_actions(home)


def _show(home: Path) -> dict[str, object]:
    return json.loads(cli.ok(home, "ca", "show", "--json").stdout)  # type: ignore[no-any-return]


def _cert(path: Path) -> x509.Certificate:
    return x509.load_pem_x509_certificate(path.read_bytes())


# --- profiles ----------------------------------------------------------------------------------------------

def test_root_profile_is_a_ca_with_room_for_one_level(tree: Hierarchy) -> None:
    root = _cert(tree.files / "root.pem")
    constraints = root.extensions.get_extension_for_class(x509.BasicConstraints)
    assert constraints.critical and constraints.value.ca and constraints.value.path_length == 1
    usage = root.extensions.get_extension_for_class(x509.KeyUsage)
    assert usage.critical and usage.value.key_cert_sign and usage.value.crl_sign
    assert not usage.value.digital_signature
    assert root.issuer == root.subject
    days = (root.not_valid_after_utc - root.not_valid_before_utc).days
    assert 7304 <= days <= 7306  # 20 years by default


def test_issuing_profile_signs_leaves_only_and_points_at_the_root(tree: Hierarchy) -> None:
    root, issuing = _cert(tree.files / "root.pem"), _cert(tree.files / "issuing.crt")
    constraints = issuing.extensions.get_extension_for_class(x509.BasicConstraints)
    assert constraints.critical and constraints.value.ca and constraints.value.path_length == 0
    usage = issuing.extensions.get_extension_for_class(x509.KeyUsage)
    assert usage.critical and usage.value.key_cert_sign and usage.value.crl_sign
    aki = issuing.extensions.get_extension_for_class(x509.AuthorityKeyIdentifier).value
    ski = root.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
    assert aki.key_identifier == ski.digest
    assert issuing.issuer == root.subject
    done = subprocess.run(["openssl", "verify", "-CAfile", tree.files / "root.pem", tree.files / "issuing.crt"],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr


def test_a_device_from_the_issuing_store_verifies_through_the_chain(tree: Hierarchy, tmp_path: Path,
                                                                    key_password_file: Path) -> None:
    out = tmp_path / "out"
    cli.ok(tree.issuing, "device", "issue", "ZM-001", "--generate-key", "--out", out,
           "--key-password-file", key_password_file)
    device = _cert(out / "ZM-001.crt.pem")
    assert device.issuer == _cert(tree.files / "issuing.crt").subject
    bundle = x509.load_pem_x509_certificates((out / "ca.crt.pem").read_bytes())
    assert [c.subject for c in bundle] == [_cert(tree.files / "issuing.crt").subject,
                                           _cert(tree.files / "root.pem").subject]
    done = subprocess.run(["openssl", "verify", "-CAfile", tree.files / "root.pem", "-untrusted",
                           tree.files / "issuing.crt", out / "ZM-001.crt.pem"], capture_output=True, text=True,
                          check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    info = subprocess.run(["openssl", "pkcs12", "-in", out / "ZM-001.p12", "-nokeys", "-passin",
                           f"file:{key_password_file}"], capture_output=True, text=True, check=False)
    assert info.returncode == 0, info.stderr
    assert info.stdout.count("BEGIN CERTIFICATE") == 3  # the device, the issuing CA, the root


# --- ca show --json --------------------------------------------------------------------------------------

def test_show_says_the_shape_and_lists_the_chain(tree: Hierarchy, ca_home: Path) -> None:
    single = _show(ca_home)
    assert single["shape"] == "single" and len(single["chain"]) == 1  # type: ignore[arg-type]
    root = _show(tree.root)
    assert root["shape"] == "root" and root["state"] == "active"
    assert [c["role"] for c in root["chain"]] == ["root"]  # type: ignore[union-attr]
    assert [c["subject"] for c in root["issued"]] == ["CN=ZM Issuing CA 1,O=Hospital,C=US"]  # type: ignore[union-attr]
    pending = _show(tree.pending)
    assert pending["shape"] == "issuing" and pending["state"] == "pending" and pending["chain"] == []
    assert pending["pending"]["subject"] == "CN=ZM Issuing CA 1,O=Hospital,C=US"  # type: ignore[index]
    issuing = _show(tree.issuing)
    assert issuing["shape"] == "issuing" and issuing["state"] == "active" and issuing["pending"] is None
    chain = issuing["chain"]
    assert [c["role"] for c in chain] == ["issuing", "root"]  # type: ignore[union-attr]
    root_pem = _cert(tree.files / "root.pem")
    assert chain[1]["fingerprint_sha256"] == root_pem.fingerprint(hashes.SHA256()).hex()  # type: ignore[index]


# --- refusals: a clear error, and the store unchanged ----------------------------------------------------

@pytest.mark.parametrize("command", [
    ("device", "issue", "ZM-001", "--generate-key", "--key-password-file", "{pw}", "--out", "{out}"),
    ("server", "issue", "zm.example.org", "--generate-key", "--key-password-file", "{pw}", "--out", "{out}"),
    ("device", "issue", "ZM-001", "--csr", "{csr}", "--out", "{out}"),
])
def test_a_root_store_issues_no_device_or_server_certificate(tree: Hierarchy, tmp_path: Path,
                                                             key_password_file: Path, command: tuple[str, ...]) -> None:
    csr = tmp_path / "device.csr"
    csr.write_bytes(pki.data("good_zm001.csr.pem"))
    args = [a.format(pw=key_password_file, out=tmp_path / "out", csr=csr) for a in command]
    before = _state(tree.root)
    cli.assert_clean_error(cli.run(tree.root, *args), "root CA", "issuing CA's store", "nothing was issued")
    assert _state(tree.root) == before
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_sign_issuing_refuses_what_is_not_an_issuing_request(tree: Hierarchy, tmp_path: Path) -> None:
    garbage, device, broken = tmp_path / "garbage.csr", tmp_path / "device.csr", tmp_path / "broken.csr"
    garbage.write_bytes(b"-----BEGIN CERTIFICATE REQUEST-----\nnot base64\n-----END CERTIFICATE REQUEST-----\n")
    device.write_bytes(pki.data("good_zm001.csr.pem"))  # a device's P-256 key is no CA key
    broken.write_bytes(pki.data("broken_signature.csr.der"))
    no_org = tmp_path / "no-org.csr"
    no_org.write_bytes(x509.CertificateSigningRequestBuilder()
                       .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Issuing")]))
                       .sign(ec.generate_private_key(ec.SECP384R1()), hashes.SHA384())
                       .public_bytes(serialization.Encoding.PEM))
    before = _state(tree.root)
    for csr, words in ((garbage, ("cannot be read",)), (device, ("key", "CA may have")),
                       (broken, ("signature does not verify",)), (no_org, ("one organisation (O)",))):
        result = cli.run(tree.root, "ca", "sign-issuing", csr, "--out", tmp_path / "out.crt")
        cli.assert_clean_error(result, *words, "nothing was signed")
        assert not (tmp_path / "out.crt").exists()
    assert _state(tree.root) == before


def test_sign_issuing_is_for_a_root_store_only(tree: Hierarchy, tmp_path: Path) -> None:
    before = _state(tree.issuing)
    result = cli.run(tree.issuing, "ca", "sign-issuing", tree.files / "issuing.csr", "--out", tmp_path / "x.crt")
    cli.assert_clean_error(result, "not a root", "root's store")
    assert _state(tree.issuing) == before


def test_install_refuses_a_certificate_for_another_key(request: pytest.FixtureRequest, tree: Hierarchy,
                                                       tmp_path: Path) -> None:
    other = postgres.data_directory(request, tmp_path / "other")
    cli.ok(other, "ca", "init", "--issuing", "--request-out", tmp_path / "other.csr", "--cn", "Other", *SUBJECT)
    cli.ok(tree.root, "ca", "sign-issuing", tmp_path / "other.csr", "--out", tmp_path / "other.crt")
    before = _state(tree.pending)
    result = cli.run(tree.pending, "ca", "install-issuing", "--cert", tmp_path / "other.crt",
                     "--root", tree.files / "root.pem")
    cli.assert_clean_error(result, "not for this store's pending issuing CA key", "nothing was installed")
    assert _state(tree.pending) == before


def test_install_refuses_a_certificate_not_from_the_given_root(request: pytest.FixtureRequest, tree: Hierarchy,
                                                               tmp_path: Path) -> None:
    other_root = postgres.data_directory(request, tmp_path / "other-root")
    cli.ok(other_root, "ca", "init", "--root", "--cn", "Another Root", *SUBJECT)
    cli.ok(other_root, "ca", "export", "--out", tmp_path / "other-root.pem")
    before = _state(tree.pending)
    result = cli.run(tree.pending, "ca", "install-issuing", "--cert", tree.files / "issuing.crt",
                     "--root", tmp_path / "other-root.pem")
    cli.assert_clean_error(result, "not issued by the root given", "nothing was installed")
    assert _state(tree.pending) == before
    # and a leaf or garbage given as the root
    result = cli.run(tree.pending, "ca", "install-issuing", "--cert", tree.files / "issuing.crt",
                     "--root", tree.files / "issuing.crt")
    cli.assert_clean_error(result, "is not a root CA", "nothing was installed")
    assert _state(tree.pending) == before


def test_install_needs_a_pending_request(tree: Hierarchy) -> None:
    before = _state(tree.root)
    result = cli.run(tree.root, "ca", "install-issuing", "--cert", tree.files / "issuing.crt",
                     "--root", tree.files / "root.pem")
    cli.assert_clean_error(result, "no issuing CA request", "nothing was installed")
    assert _state(tree.root) == before


def test_a_second_request_while_one_is_pending_is_refused(tree: Hierarchy, tmp_path: Path) -> None:
    before = _state(tree.pending)
    result = cli.run(tree.pending, "ca", "init", "--issuing", "--request-out", tmp_path / "again.csr",
                     "--cn", "Again", *SUBJECT)
    cli.assert_clean_error(result, "already waits", "nothing was created")
    assert _state(tree.pending) == before and not (tmp_path / "again.csr").exists()
    for home in (tree.root,):
        before = _state(home)
        result = cli.run(home, "ca", "init", "--issuing", "--request-out", tmp_path / "x.csr", "--cn", "X", *SUBJECT)
        cli.assert_clean_error(result, "root CA", "data directory of its own")
        assert _state(home) == before


def test_revoke_issuing_refusals(tree: Hierarchy) -> None:
    before = _state(tree.root)
    cli.assert_clean_error(cli.run(tree.root, "ca", "revoke-issuing", "0A1B2C", "--reason", "compromised"),
                           "no issuing CA with serial", "nothing was revoked")
    bad = cli.run(tree.root, "ca", "revoke-issuing", "0A1B2C", "--reason", "lost")
    assert bad.returncode == 2 and "invalid choice: 'lost'" in bad.stderr
    serial = _cert(tree.files / "issuing.crt").serial_number
    result = cli.run(tree.issuing, "ca", "revoke-issuing", f"{serial:X}", "--reason", "superseded")
    cli.assert_clean_error(result, "not a root")
    assert _state(tree.root) == before


def test_revoke_issuing_lists_it_on_the_roots_crl(tree: Hierarchy, tmp_path: Path) -> None:
    serial = _cert(tree.files / "issuing.crt").serial_number
    cli.ok(tree.root, "config", "set", "crl-publish-dir", tmp_path / "published")
    cli.ok(tree.root, "ca", "revoke-issuing", f"{serial:X}", "--reason", "compromised")
    assert sorted(p.name for p in (tmp_path / "published").iterdir()) == ["root-crl.der", "root-crl.pem"]
    cli.ok(tree.root, "crl", "generate", "--root", "--out", tmp_path / "root.crl")
    crl = x509.load_pem_x509_crl((tmp_path / "root.crl").read_bytes())
    entry = crl.get_revoked_certificate_by_serial_number(serial)
    assert entry is not None
    assert entry.extensions.get_extension_for_class(x509.CRLReason).value.reason is x509.ReasonFlags.ca_compromise
    assert crl.is_signature_valid(_cert(tree.files / "root.pem").public_key())
    again = cli.run(tree.root, "ca", "revoke-issuing", f"{serial:X}", "--reason", "compromised")
    cli.assert_clean_error(again, "already revoked")


def test_crl_generate_root_only_in_a_root_store(tree: Hierarchy, tmp_path: Path) -> None:
    for home, args, words in ((tree.issuing, ("--root",), ("not a root",)), (tree.root, (), ("--root",))):
        before = _state(home)
        cli.assert_clean_error(cli.run(home, "crl", "generate", *args, "--out", tmp_path / "x.crl"), *words,
                               "nothing was signed")
        assert _state(home) == before and not (tmp_path / "x.crl").exists()


def test_a_pending_store_says_what_it_waits_for(tree: Hierarchy, tmp_path: Path) -> None:
    before = _state(tree.pending)
    for args in (("device", "issue", "ZM-001", "--csr", tree.files / "issuing.csr", "--out", tmp_path / "out"),
                 ("crl", "generate", "--out", tmp_path / "x.crl"), ("serve", "--listen", "127.0.0.1:0")):
        cli.assert_clean_error(cli.run(tree.pending, *args), "waiting for its certificate from the root")
    assert _state(tree.pending) == before


def test_serve_on_a_root_store_is_refused(tree: Hierarchy) -> None:
    before = _state(tree.root)
    result = cli.run(tree.root, "serve", "--listen", "127.0.0.1:0", "--http-listen", "127.0.0.1:0", timeout=60)
    assert result.returncode != 0 and "Traceback" not in result.stderr, str(result)
    assert "signs only issuing CAs" in result.stderr, str(result)
    assert _state(tree.root) == before

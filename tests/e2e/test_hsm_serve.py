"""Acceptance with the CA key in SoftHSM2 (issue 12): ``zmconsole serve`` opens the token at start and pairs
devices; what it signs in the token (device certificates, the pairing signer's certificate, the CRL, OCSP
answers) is checked by ``openssl verify``, ``openssl crl`` and ``openssl ocsp``.

Two shapes: a single CA whose key is in the token, and the issue's chain, where the root lives in one store
with its key in a file and the issuing CA in a second store with its key in the token; for the chain, Debian's
nginx trusting only the root (tests/e2e/test_hierarchy.py's setup) accepts a paired device, refuses it once
revoked, and refuses every device once the root revokes the issuing CA.
"""

from __future__ import annotations

import base64
import ssl
from dataclasses import dataclass
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509 import ocsp as x509_ocsp

from tests.e2e.conftest import KEY_PASSWORD
from tests.e2e.nginx import nginx
from tests.e2e.test_hierarchy import (
    Tree,
    _pair,
    _server_chain,
    _smoke,
    _verify_through_the_issuing_ca,
    _wait_refused,
)
from tests.support import cli, referees, storestate, zmdevice
from tests.support.service import Pairing, RunningService, call, device_csr, enroll, pull, running_service
from tests.support.softhsm import LABEL, MODULE, PIN, SoftHsm
from zmconsole.core.pairing import bundle as pairing_bundle

pytestmark = pytest.mark.slow  # runs zmconsole serve

SUBJECT = ("--org", "Hospital", "--country", "US", "--key", "ec-p384")
TOKEN = ("--pkcs11-module", MODULE, "--pkcs11-token", LABEL)


@dataclass(frozen=True)
class Trust:
    anchor: Path  # what devices pin: the single CA, or the root
    chain: Path  # the CA certificates under the anchor (the issuing CA), for -untrusted; the anchor if none
    signer: Path  # the CA that signs the device certificates, CRLs and OCSP answers


@pytest.fixture
def pin_env(softhsm: SoftHsm, monkeypatch: pytest.MonkeyPatch) -> SoftHsm:
    """The token's PIN for every zmconsole process of the test (SOFTHSM2_CONF is set by the fixture)."""
    monkeypatch.setenv("ZMCONSOLE_PKCS11_PIN", PIN)
    return softhsm


def _single(tmp_path: Path) -> tuple[Path, Trust]:
    home = tmp_path / "console"
    cli.ok(home, "ca", "init", "--cn", "Token-CA", *SUBJECT, *TOKEN, passphrase=None)
    anchor = tmp_path / "ca.pem"
    cli.ok(home, "ca", "export", "--out", anchor, passphrase=None)
    return home, Trust(anchor, anchor, anchor)


def _chain(tmp_path: Path) -> tuple[Path, Trust]:
    root, issuing, files = tmp_path / "root", tmp_path / "issuing", tmp_path / "files"
    files.mkdir()
    cli.ok(root, "ca", "init", "--root", "--cn", "ZM Root CA", *SUBJECT)  # a file key, the passphrase as today
    cli.ok(root, "ca", "export", "--out", files / "root.pem")
    made = cli.ok(issuing, "ca", "init", "--issuing", "--request-out", files / "issuing.csr", "--cn",
                  "ZM Issuing CA 1", *SUBJECT, *TOKEN, passphrase=None)
    assert "in the token" in made.stderr
    cli.ok(root, "ca", "sign-issuing", files / "issuing.csr", "--out", files / "issuing.crt")
    installed = cli.ok(issuing, "ca", "install-issuing", "--cert", files / "issuing.crt", "--root",
                       files / "root.pem", passphrase=None)
    assert f"in the PKCS#11 token '{LABEL}'" in installed.stdout
    return issuing, Trust(files / "root.pem", files / "issuing.crt", files / "issuing.crt")


def _trusting(service: RunningService, anchor: Path) -> RunningService:
    """Speak TLS to the service as a device does: trusting only the pinned anchor."""
    def context() -> ssl.SSLContext:
        made = ssl.create_default_context(cafile=str(anchor))
        made.minimum_version = ssl.TLSVersion.TLSv1_2
        return made

    service.client_context = context  # type: ignore[method-assign]
    return service


def _verify(trust: Trust, cert: Path, *extra: str | Path) -> referees.Ran:
    return referees.openssl("verify", "-CAfile", trust.anchor, "-untrusted", trust.chain, *extra, cert)


@pytest.mark.parametrize("shape", ["single", "chain"])
def test_serve_pairs_with_a_token_held_key(pin_env: SoftHsm, tmp_path: Path, shape: str) -> None:
    home, trust = (_single if shape == "single" else _chain)(tmp_path)
    with running_service(home, passphrase=None) as running:  # the PIN from ZMCONSOLE_PKCS11_PIN
        service = _trusting(running, trust.anchor)
        # A device key: EST enrollment signed in the token.
        paired = Pairing.of(service.pair("ZM-001"))
        answer = enroll(service, paired, device_csr("ZM-001", ec.generate_private_key(ec.SECP256R1())))
        assert answer.status == 200, answer.body
        p7 = tmp_path / "ZM-001.p7b"
        p7.write_bytes(base64.b64decode(answer.body))
        printed = referees.openssl("pkcs7", "-inform", "DER", "-in", p7, "-print_certs")
        device = tmp_path / "ZM-001.pem"
        [leaf] = [cert for cert in x509.load_pem_x509_certificates(printed.stdout.encode())
                  if "CN=ZM-001" in cert.subject.rfc4514_string()]  # the answer also carries the issuing CA
        device.write_bytes(leaf.public_bytes(serialization.Encoding.PEM))
        verified = _verify(trust, device, "-purpose", "sslclient")
        assert verified.returncode == 0 and "OK" in verified.stdout, verified.output

        # A console key: the bundle is signed by a pairing signer whose certificate the token signed.
        ticket = service.pair("ZM-002", "--generate-key")
        bundle_answer = pull(service, Pairing.of(ticket))
        assert bundle_answer.status == 200, bundle_answer.body
        key_id = bytes.fromhex(bundle_answer.headers["zm-signer-key-id"])
        signers = call(service, "GET", f"/zmp/v1/signers/{key_id.hex()}")
        signer = x509.load_pem_x509_certificates(signers.body)[0]
        signer_file = tmp_path / "signer.pem"
        signer_file.write_bytes(signer.public_bytes(serialization.Encoding.PEM))
        assert _verify(trust, signer_file).returncode == 0
        public = signer.public_key()
        assert isinstance(public, ec.EllipticCurvePublicKey)
        pairing_bundle.verify_bundle(bundle_answer.body, bytes.fromhex(bundle_answer.headers["zm-bundle-signature"]),
                                     public, expected_device_id="ZM-002", token=Pairing.of(ticket).payload.token)

        # Revocation: the CRL the service serves and its OCSP answers, both signed in the token.
        cli.ok(home, "device", "revoke", "ZM-001", "--reason", "lost", passphrase=None)
        crl = call(service, "GET", "/crl", https=False)
        assert crl.status == 200
        crl_file = tmp_path / "crl.der"
        crl_file.write_bytes(crl.body)
        signer_ca = x509.load_pem_x509_certificate(trust.signer.read_bytes())
        assert x509.load_der_x509_crl(crl.body).is_signature_valid(signer_ca.public_key())
        checked = referees.openssl("crl", "-in", crl_file, "-inform", "DER", "-CAfile", trust.signer, "-noout")
        assert "verify OK" in checked.output, checked.output

        leaf = x509.load_pem_x509_certificate(device.read_bytes())
        request = x509_ocsp.OCSPRequestBuilder().add_certificate(leaf, signer_ca, hashes.SHA1()).build()
        said = call(service, "POST", "/ocsp", https=False, body=request.public_bytes(serialization.Encoding.DER),
                    headers={"Content-Type": "application/ocsp-request"})
        assert said.status == 200
        answer_file = tmp_path / "ocsp.der"
        answer_file.write_bytes(said.body)
        bundle_file = tmp_path / "trust.pem"
        bundle_file.write_bytes(trust.anchor.read_bytes() + (b"" if trust.chain == trust.anchor
                                                             else trust.chain.read_bytes()))
        ocsp = referees.openssl("ocsp", "-respin", answer_file, "-issuer", trust.signer, "-cert", device,
                                "-CAfile", bundle_file, "-resp_text")
        assert "Response verify OK" in ocsp.output and "Cert Status: revoked" in ocsp.output, ocsp.output
    assert running.returncode == 0, running.log()


def test_serve_refuses_to_start_when_the_key_is_gone(pin_env: SoftHsm, tmp_path: Path) -> None:
    home, _ = _single(tmp_path)
    pin_env.remove_tokens()
    failed = cli.run(home, "serve", "--listen", "127.0.0.1:0", "--http-listen", "127.0.0.1:0", passphrase=None,
                     timeout=60)
    cli.assert_clean_error(failed, f"no token labelled '{LABEL}'")


def test_a_token_pulled_out_under_serve_is_a_503_that_issues_nothing(pin_env: SoftHsm, tmp_path: Path) -> None:
    home, trust = _single(tmp_path)
    with running_service(home, passphrase=None) as running:
        service = _trusting(running, trust.anchor)
        paired = Pairing.of(service.pair("ZM-003"))
        before, pairings = storestate.snapshot(home)["certificates"], storestate.snapshot(home)["pairings"]
        pin_env.remove_tokens()
        answer = enroll(service, paired, device_csr("ZM-003"))
        assert answer.status == 503 and answer.code == "unavailable", answer.body
        assert "stopped answering" in str(answer.error["message"])
        assert storestate.snapshot(home)["certificates"] == before
        assert storestate.snapshot(home)["pairings"] == pairings  # the code is not spent: it works again later
    assert running.returncode == 0, running.log()


def test_the_chain_through_nginx_with_the_issuing_key_in_softhsm2(pin_env: SoftHsm, tmp_path: Path) -> None:
    """The issue's acceptance chain: root key in a file, issuing key in the token; nginx trusts only the root."""
    work = tmp_path
    home, trust = _chain(work)
    tree = Tree(work, work / "root", home, trust.anchor, trust.chain, work / "nginx-cert", work / "crls.pem")
    password_file = work / "nginx-key-password"
    password_file.write_text(KEY_PASSWORD + "\n")
    cli.ok(home, "server", "issue", "127.0.0.1", "--ip", "127.0.0.1", "--generate-key", "--key", "ec-p256",
           "--key-password-file", password_file, "--out", tree.server_dir)  # signed in the token
    tree.refresh_crls()
    with running_service(home) as service:
        keystore, other = _pair(service, tree, "ZM-301"), _pair(service, tree, "ZM-302")
    _verify_through_the_issuing_ca(tree, trust.chain, keystore / "device-cert.pem")
    with nginx(work / "nginx", cert=_server_chain(tree.server_dir), key=tree.server_dir / "127.0.0.1.key.pem",
               password_file=password_file, ca=tree.root_pem, crl=tree.crls, verify_depth=2) as central:
        passed = _smoke(central, keystore)
        assert passed.returncode == 0 and "Smoke test passed" in passed.stdout, str(passed) + central.log()

        cli.ok(home, "device", "revoke", "ZM-301", "--reason", "lost")  # the token signs the new CRL
        tree.refresh_crls()
        central.reload()
        zmdevice.refused(_wait_refused(central, keystore), "revoked")
        assert _smoke(central, other).returncode == 0

        serial = x509.load_pem_x509_certificate(trust.chain.read_bytes()).serial_number
        cli.ok(tree.root, "ca", "revoke-issuing", f"{serial:X}", "--reason", "compromised")
        tree.refresh_crls()
        central.reload()
        assert _wait_refused(central, other).returncode != 0

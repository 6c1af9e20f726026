"""``zmconsole ca init --pkcs11-module PATH --pkcs11-token LABEL``, run as an administrator's script runs it:
the PIN from ``ZMCONSOLE_PKCS11_PIN`` or ``--pkcs11-pin-file``, later commands signing in the token, and every
refusal one clear line that leaves the store and the token as they were."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import build_csr
from tests.support import cli, postgres, referees, storestate
from tests.support.softhsm import LABEL, MODULE, PIN, SoftHsm
from zmconsole.core import ca

SUBJECT = ("--cn", "Token-CA", "--org", "Hospital", "--country", "US", "--key", "ec-p384")
TOKEN = ("--pkcs11-module", MODULE, "--pkcs11-token", LABEL)


def _pin(pin: str = PIN) -> dict[str, str]:
    return {"ZMCONSOLE_PKCS11_PIN": pin}


@pytest.fixture
def token_home(tmp_path: Path, softhsm: SoftHsm) -> Path:
    home = tmp_path / "home"
    made = cli.ok(home, "ca", "init", *SUBJECT, *TOKEN, passphrase=None, env=_pin())
    assert f"in the PKCS#11 token '{LABEL}'" in made.stdout
    return home


def test_a_token_ca_issues_and_signs_crls_that_openssl_accepts(token_home: Path, tmp_path: Path) -> None:
    shown = json.loads(cli.ok(token_home, "ca", "show", "--json", passphrase=None).stdout)
    assert shown["pkcs11"]["module"] == MODULE and shown["pkcs11"]["token"] == LABEL
    assert len(shown["pkcs11"]["key_id"]) == 32
    pin_file = tmp_path / "pin"
    pin_file.write_text(PIN + "\n")
    out = tmp_path / "issued"
    cli.ok(token_home, "--pkcs11-pin-file", pin_file, "device", "issue", "ZM-001", "--csr", _csr(tmp_path, "ZM-001"),
           "--out", out, passphrase=None)
    assert referees.verify(token_home / ca.CA_CERT_FILE, out / "ZM-001.crt.pem",
                           purpose="sslclient").returncode == 0
    cli.ok(token_home, "device", "revoke", "ZM-001", "--reason", "lost", passphrase=None, env=_pin())
    crl = tmp_path / "crl.pem"
    cli.ok(token_home, "crl", "generate", "--out", crl, passphrase=None, env=_pin())
    checked = referees.openssl("crl", "-in", crl, "-CAfile", token_home / ca.CA_CERT_FILE, "-noout")
    assert "verify OK" in checked.output, checked.output
    refused = referees.verify(token_home / ca.CA_CERT_FILE, out / "ZM-001.crt.pem", crl_file=crl)
    assert refused.returncode != 0 and "revoked" in refused.output
    verified = cli.ok(token_home, "audit", "verify", passphrase=None)
    assert "Signed checkpoint" in verified.stdout  # the checkpoint key derived in the token verifies


def test_the_pin_file_may_follow_ca_init(tmp_path: Path, softhsm: SoftHsm) -> None:
    pin_file = tmp_path / "pin"
    pin_file.write_text(PIN + "\n")
    cli.ok(tmp_path / "home", "ca", "init", *SUBJECT, *TOKEN, "--pkcs11-pin-file", pin_file, passphrase=None)


def _no_ca_and_untouched_token(home: Path, hsm: SoftHsm) -> None:
    assert "Private Key Object" not in hsm.objects()
    shown = cli.run(home, "ca", "show", passphrase=None)
    assert shown.returncode != 0 and "no platform CA" in shown.stderr


@pytest.mark.parametrize(("options", "pin", "words"), [
    (("--pkcs11-module", "/nonexistent/libhsm.so", "--pkcs11-token", LABEL), PIN,
     ("PKCS#11 module /nonexistent/libhsm.so does not exist",)),
    (("--pkcs11-module", "/etc/hostname", "--pkcs11-token", LABEL), PIN, ("/etc/hostname is not a PKCS#11 module",)),
    (("--pkcs11-token", LABEL), PIN, ("No PKCS#11 module was given", "--pkcs11-module")),
    (("--pkcs11-module", MODULE), PIN, ("No PKCS#11 token label was given", "--pkcs11-token")),
    (("--pkcs11-module", MODULE, "--pkcs11-token", "no-such-token"), PIN, ("no token labelled 'no-such-token'",)),
    (TOKEN, "000000", (f"PIN is wrong for the PKCS#11 token '{LABEL}'",)),
], ids=["missing-module", "not-pkcs11", "no-module", "no-token-label", "missing-token", "wrong-pin"])
def test_ca_init_refusals_change_nothing(tmp_path: Path, softhsm: SoftHsm, options: tuple[str, ...],
                                         pin: str, words: tuple[str, ...]) -> None:
    home = tmp_path / "home"
    failed = cli.run(home, "ca", "init", *SUBJECT, *options, passphrase=None, env=_pin(pin))
    cli.assert_clean_error(failed, *words)
    _no_ca_and_untouched_token(home, softhsm)


def test_no_pin_without_a_terminal_is_a_clear_error(tmp_path: Path, softhsm: SoftHsm) -> None:
    failed = cli.run(tmp_path / "home", "ca", "init", *SUBJECT, *TOKEN, passphrase=None)
    cli.assert_clean_error(failed, "PIN of the PKCS#11 token", "--pkcs11-pin-file", "ZMCONSOLE_PKCS11_PIN")
    _no_ca_and_untouched_token(tmp_path / "home", softhsm)


@pytest.mark.parametrize("change", ["wrong-pin", "key-deleted", "token-removed"])
def test_signing_refusals_change_nothing(token_home: Path, tmp_path: Path, softhsm: SoftHsm,
                                         change: str) -> None:
    pin, words = PIN, ()
    if change == "wrong-pin":
        pin, words = "000000", ("PIN is wrong",)
    elif change == "key-deleted":
        key_id = json.loads(cli.ok(token_home, "ca", "show", "--json", passphrase=None).stdout)["pkcs11"]["key_id"]
        softhsm.delete(key_id)
        words = ("is no longer in the PKCS#11 token", "deleted")
    else:
        softhsm.remove_tokens()
        words = (f"no token labelled '{LABEL}'",)
    before = storestate.snapshot(token_home)
    out = tmp_path / "issued"
    failed = cli.run(token_home, "device", "issue", "ZM-002", "--csr", _csr(tmp_path, "ZM-002"), "--out", out,
                     passphrase=None, env=_pin(pin))
    cli.assert_clean_error(failed, *words)
    assert storestate.snapshot(token_home) == before
    assert not out.exists() or not any(out.iterdir())


def _csr(tmp_path: Path, device_id: str) -> Path:
    path = tmp_path / f"{device_id}.csr"
    path.write_bytes(build_csr(device_id))
    return path


def test_serve_opens_the_token_at_start_and_refuses_a_wrong_pin(token_home: Path) -> None:
    failed = cli.run(token_home, "serve", "--listen", "127.0.0.1:0", "--http-listen", "127.0.0.1:0",
                     passphrase=None, env=_pin("000000"), timeout=60)
    cli.assert_clean_error(failed, "PIN is wrong")


def test_an_issuing_ca_in_the_token_rolls_over_to_a_second_one(request: pytest.FixtureRequest, tmp_path: Path,
                                                               softhsm: SoftHsm) -> None:
    root, issuing = (postgres.data_directory(request, tmp_path / name) for name in ("root", "issuing"))
    files = tmp_path / "files"
    files.mkdir()
    cli.ok(root, "ca", "init", "--root", "--cn", "ZM Root CA", *SUBJECT[2:])
    cli.ok(root, "ca", "export", "--out", files / "root.pem")
    for number in (1, 2):  # the second request rolls over: it needs the token's PIN, as the first CA's key does
        csr, crt = files / f"issuing-{number}.csr", files / f"issuing-{number}.crt"
        cli.ok(issuing, "ca", "init", "--issuing", "--request-out", csr, "--cn", f"ZM Issuing CA {number}",
               *SUBJECT[2:], *TOKEN, passphrase=None, env=_pin())
        cli.ok(root, "ca", "sign-issuing", csr, "--out", crt)
        cli.ok(issuing, "ca", "install-issuing", "--cert", crt, "--root", files / "root.pem", passphrase=None,
               env=_pin())
    shown = json.loads(cli.ok(issuing, "ca", "show", "--json", passphrase=None).stdout)
    assert shown["subject"] == "CN=ZM Issuing CA 2,O=Hospital,C=US" and shown["pkcs11"]["token"] == LABEL
    assert softhsm.objects().count("Private Key Object") == 2  # both issuing keys live in the token
    out = tmp_path / "issued"
    cli.ok(issuing, "device", "issue", "ZM-001", "--csr", _csr(tmp_path, "ZM-001"), "--out", out, passphrase=None,
           env=_pin())  # unlocks both CA keys in the token: the older one still signs its CRL
    verified = referees.openssl("verify", "-CAfile", files / "root.pem", "-untrusted", files / "issuing-2.crt",
                                out / "ZM-001.crt.pem")
    assert verified.returncode == 0, verified.output

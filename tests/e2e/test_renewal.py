"""Acceptance for renewal, end to end (issue 9): a device paired with a certificate inside the renewal threshold
renews itself with ``zmdevice check`` through the real ``zmconsole serve`` over mutual TLS. The new certificate
passes ``openssl verify`` and the smoke test against nginx (``ssl_verify_client on``, ``ssl_crl``); the old one
still passes during grace; after ``zmdevice confirm`` and a CRL regeneration and reload, nginx refuses the old
certificate and accepts the new one."""

from __future__ import annotations

import json
import shutil
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.conftest import Hospital
from tests.support import referees, zmdevice
from zmconsole.device import renewal

pytestmark = pytest.mark.slow  # runs zmconsole serve and nginx


@pytest.fixture
def short_lived(hospital: Hospital) -> Iterator[None]:
    """Certificates issued meanwhile are valid for 5 days, inside the 7-day renewal threshold."""
    hospital.console("config", "set", "device-days", "5")
    try:
        yield
    finally:
        hospital.console("config", "set", "device-days", "365")


def _pair_short_lived(hospital: Hospital, device_id: str) -> Path:
    ticket = hospital.pair(device_id)
    keystore = hospital.keystore(device_id)
    paired = hospital.enroll(ticket, keystore)
    assert paired.returncode == 0, str(paired)
    return keystore


def _smoke(hospital: Hospital, keystore: Path) -> zmdevice.Result:
    return zmdevice.run("smoke-test", "--keystore", keystore, "--url", hospital.central.url)


def _ocsp(hospital: Hospital, keystore: Path) -> str:
    chain = keystore / "ca-chain.pem"
    ran = referees.openssl("ocsp", "-issuer", chain, "-CAfile", chain, "-cert", keystore / "device-cert.pem",
                           "-url", hospital.service.ocsp_url, "-no_nonce")
    assert ran.returncode == 0, ran.output
    return ran.output


def test_check_renews_confirms_and_the_crl_retires_the_old_certificate(hospital: Hospital,
                                                                        short_lived: None) -> None:
    keystore = _pair_short_lived(hospital, "ZM-901")
    hospital.console("config", "set", "device-days", "365")
    old_copy = keystore.with_name("ZM-901-old")
    shutil.copytree(keystore, old_copy)
    old = json.loads(zmdevice.ok("status", "--keystore", keystore, "--json", secret=None).stdout)
    assert old["band"] == "renew-7", old

    # killed right after the swap, before its confirm: the old certificate is in its grace window
    killed = zmdevice.run("check", "--keystore", keystore, env={renewal.CRASH_ENV: "swapped"})
    assert killed.returncode == -signal.SIGKILL, str(killed)
    status = json.loads(zmdevice.ok("status", "--keystore", keystore, "--json", secret=None).stdout)
    assert status["serial"] != old["serial"] and status["band"] == "ok", status
    assert status["previous"]["serial"] == old["serial"] and status["previous"]["grace_ends"], status
    assert status["renewal"]["replaces_serial"] == old["serial"] and status["renewal"]["confirmed_at"] is None
    verified = referees.verify(keystore / "ca-chain.pem", keystore / "device-cert.pem", purpose="sslclient")
    assert verified.returncode == 0, verified.output
    assert "Smoke test passed" in zmdevice.ok("smoke-test", "--keystore", keystore, "--url",
                                              hospital.central.url).stdout
    assert _smoke(hospital, old_copy).returncode == 0  # grace: the old one still works

    confirmed = zmdevice.ok("confirm", "--keystore", keystore)
    assert old["serial"] in confirmed.stdout and "superseded" in confirmed.stdout
    status = json.loads(zmdevice.ok("status", "--keystore", keystore, "--json", secret=None).stdout)
    assert status["renewal"]["confirmed_at"] and status["previous"] is None and status["pending"] is None

    old_ocsp, new_ocsp = _ocsp(hospital, old_copy), _ocsp(hospital, keystore)
    assert "device-cert.pem: revoked" in old_ocsp and "superseded" in old_ocsp.lower(), old_ocsp
    assert "device-cert.pem: good" in new_ocsp, new_ocsp

    hospital.console("crl", "generate", "--out", hospital.crl_file)
    hospital.central.reload()
    hospital.wait_refused(old_copy)
    zmdevice.refused(_smoke(hospital, old_copy), "HTTP 400", old["serial"], "revoked")
    assert _smoke(hospital, keystore).returncode == 0
    verified = referees.verify(keystore / "ca-chain.pem", keystore / "device-cert.pem", purpose="sslclient")
    assert verified.returncode == 0, verified.output


def test_check_json_renews_and_confirms_in_one_run(hospital: Hospital, short_lived: None) -> None:
    keystore = _pair_short_lived(hospital, "ZM-902")
    hospital.console("config", "set", "device-days", "365")
    checked = zmdevice.run("check", "--keystore", keystore, "--json")
    facts = json.loads(checked.stdout)
    assert checked.returncode == 0, str(checked)
    assert facts["band"] == "renew-7" and facts["renewed"] and facts["confirmed"] and facts["new_serial"], facts
    assert facts["days_left"] <= 5 and facts["not_after"].endswith("Z")
    again = zmdevice.run("check", "--keystore", keystore, "--json")
    assert again.returncode == 0 and json.loads(again.stdout)["band"] == "ok", str(again)
    assert _smoke(hospital, keystore).returncode == 0


@pytest.mark.parametrize("step", renewal.STEPS)
def test_sigkill_at_each_step_of_renew_leaves_one_working_identity(hospital: Hospital, step: str) -> None:
    device_id = f"ZM-{910 + renewal.STEPS.index(step)}"
    ticket = hospital.pair(device_id)
    keystore = hospital.keystore(device_id)
    assert hospital.enroll(ticket, keystore).returncode == 0
    killed = zmdevice.run("renew", "--keystore", keystore, "--force", env={renewal.CRASH_ENV: step})
    assert killed.returncode == -signal.SIGKILL, str(killed)
    assert _smoke(hospital, keystore).returncode == 0, step  # one working identity, whatever the step

    finished = zmdevice.run("renew", "--keystore", keystore)  # finishes what the killed run began
    assert finished.returncode == 0, str(finished)
    status = json.loads(zmdevice.ok("status", "--keystore", keystore, "--json", secret=None).stdout)
    assert status["pending"] is None and status["previous"] is None and status["renewal"]["confirmed_at"]
    assert _smoke(hospital, keystore).returncode == 0
    assert len(hospital.certificates(device_id)) == 2, hospital.certificates(device_id)  # renewed once

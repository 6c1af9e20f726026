"""Renewal on the device (docs/pairing-protocol.md §7.7, §9.1): bands and exit codes with an injected clock,
renewal through the fake service, a failing smoke test that keeps the old identity, and SIGKILL at every step
leaving one working identity that the next run finishes."""

from __future__ import annotations

import json
import signal
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec

from tests.device.conftest import CODE, SECRET
from tests.device.pki import Pki
from tests.device.servers import FakeService
from tests.support import zmdevice
from zmconsole.device import cli, enroll, keystore, renewal, smoke, trust

NOW = datetime(2026, 12, 1, 10, 30, tzinfo=UTC)


def _certificate(pki: Pki, not_after: datetime) -> x509.Certificate:
    return pki.device("ZM-001", ec.generate_private_key(ec.SECP256R1()).public_key(),
                      not_before=not_after - timedelta(days=400), not_after=not_after)


@pytest.mark.parametrize(("left", "threshold", "band"), [
    (timedelta(days=91), 7, "ok"),
    (timedelta(days=90, hours=23), 7, "notice-90"),  # 90 whole days left
    (timedelta(days=31), 7, "notice-90"),
    (timedelta(days=30, hours=12), 7, "warning-30"),
    (timedelta(days=8), 7, "warning-30"),
    (timedelta(days=7, hours=23), 7, "renew-7"),
    (timedelta(days=9), 10, "renew-7"),  # the threshold delivered in the keystore
    (timedelta(seconds=1), 7, "renew-7"),
    (timedelta(0), 7, "expired"),
    (-timedelta(days=3), 7, "expired"),
])
def test_bands(pki: Pki, left: timedelta, threshold: int, band: str) -> None:
    assert renewal.band(_certificate(pki, NOW + left), NOW, threshold) == band


def _check(directory: Path, when: datetime, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
           *args: str) -> tuple[int, dict[str, object]]:
    monkeypatch.setattr(cli, "_now", lambda: when)
    code = cli.main(["check", "--keystore", str(directory), "--json", *args])
    return code, json.loads(capsys.readouterr().out)


def test_check_exit_codes_with_an_injected_clock(enrolled: keystore.Identity, keystore_dir: Path,
                                                 monkeypatch: pytest.MonkeyPatch,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    not_after = enrolled.certificate.not_valid_after_utc
    for left, exit_code, band in [(timedelta(days=200), 0, "ok"), (timedelta(days=60), 1, "notice-90"),
                                  (timedelta(days=20), 1, "warning-30"), (timedelta(days=3), 2, "renew-7"),
                                  (-timedelta(days=1), 2, "expired")]:
        code, facts = _check(keystore_dir, not_after - left, monkeypatch, capsys, "--no-renew")
        assert (code, facts["band"], facts["renewed"], facts["new_serial"]) == (exit_code, band, False, None)
        assert facts["device_id"] == "ZM-001" and facts["serial"] == trust.serial_of(enrolled.certificate)
        assert facts["not_after"] == not_after.isoformat().replace("+00:00", "Z")
    assert not renewal.pending_dir(keystore_dir).exists()
    assert cli.main(["check", "--keystore", str(keystore_dir.with_name("nothing")), "--no-renew"]) == 3


def test_check_renews_inside_the_threshold_and_confirms(service: FakeService, keystore_dir: Path,
                                                        monkeypatch: pytest.MonkeyPatch,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    service.device_days = 5
    enroll.enroll(qr_text=service.pair("ZM-001"), code=CODE, directory=keystore_dir, secret=SECRET,
                  now=datetime.now(UTC), device_id="ZM-001")
    old = keystore.load(keystore_dir).certificate
    service.device_days = 365
    monkeypatch.setenv(keystore.PASSPHRASE_ENV, SECRET.decode())
    code, facts = _check(keystore_dir, datetime.now(UTC), monkeypatch, capsys)
    new = keystore.load(keystore_dir).certificate
    assert (code, facts["band"], facts["renewed"], facts["confirmed"]) == (0, "renew-7", True, True), facts
    assert facts["new_serial"] == trust.serial_of(new) != trust.serial_of(old)
    assert new.public_key() != old.public_key() and trust.common_name(new) == "ZM-001"
    assert service.renewals[old.serial_number][1] == new and new.serial_number in service.confirmed
    status = json.loads(zmdevice.ok("status", "--keystore", keystore_dir, "--json", secret=None).stdout)
    assert status["pending"] is None and status["previous"] is None  # revoked on confirm: nothing kept
    assert status["renewal"]["replaces_serial"] == trust.serial_of(old) and status["renewal"]["confirmed_at"]
    assert status["band"] == "ok" and keystore.permission_problems(keystore_dir) == []


def test_a_failing_smoke_test_keeps_the_old_identity_and_the_next_check_finishes(
        service: FakeService, enrolled: keystore.Identity, keystore_dir: Path) -> None:
    service.refuse_new_identity = True
    failed = zmdevice.run("renew", "--keystore", keystore_dir, "--force")
    zmdevice.refused(failed, "failed the mTLS smoke test", "stays active", "stays pending")
    assert keystore.load(keystore_dir).certificate == enrolled.certificate
    status = json.loads(zmdevice.ok("status", "--keystore", keystore_dir, "--json", secret=None).stdout)
    assert status["pending"]["complete"] and status["pending"]["serial"] != status["serial"]
    assert not service.confirmed
    service.refuse_new_identity = False
    checked = zmdevice.run("check", "--keystore", keystore_dir, "--json")
    facts = json.loads(checked.stdout)
    assert checked.returncode == 0 and facts["renewed"] and facts["confirmed"], checked
    assert facts["new_serial"] == status["pending"]["serial"] == trust.serial_of(keystore.load(keystore_dir)
                                                                                  .certificate)
    assert len(service.renewals) == 1  # the pending identity was finished, not renewed again


def test_a_refused_renewal_keeps_the_old_identity(service: FakeService, enrolled: keystore.Identity,
                                                  keystore_dir: Path) -> None:
    service.renewal_refusal = (403, "cert_revoked")
    line = zmdevice.refused(zmdevice.run("renew", "--keystore", keystore_dir, "--force"), "cert_revoked")
    assert "Refused by the test" in line
    assert keystore.load(keystore_dir).certificate == enrolled.certificate
    assert not renewal.pending_dir(keystore_dir).exists()  # the service will never answer it: discarded
    not_due = zmdevice.run("renew", "--keystore", keystore_dir)
    zmdevice.refused(not_due, "days left", "--force")


@pytest.mark.parametrize("step", renewal.STEPS)
def test_sigkill_at_each_step_leaves_one_working_identity(service: FakeService, enrolled: keystore.Identity,
                                                          keystore_dir: Path, step: str) -> None:
    killed = zmdevice.run("renew", "--keystore", keystore_dir, "--force", env={renewal.CRASH_ENV: step})
    assert killed.returncode == -signal.SIGKILL, killed
    active = keystore.load(keystore_dir)  # one active identity, whatever the step
    smoke.smoke_test(keystore_dir, service.url + ".well-known/est/cacerts", secret=SECRET,
                     now=datetime.now(UTC))
    assert not keystore_dir.with_name(keystore_dir.name + ".new").exists()
    swapped = step in ("swapped", "confirmed") or step == "active-moved"
    assert (active.certificate != enrolled.certificate) == swapped
    finished = zmdevice.run("renew", "--keystore", keystore_dir)  # due or not: it finishes what was begun
    assert finished.returncode == 0, finished
    final = keystore.load(keystore_dir).certificate
    assert final != enrolled.certificate and len(service.renewals) == 1, service.renewals
    assert final.serial_number in service.confirmed
    assert not renewal.pending_dir(keystore_dir).exists() and not renewal.previous_dir(keystore_dir).exists()
    smoke.smoke_test(keystore_dir, service.url + ".well-known/est/cacerts", secret=SECRET, now=datetime.now(UTC))


def test_the_threshold_comes_from_the_keystore_and_a_failed_renewal_exits_2(
        service: FakeService, enrolled: keystore.Identity, keystore_dir: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    facts_file = keystore_dir / keystore.PAIRING_FILE
    facts = json.loads(facts_file.read_text())
    keystore.replace_private(facts_file, json.dumps({**facts, "threshold_urgent": 400}).encode())
    code, checked = _check(keystore_dir, datetime.now(UTC), monkeypatch, capsys, "--no-renew")
    assert (code, checked["band"], checked["threshold_days"]) == (2, "renew-7", 400)

    service.renewal_refusal = (403, "cert_revoked")
    monkeypatch.setenv(keystore.PASSPHRASE_ENV, SECRET.decode())
    code, checked = _check(keystore_dir, datetime.now(UTC), monkeypatch, capsys)
    assert (code, checked["renewed"], checked["new_serial"]) == (2, False, None)
    assert "cert_revoked" in str(checked["error"])
    assert keystore.load(keystore_dir).certificate == enrolled.certificate

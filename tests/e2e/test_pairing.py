"""Acceptance, end to end, in both key modes (issue 4): the console prepares the pairing and writes the QR
PNG; ``zmdevice enroll`` reads that PNG with zxing-cpp, pins the real ``zmconsole serve``, proves the code and
installs; ``zmdevice smoke-test`` completes mutual TLS with Debian's nginx (``ssl_verify_client on``, our CA
and CRL); after the console revokes the device and nginx reloads the new CRL, the smoke test fails saying the
certificate was revoked, with the seed's "Reprovision device"."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import Hospital
from tests.support import referees, zmdevice

pytestmark = pytest.mark.slow  # runs zmconsole serve and nginx


@pytest.mark.parametrize(("device_id", "mode_args", "key_source"), [
    ("ZM-001", (), "csr"),
    ("ZM-002", ("--generate-key",), "generated"),
], ids=["device-key", "console-key"])
def test_pair_smoke_test_revoke(hospital: Hospital, device_id: str, mode_args: tuple[str, ...],
                                key_source: str) -> None:
    ticket = hospital.pair(device_id, *mode_args)
    assert ticket["device_id"] == device_id and len(ticket["pairing_code"]) == 8
    keystore = hospital.keystore(device_id)

    paired = hospital.enroll(ticket, keystore)
    assert paired.returncode == 0, str(paired)
    assert paired.stdout.startswith(f"Paired {device_id}: certificate serial ")

    issued = hospital.certificates(device_id)
    assert [c["status"] for c in issued] == ["active"], issued
    assert issued[0]["key_source"] == key_source
    status = zmdevice.ok("status", "--keystore", keystore, "--json", secret=None)
    assert f'"serial": "{issued[0]["serial"]}"' in status.stdout
    verified = referees.verify(keystore / "ca-chain.pem", keystore / "device-cert.pem", purpose="sslclient")
    assert verified.returncode == 0, verified.output

    passed = zmdevice.ok("smoke-test", "--keystore", keystore, "--url", hospital.central.url)
    assert "Smoke test passed" in passed.stdout and "answered HTTP 200" in passed.stdout, str(passed)
    assert f"accepted {device_id}" in passed.stdout

    hospital.revoke(device_id)
    hospital.wait_refused(keystore)
    refused = zmdevice.run("smoke-test", "--keystore", keystore, "--url", hospital.central.url)
    line = zmdevice.refused(refused, "HTTP 400", "the certificate was revoked on", "reason: keyCompromise",
                            "Reprovision device")
    assert issued[0]["serial"] in line
    assert [c["status"] for c in hospital.certificates(device_id)] == ["revoked"]

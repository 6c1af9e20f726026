"""One hospital for the acceptance tests: a console home with its CA (``zmconsole ca init``), the real
provisioning service (``zmconsole serve``), and Debian's nginx as the central server requiring mutual TLS with
the CA's CRL. Made once per session: each test pairs its own devices, so tests do not disturb each other."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.nginx import Nginx, nginx
from tests.support import cli, zmdevice
from tests.support.service import RunningService, running_service
from tests.support.tls import client_context, https_get

KEY_PASSWORD = "nginx key password"
RELOAD_TIMEOUT = 20.0


@dataclass
class Hospital:
    home: Path
    work: Path
    service: RunningService
    central: Nginx
    crl_file: Path

    def console(self, *args: str | Path) -> cli.Result:
        return cli.ok(self.home, *args)

    def pair(self, device_id: str, *args: str) -> dict[str, Any]:
        """``zmconsole device pair ID --url <service> --qr ID.png --json [ARGS]``; adds the PNG's path."""
        qr = self.work / f"{device_id}-{time.monotonic_ns()}.png"
        ticket = self.service.pair(device_id, "--qr", qr, *args)
        return {**ticket, "qr": qr}

    def certificates(self, device_id: str) -> list[dict[str, Any]]:
        """The device's certificates as ``device show --json`` lists them (none for an unknown device)."""
        shown = cli.run(self.home, "device", "show", device_id, "--json")
        return list(json.loads(shown.stdout)["certificates"]) if shown.returncode == 0 else []

    def keystore(self, name: str) -> Path:
        return self.work / "devices" / name

    def enroll(self, ticket: dict[str, Any], keystore: Path, *extra: str | Path) -> zmdevice.Result:
        return zmdevice.run("enroll", "--qr", ticket["qr"], "--keystore", keystore,
                            "--device-id", ticket["device_id"], *extra, code=ticket["pairing_code"])

    def revoke(self, device_id: str) -> None:
        """Revoke in the console, write the CRL for nginx, reload nginx, and wait until it uses the new CRL."""
        self.console("device", "revoke", device_id, "--reason", "lost")
        self.console("crl", "generate", "--out", self.crl_file)
        self.central.reload()

    def wait_refused(self, keystore: Path) -> None:
        """Poll (not assert on time) until nginx's new workers answer this device with 400."""
        context = client_context(keystore / "ca-chain.pem", keystore / "device-cert.pem", keystore / "device-key.pem",
                                 key_password=zmdevice.SECRET)
        deadline = time.monotonic() + RELOAD_TIMEOUT
        status = 0
        while time.monotonic() < deadline:
            status, _ = https_get(self.central.url, context, server_hostname="127.0.0.1")
            if status == 400:
                return
            time.sleep(0.1)
        raise AssertionError(f"nginx still answers {status} after the reload: {self.central.log()}")


@pytest.fixture(scope="session")
def hospital(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Hospital]:
    work = tmp_path_factory.mktemp("hospital")
    home = work / "console"
    cli.ok(home, "ca", "init", "--cn", "Z-Monitor-CA", "--org", "Hospital", "--ou", "IT", "--country", "US",
           "--key", "ec-p384")
    password_file = work / "nginx-key-password"
    password_file.write_text(KEY_PASSWORD + "\n")
    server_dir = work / "nginx-cert"
    cli.ok(home, "server", "issue", "127.0.0.1", "--ip", "127.0.0.1", "--generate-key", "--key", "ec-p256",
           "--key-password-file", password_file, "--out", server_dir)
    crl_file = work / "crl.pem"
    cli.ok(home, "crl", "generate", "--out", crl_file)
    with running_service(home) as service, nginx(
            work / "nginx", cert=server_dir / "127.0.0.1.crt.pem", key=server_dir / "127.0.0.1.key.pem",
            password_file=password_file, ca=server_dir / "ca.crt.pem", crl=crl_file) as central:
        yield Hospital(home, work, service, central, crl_file)


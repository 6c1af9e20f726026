"""``zmdevice`` as a separate process: QR images read by zxing-cpp, status without the secret, every error
one line without a traceback, and the agent importable on a device (no Qt, no console internals, no store)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from tests.device.conftest import CODE
from tests.device.servers import FakeService
from tests.support import zmdevice
from zmconsole.core import qrcodes
from zmconsole.core.profiles import serial_hex
from zmconsole.device import keystore, qr
from zmconsole.device.troubleshooting import DeviceError


def test_enroll_from_a_png_then_status_and_smoke_test_wording(service: FakeService, tmp_path: Path) -> None:
    image = tmp_path / "qr.png"
    qrcodes.save_png(service.pair("ZM-001"), image)
    directory = tmp_path / "keystore"

    paired = zmdevice.ok("enroll", "--qr", image, "--keystore", directory,
                         "--device-id", "ZM-001", code="4072 1937")
    assert paired.stdout.startswith("Paired ZM-001: certificate serial ")
    assert "not hardware-protected" in paired.stdout and paired.stderr == ""

    shown = zmdevice.ok("status", "--keystore", directory, secret=None)  # needs no secret
    for label in ("Device ID", "State", "Serial", "Valid", "Days left", "CA SHA-256", "CRL", "Keystore"):
        assert f"\n{label} " in f"\n{shown.stdout}", shown.stdout
    assert "ZM-001" in shown.stdout and "0700/0600 ok" in shown.stdout and "usable" in shown.stdout

    facts = json.loads(zmdevice.ok("status", "--keystore", directory, "--json", secret=None).stdout)
    identity = keystore.load(directory)
    assert facts["device_id"] == "ZM-001" and facts["state"] == "valid"
    assert facts["serial"] == serial_hex(identity.certificate.serial_number)
    assert facts["ca_fingerprint"] == identity.ca_fingerprint and 360 <= facts["days_left"] <= 365
    assert facts["crl"]["usable"] and facts["crl"]["entries"] == 0 and not facts["crl"]["lists_this_device"]
    assert facts["troubleshooting"] is None and facts["permission_problems"] == []

    nobody = zmdevice.run("smoke-test", "--keystore", directory, "--url", "https://127.0.0.1:1/")
    zmdevice.refused(nobody, "connection refused")


def test_the_secret_from_a_file(service: FakeService, tmp_path: Path) -> None:
    secret = tmp_path / "secret"
    secret.write_text(zmdevice.SECRET + "\n")
    secret.chmod(0o600)
    done = zmdevice.ok("enroll", "--payload", service.pair("ZM-003"), "--keystore",
                       tmp_path / "ks", "--keystore-passphrase-file", secret, secret=None, code=CODE)
    assert f"the secret from the file {secret}" in done.stdout


@pytest.mark.parametrize(("args", "code", "words"), [
    (["enroll", "--payload", "ZMP1:AAAA"], CODE, ["damaged or was altered"]),
    (["enroll", "--payload", "HELLO"], CODE, ["not a Z Monitor pairing code"]),
    (["enroll", "--payload", "ZMP2:AAAA"], CODE, ["protocol version 2", "update the device software"]),
    (["enroll", "--qr", "missing.png"], CODE, ["does not exist"]),
    (["enroll", "--payload", "ZMP1:AAAA"], None, ["pairing code is needed", "--code-file", "ZMDEVICE_CODE"]),
    (["enroll", "--payload", "ZMP1:AAAA", "--code-file", "missing.txt"], None, ["Cannot read the pairing code file"]),
    (["status"], None, ["No device identity is installed"]),
    (["smoke-test", "--url", "http://127.0.0.1/"], None, ["No device identity"]),
])
def test_errors_are_one_line(tmp_path: Path, args: list[str], code: str | None, words: list[str]) -> None:
    zmdevice.refused(zmdevice.run(*args, "--keystore", tmp_path / "keystore", code=code), *words)


def test_the_code_from_a_file(service: FakeService, tmp_path: Path) -> None:
    code_file = tmp_path / "code.txt"
    code_file.write_text(CODE + "\n")
    done = zmdevice.ok("enroll", "--payload", service.pair("ZM-004"), "--code-file", code_file, "--keystore",
                       tmp_path / "ks")
    assert done.stdout.startswith("Paired ZM-004") and done.stderr == ""


def test_the_code_on_the_command_line_still_works_with_a_warning(service: FakeService, tmp_path: Path) -> None:
    done = zmdevice.ok("enroll", "--payload", service.pair("ZM-005"), "--code", CODE, "--keystore", tmp_path / "ks")
    assert done.stdout.startswith("Paired ZM-005")
    assert done.stderr.strip().splitlines() == [
        "zmdevice: warning: --code shows the pairing code to every local user (ps, /proc/PID/cmdline); use "
        "--code-file FILE, $ZMDEVICE_CODE or the prompt instead."]


def test_a_missing_secret_is_refused_before_anything_else(service: FakeService, tmp_path: Path) -> None:
    result = zmdevice.run("enroll", "--payload", service.pair("ZM-001"), "--keystore",
                          tmp_path / "keystore", secret=None, code=CODE)
    zmdevice.refused(result, "keystore secret is missing", keystore.PASSPHRASE_ENV)
    assert service.requests == []


def test_an_image_without_a_qr_code(tmp_path: Path) -> None:
    blank = tmp_path / "blank.png"
    Image.new("L", (300, 300), 255).save(blank)
    zmdevice.refused(zmdevice.run("enroll", "--qr", blank, "--keystore", tmp_path / "ks", code=CODE),
                     "No QR code was found")
    not_an_image = tmp_path / "notes.png"
    not_an_image.write_text("this is text")
    zmdevice.refused(zmdevice.run("enroll", "--qr", not_an_image, "--keystore", tmp_path / "ks", code=CODE),
                     "Cannot read the image")


def test_zxing_reads_back_the_rendered_qr(tmp_path: Path) -> None:
    text = "ZMP1:" + "A" * 300
    image = tmp_path / "qr.png"
    qrcodes.save_png(text, image, scale=3)
    assert qr.read_text(image) == text
    two = tmp_path / "two.png"
    canvas = Image.new("L", (1400, 700), 255)
    canvas.paste(qrcodes.render_image(text, scale=6), (0, 0))
    canvas.paste(qrcodes.render_image(text[:-1] + "B", scale=6), (700, 0))
    canvas.save(two)
    with pytest.raises(DeviceError, match="2 different QR codes"):
        qr.read_text(two)


def test_the_agent_imports_without_qt_the_console_or_the_store() -> None:
    """A monitor has no Qt, no console and no store: importing the agent must not pull them in."""
    probe = (
        "import sys\n"
        "for blocked in ('PySide6', 'zmconsole.gui', 'zmconsole.cli', 'zmconsole.service', 'sqlalchemy'):\n"
        "    sys.modules[blocked] = None  # any import of them now fails\n"
        "import zmconsole.device.cli\n"
        "loaded = sorted(m for m, mod in sys.modules.items() if mod is not None and m.startswith('zmconsole'))\n"
        "print('\\n'.join(loaded))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=False, timeout=60)
    assert done.returncode == 0, done.stderr
    loaded = done.stdout.split()
    assert "zmconsole.device.cli" in loaded
    allowed = {"zmconsole", "zmconsole.core", "zmconsole.core.der", "zmconsole.core.errors", "zmconsole.core.keyfiles",
               "zmconsole.core.keys", "zmconsole.core.names", "zmconsole.core.utc",
               "zmconsole.core.pairing", "zmconsole.core.pairing.bundle", "zmconsole.core.pairing.protocol",
               "zmconsole.core.profiles"}
    assert {m for m in loaded if not m.startswith("zmconsole.device")} <= allowed, loaded

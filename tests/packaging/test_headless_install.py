"""The headless install (issue 11): ``pip install zmconsole`` gives the command line, ``serve`` and
``zmdevice`` without PySide6; the console is the ``gui`` extra, and without it ``zmconsole`` says how to get it.

The built wheel goes into a fresh virtual environment with its declared dependencies only, and the installed
entry points run there: nothing from the test environment leaks in.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from cryptography import x509

from tests.conftest import PASSPHRASE
from tests.packaging.conftest import Built

pytestmark = pytest.mark.slow


@dataclass(frozen=True)
class Venv:
    root: Path

    def bin(self, name: str) -> str:
        return str(self.root / "bin" / name)

    def run(self, *argv: str, home: Path, timeout: float = 180) -> subprocess.CompletedProcess[str]:
        env = {k: v for k, v in os.environ.items()
               if k not in ("PYTHONPATH", "ZMCONSOLE_HOME", "ZMCONSOLE_DATABASE_URL", "VIRTUAL_ENV")}
        env["ZMCONSOLE_PASSPHRASE"] = PASSPHRASE
        return subprocess.run([*argv], capture_output=True, text=True, timeout=timeout, check=False,
                              env=env, cwd=home.parent, stdin=subprocess.DEVNULL)


@pytest.fixture(scope="module")
def headless(built: Built, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Venv]:
    root = tmp_path_factory.mktemp("headless") / "venv"
    subprocess.run(["python3", "-m", "venv", str(root)], check=True, timeout=120)
    venv = Venv(root)
    installed = subprocess.run([venv.bin("python"), "-m", "pip", "install", "-q", "--disable-pip-version-check",
                                str(built.wheel)], capture_output=True, text=True, timeout=900, check=False)
    assert installed.returncode == 0, installed.stderr[-4000:]
    yield venv


def test_the_plain_install_has_no_pyside6(headless: Venv, tmp_path: Path) -> None:
    found = headless.run(headless.bin("python"), "-c",
                         "import importlib.util as u; print(u.find_spec('PySide6'), u.find_spec('shiboken6'))",
                         home=tmp_path / "home")
    assert found.stdout.strip() == "None None", found.stderr


def test_the_command_line_works_without_qt(headless: Venv, tmp_path: Path) -> None:
    home = tmp_path / "home"
    zm = headless.bin("zmconsole")
    made = headless.run(zm, "--home", str(home), "ca", "init", "--cn", "Z-Monitor-CA", "--org", "Hospital",
                        "--country", "US", "--key", "ec-p384", home=home)
    assert made.returncode == 0, made.stderr
    issued = headless.run(zm, "--home", str(home), "device", "issue", "ZM-001", "--generate-key", "--out",
                          str(tmp_path / "out"), home=home)
    assert issued.returncode == 0, issued.stderr
    cert = x509.load_pem_x509_certificate((tmp_path / "out" / "ZM-001.crt.pem").read_bytes())
    assert cert.subject.rfc4514_string().startswith("CN=ZM-001")
    helped = headless.run(headless.bin("zmdevice"), "--help", home=home)
    assert helped.returncode == 0 and "enroll" in helped.stdout, helped.stderr


def test_serve_starts_answers_crl_and_stops(headless: Venv, tmp_path: Path) -> None:
    home = tmp_path / "home"
    zm = headless.bin("zmconsole")
    made = headless.run(zm, "--home", str(home), "ca", "init", "--cn", "Z-Monitor-CA", "--org", "Hospital",
                        "--key", "ec-p384", home=home)
    assert made.returncode == 0, made.stderr
    ready = tmp_path / "ready.json"
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "ZMCONSOLE_HOME")}
    env["ZMCONSOLE_PASSPHRASE"] = PASSPHRASE
    process = subprocess.Popen([zm, "--home", str(home), "serve", "--listen", "127.0.0.1:0", "--http-listen",
                                "127.0.0.1:0", "--ready-file", str(ready)], env=env, stdin=subprocess.DEVNULL,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while not ready.exists():
            assert process.poll() is None, process.communicate()
            assert time.monotonic() < deadline, "the service did not start within 60 s"
            time.sleep(0.1)
        listening = json.loads(ready.read_text())
        with urllib.request.urlopen(f"http://127.0.0.1:{listening['http_port']}/crl", timeout=30) as response:
            body = response.read()
        assert x509.load_der_x509_crl(body).issuer.rfc4514_string().startswith("CN=Z-Monitor-CA")
    finally:
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=30)
    assert process.returncode == 0, stderr


def test_without_the_gui_extra_the_console_says_how_to_install_it(headless: Venv, tmp_path: Path) -> None:
    home = tmp_path / "home"
    opened = headless.run(headless.bin("zmconsole"), "--home", str(home), home=home)
    assert opened.returncode == 1
    assert "Traceback" not in opened.stderr
    [line] = opened.stderr.strip().splitlines()
    assert "pip install 'zmconsole[gui]'" in line and "zmconsole --help" in line

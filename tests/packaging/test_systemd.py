"""packaging/systemd/ (issue 11): the service and the two daily timers pass ``systemd-analyze verify``, the
service is hardened and takes the CA passphrase from a systemd credential, and each unit's command line is one
the installed ``zmconsole`` accepts and runs.

``verify`` needs the executables the units name to exist, so it checks a copy whose
``/opt/zmconsole/bin/zmconsole`` is the console script of the interpreter running the tests.
"""

from __future__ import annotations

import configparser
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import PASSPHRASE
from tests.packaging.conftest import REPO
from tests.support import cli

UNITS = REPO / "packaging" / "systemd"
INSTALLED_EXE = "/opt/zmconsole/bin/zmconsole"
SERVICES = ("zmconsole-serve.service", "zmconsole-crl.service", "zmconsole-check-expiry.service")
TIMERS = ("zmconsole-crl.timer", "zmconsole-check-expiry.timer")
ANALYZE = shutil.which("systemd-analyze")
needs_analyze = pytest.mark.skipif(ANALYZE is None and not os.environ.get("CI"),
                                   reason="systemd-analyze is not installed (scripts/setup.sh --test installs it)")


def unit(name: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None, delimiters=("=",))
    parser.optionxform = str  # type: ignore[assignment, method-assign]
    parser.read_string((UNITS / name).read_text())
    return parser


def values(name: str, section: str, key: str) -> list[str]:
    """Every value of a (repeatable) key, which configparser would otherwise keep only the last of."""
    text = (UNITS / name).read_text()
    body = text.split(f"[{section}]", 1)[1].split("\n[", 1)[0]
    return [m.group(1).strip() for m in re.finditer(rf"^{re.escape(key)}=(.*)$", body, re.M)]


def zmconsole_exe() -> str:
    exe = Path(sys.executable).with_name("zmconsole")
    assert exe.exists(), f"{exe}: install the project (pip install -e .) to run this test"
    return str(exe)


@pytest.fixture(scope="module")
def checked_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("units")
    for name in (*SERVICES, *TIMERS):
        (folder / name).write_text((UNITS / name).read_text().replace(INSTALLED_EXE, zmconsole_exe()))
    return folder


@needs_analyze
def test_systemd_analyze_verify_passes(checked_copy: Path) -> None:
    # --man=no: the units point at man:zmconsole(1), which is installed with the package, not on this machine.
    done = subprocess.run([ANALYZE or "systemd-analyze", "verify", "--man=no",
                           *(str(checked_copy / n) for n in (*SERVICES, *TIMERS))],
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0 and done.stderr.strip() == "", done.stdout + done.stderr


@needs_analyze
def test_the_service_is_hardened_by_systemds_own_measure(checked_copy: Path) -> None:
    done = subprocess.run([ANALYZE or "systemd-analyze", "security", "--offline=yes", "--no-pager",
                           str(checked_copy / "zmconsole-serve.service")],
                          capture_output=True, text=True, timeout=120, check=False)
    found = re.search(r"Overall exposure level for zmconsole-serve.service: ([0-9.]+)", done.stdout)
    assert found, done.stdout + done.stderr
    assert float(found.group(1)) <= 2.0, done.stdout  # systemd rates 0-10; below 2 is "OK"


@pytest.mark.parametrize("name", SERVICES)
def test_each_service_runs_as_its_own_user_read_only_system_no_new_privileges(name: str) -> None:
    service = unit(name)["Service"]
    assert (service["User"], service["Group"]) == ("zmconsole", "zmconsole")
    assert service["NoNewPrivileges"] == "yes"
    assert service["ProtectSystem"] == "strict"
    assert service["StateDirectory"] == "zmconsole" and service["UMask"] == "0077"
    assert values(name, "Service", "Environment") == ["ZMCONSOLE_HOME=/var/lib/zmconsole"]  # no passphrase there
    assert service["ExecStart"].split()[0] == INSTALLED_EXE


@pytest.mark.parametrize("name", ["zmconsole-serve.service", "zmconsole-crl.service"])
def test_the_ca_passphrase_comes_from_a_credential(name: str) -> None:
    service = unit(name)["Service"]
    assert service["LoadCredential"] == "ca-passphrase:/etc/zmconsole/ca-passphrase"
    assert "--passphrase-file %d/ca-passphrase" in service["ExecStart"]
    assert "ZMCONSOLE_PASSPHRASE" not in (UNITS / name).read_text()


@pytest.mark.parametrize("name", TIMERS)
def test_the_timers_are_daily_and_catch_up(name: str) -> None:
    timer = unit(name)
    assert timer["Timer"]["OnCalendar"] == "daily" and timer["Timer"]["Persistent"] == "yes"
    assert timer["Install"]["WantedBy"] == "timers.target"
    assert (UNITS / name.replace(".timer", ".service")).exists()  # the service a timer starts by its name


def run_exec_start(name: str, home: Path, passphrase_file: Path) -> cli.Result:
    """The unit's ExecStart with the test's interpreter, data directory and credential in place of systemd's."""
    argv = shlex.split(unit(name)["Service"]["ExecStart"].replace("%d/ca-passphrase", str(passphrase_file))
                       .replace("/var/lib/zmconsole", str(home)))
    argv = [sys.executable, "-m", "zmconsole", *argv[1:]]
    done = subprocess.run(argv, capture_output=True, text=True, timeout=120, check=False, stdin=subprocess.DEVNULL,
                          env=cli.environment(passphrase=None, extra={"ZMCONSOLE_HOME": str(home)}))
    return cli.Result(tuple(argv), done.returncode, done.stdout, done.stderr)


def test_the_timers_commands_run_with_the_credential_file(tmp_path: Path) -> None:
    home = tmp_path / "state"
    cli.ok(home, "ca", "init", "--cn", "Z-Monitor-CA", "--org", "Hospital", "--key", "ec-p384")
    credential = tmp_path / "credentials" / "ca-passphrase"
    credential.parent.mkdir()
    credential.write_text(PASSPHRASE + "\n")
    crl = run_exec_start("zmconsole-crl.service", home, credential)
    assert crl.returncode == 0, crl
    assert (home / "crl.der").read_bytes()[:1] == b"\x30"  # DER
    assert run_exec_start("zmconsole-crl.service", home, credential).returncode == 0  # daily: replaces it
    checked = run_exec_start("zmconsole-check-expiry.service", home, credential)
    assert checked.returncode == 0 and checked.stdout.startswith("ZMCONSOLE EXPIRY OK"), checked

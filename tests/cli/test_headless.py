"""Qt-free core and CLI (issue 2 "Project skeleton"): no module under zmconsole/core or zmconsole/cli imports
PySide6 (read from the source, and checked by import-linter's contracts), and the CLI commands run in a
process where PySide6 cannot be imported at all."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

import zmconsole
from tests.support import cli

PACKAGE = Path(zmconsole.__file__).resolve().parent
REPO = PACKAGE.parent
QT = ("PySide6", "shiboken6", "PyQt5", "PyQt6")


def imported_modules(path: Path) -> list[tuple[int, str]]:
    """Every module a file imports, at any depth (inside functions and try blocks too)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
    return found


@pytest.mark.parametrize("package", ["core", "cli"])
def test_no_module_imports_qt(package: str) -> None:
    files = sorted((PACKAGE / package).rglob("*.py"))
    assert files
    offenders = [f"{f.relative_to(REPO)}:{line} imports {name}" for f in files for line, name in imported_modules(f)
                 if name.split(".")[0] in QT]
    assert offenders == []


def test_the_core_imports_no_front_end() -> None:
    front_ends = ("zmconsole.gui", "zmconsole.cli", "zmconsole.service", "zmconsole.device")
    offenders = [f"{f.relative_to(REPO)}:{line} imports {name}" for f in sorted((PACKAGE / "core").rglob("*.py"))
                 for line, name in imported_modules(f) if name.startswith(front_ends)]
    assert offenders == []


@pytest.mark.skipif(not (Path(sys.executable).parent / "lint-imports").exists(), reason="import-linter not installed")
def test_import_linter_contracts_are_kept() -> None:
    ran = subprocess.run([str(Path(sys.executable).parent / "lint-imports"), "--no-cache", "--no-logo",
                          str(REPO / "pyproject.toml")], cwd=REPO, capture_output=True, text=True, timeout=120,
                         check=False)
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert "The core imports no Qt and no front end KEPT" in ran.stdout
    assert "0 broken" in ran.stdout


def run_without_qt(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The CLI's main() in a process where ``import PySide6`` raises ImportError."""
    program = (
        "import sys\n"
        "for name in ('PySide6', 'shiboken6'):\n"
        "    sys.modules[name] = None\n"
        "from zmconsole.cli.main import main\n"
        "code = main(sys.argv[1:])\n"
        "loaded = [m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6') and sys.modules[m]]\n"
        "assert not loaded, loaded\n"
        "sys.exit(code)\n"
    )
    return subprocess.run([sys.executable, "-c", program, "--home", str(home), *args], capture_output=True,
                          text=True, timeout=120, check=False, env=cli.environment(), stdin=subprocess.DEVNULL)


def test_the_cli_runs_with_pyside6_unimportable(ca_home: Path, tmp_path: Path) -> None:
    blocked = subprocess.run([sys.executable, "-c", "import sys; sys.modules['PySide6'] = None; import PySide6"],
                             capture_output=True, text=True, check=False)
    assert "import of PySide6 halted" in blocked.stderr  # the block works

    shown = run_without_qt(ca_home, "ca", "show", "--json")
    assert shown.returncode == 0, shown.stderr
    assert json.loads(shown.stdout)["key_type"] == "ec-p384"
    issued = run_without_qt(ca_home, "device", "issue", "ZM-001", "--generate-key", "--key", "ec-p256", "--out",
                            str(tmp_path / "out"))
    assert issued.returncode == 0, issued.stderr
    listed = run_without_qt(ca_home, "device", "list", "--json")
    assert listed.returncode == 0 and json.loads(listed.stdout)[0]["device_id"] == "ZM-001", listed.stderr
    checked = run_without_qt(ca_home, "check-expiry")
    assert checked.returncode == 0 and checked.stdout.startswith("ZMCONSOLE EXPIRY OK"), checked.stderr
    crl = run_without_qt(ca_home, "crl", "generate", "--out", str(tmp_path / "crl.pem"))
    assert crl.returncode == 0, crl.stderr
    verified = run_without_qt(ca_home, "audit", "verify")
    assert verified.returncode == 0, verified.stderr


def test_importing_every_core_and_cli_module_loads_no_qt() -> None:
    modules = [".".join(p.relative_to(REPO).with_suffix("").parts) for pkg in ("core", "cli")
               for p in sorted((PACKAGE / pkg).rglob("*.py")) if "migrations" not in p.parts]
    program = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'PySide6', 'shiboken6'}))\n"
    )
    ran = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, timeout=120, check=False,
                         cwd=Path.home())
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout.strip() == "[]"


def test_without_a_command_and_without_qt_the_console_says_why(ca_home: Path) -> None:
    result = run_without_qt(ca_home)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("zmconsole: the desktop console cannot start") and "zmconsole --help" in line
    assert "pip install 'zmconsole[gui]'" in line

"""Build the standalone console: a PyInstaller one-dir bundle that runs without a Python installation.

    python packaging/bundle.py [--dist DIR] [--smoke]

Makes ``DIR/zmconsole/`` (default ``build/bundle``) with the ``zmconsole`` executable, the interpreter, Qt and
every dependency, and the files the code opens from disk: the Alembic migrations (read as files by Alembic),
the icons and the compiled translations. Copy the folder anywhere and run ``zmconsole/zmconsole``.

``--smoke`` then runs the bundle the way CI does, in a throw-away data directory: ``ca init``, ``device issue
--generate-key``, ``check-expiry``, and ``--demo`` offscreen for a few seconds (``ZMCONSOLE_QUIT_AFTER``).
Needs the ``gui`` extra and PyInstaller (``pip install pyinstaller``).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PACKAGE = REPO / "zmconsole"
PASSPHRASE = "bundle smoke test passphrase"  # noqa: S105 - a throw-away CA in a temporary directory


def build(dist: Path, work: Path) -> Path:
    entry = work / "zmconsole_entry.py"
    entry.parent.mkdir(parents=True, exist_ok=True)
    entry.write_text("import sys\nfrom zmconsole.cli.main import main\nsys.exit(main())\n")
    sep = os.pathsep
    command = [
        sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean", "--onedir", "--name", "zmconsole",
        "--distpath", str(dist), "--workpath", str(work / "pyinstaller"), "--specpath", str(work),
        "--paths", str(REPO),
        # Handlers are imported by name when their command runs (zmconsole.cli.main), so the analysis cannot
        # see them: take the whole package.
        "--collect-submodules", "zmconsole",
        "--collect-data", "zmconsole",  # icons (*.svg), translations (i18n/*.qm), py.typed
        # Alembic reads the migration scripts as files, so they go in as data, .py and all.
        "--add-data", f"{PACKAGE / 'core' / 'migrations'}{sep}zmconsole/core/migrations",
        # Not needed at run time (alembic.testing would pull pytest in).
        "--exclude-module", "tkinter", "--exclude-module", "pytest", "--exclude-module", "alembic.testing",
        "--log-level", "WARN",
        str(entry),
    ]
    subprocess.run(command, check=True, cwd=work)
    exe = dist / "zmconsole" / "zmconsole"
    if not exe.exists():
        raise SystemExit(f"PyInstaller did not produce {exe}")
    return exe


def _run(exe: Path, home: Path, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    done = subprocess.run([str(exe), "--home", str(home), *args], capture_output=True, text=True, env=env,
                          stdin=subprocess.DEVNULL, timeout=300, check=False)
    if done.returncode != 0:
        raise SystemExit(f"bundle: zmconsole {' '.join(args)} exited {done.returncode}\n{done.stdout}\n{done.stderr}")
    return done


def smoke(exe: Path, *, demo_seconds: float = 3.0) -> None:
    """What CI runs from the bundle; prints each step's time."""
    # Nothing from a Python installation: no PYTHONPATH, no PYTHONHOME, no virtual environment.
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV", "ZMCONSOLE_"))}
    env.update({"ZMCONSOLE_PASSPHRASE": PASSPHRASE, "QT_QPA_PLATFORM": "offscreen"})
    with tempfile.TemporaryDirectory(prefix="zmconsole-bundle-") as tmp:
        home = Path(tmp) / "home"
        steps: list[tuple[str, tuple[str, ...], dict[str, str]]] = [
            ("ca init", ("ca", "init", "--cn", "Z-Monitor-CA", "--org", "Hospital", "--key", "ec-p384"), env),
            ("device issue --generate-key", ("device", "issue", "ZM-001", "--generate-key", "--out",
                                             str(Path(tmp) / "out")), env),
            ("check-expiry", ("check-expiry",), env),
            ("--demo", ("--demo",), {**env, "ZMCONSOLE_QUIT_AFTER": str(demo_seconds)}),
        ]
        for label, args, step_env in steps:
            start = time.monotonic()
            done = _run(exe, home, *args, env=step_env)
            print(f"bundle: {label}: ok in {time.monotonic() - start:.1f} s", flush=True)
            if label == "device issue --generate-key" and not (Path(tmp) / "out" / "ZM-001.key.pem").exists():
                raise SystemExit(f"bundle: device issue wrote no key\n{done.stdout}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--dist", type=Path, default=REPO / "build" / "bundle", help="where the bundle goes")
    parser.add_argument("--work", type=Path, default=REPO / "build" / "bundle-work", help="PyInstaller's scratch")
    parser.add_argument("--smoke", action="store_true", help="run the bundle's smoke test after building")
    args = parser.parse_args()
    start = time.monotonic()
    exe = build(args.dist.resolve(), args.work.resolve())
    print(f"bundle: built {exe} in {time.monotonic() - start:.0f} s", flush=True)
    if args.smoke:
        smoke(exe)


if __name__ == "__main__":
    main()

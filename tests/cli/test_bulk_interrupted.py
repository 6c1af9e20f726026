"""An interrupted ``device import-csv`` (issue 8, item 1), killed as an operator's machine kills it.

The bulk import runs as a real process and is killed with SIGKILL at ten random moments in turn, each run
resuming what the last one left. After every kill, every active certificate whose key the console generated
must have that key on disk, encrypted, opening (``openssl pkey``, the referee) with a password that was
known before the first row: printed first, or given with ``--key-password-file``. A last run completes the
batch: every row delivered once, nothing left held, no temporary file left. Ctrl-C stops after the current
row and says truthfully what was done.
"""

from __future__ import annotations

import random
import signal
import subprocess
from contextlib import closing
from pathlib import Path
from typing import IO

from cryptography import x509
from cryptography.hazmat.primitives import serialization

from tests.support import cli, pki, referees, storestate

ROWS = 24
PASSWORD_LINE = "Key password for every key this run writes (shown once; keep it now): "
ACTIVE_GENERATED = ("SELECT c.common_name, c.der FROM certificates c JOIN devices d ON d.current_certificate_id = c.id "
                    "WHERE c.key_source = 'generated' AND c.revoked_at IS NULL AND c.superseded_at IS NULL")


def _csv(tmp_path: Path) -> Path:
    lines = ["device_id,ward,location"] + [f"ZM-{500 + i},ICU,Bed {i}" for i in range(ROWS)]
    return pki.write_text(tmp_path / "ward.csv", "\n".join(lines) + "\n")


def _start(home: Path, csv: Path, out: Path, password_file: Path | None) -> subprocess.Popen[str]:
    args: list[str | Path] = ["device", "import-csv", csv, "--out", out, "--key", "ec-p256"]
    if password_file is not None:
        args += ["--key-password-file", password_file]
    return subprocess.Popen(cli.command(home, args), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=cli.environment(), stdin=subprocess.DEVNULL)


def _wait_for_row(stream: IO[str], row: int) -> None:
    """Read progress lines until row ``row`` is done (or the run ends)."""
    for line in stream:
        if line.startswith("[") and int(line[1:line.index("/")]) >= row:
            return


def _active(home: Path) -> dict[str, x509.Certificate]:
    with closing(storestate.connect(home)) as conn:
        return {cn: x509.load_der_x509_certificate(der) for cn, der in conn.execute(ACTIVE_GENERATED)}


def _public_pem(cert: x509.Certificate) -> str:
    return cert.public_key().public_bytes(serialization.Encoding.PEM,
                                          serialization.PublicFormat.SubjectPublicKeyInfo).decode()


def _key_files(out: Path, name: str) -> list[Path]:
    """The key at its name, or complete under the temporary name of a delivery killed before the rename."""
    return [p for p in [out / f"{name}.key.pem", *out.glob(f".{name}.key.pem.*.tmp")] if p.exists()]


def _opens(key: Path, cert: x509.Certificate, passwords: list[Path]) -> bool:
    for password in passwords:
        ran = referees.openssl("pkey", "-in", key, "-passin", f"file:{password}", "-pubout")
        if ran.returncode == 0:
            assert ran.stdout == _public_pem(cert), key  # the key of this certificate, not another one
            return True
    return False


def _check_every_key_is_on_disk(home: Path, out: Path, passwords: list[Path], opened: set[str]) -> None:
    for name, cert in _active(home).items():
        files = _key_files(out, name)
        assert files, f"{name} is active but its key is nowhere on disk"
        if name not in opened:  # the referee opens each key once (600,000 PBKDF2 rounds each time)
            assert any(_opens(f, cert, passwords) for f in files), f"no known password opens the key of {name}"
            opened.add(name)


def test_sigkill_at_ten_random_moments_never_strands_a_certificate(ca_home: Path, tmp_path: Path) -> None:
    chance = random.Random()
    seed = chance.randrange(1 << 30)
    chance.seed(seed)
    csv, out = _csv(tmp_path), tmp_path / "out"
    passwords: list[Path] = [pki.write_text(tmp_path / "pw-file", "batch password from a file\n")]
    opened: set[str] = set()
    for run in range(10):
        from_file = run % 2 == 1
        proc = _start(ca_home, csv, out, passwords[0] if from_file else None)
        assert proc.stdout is not None and proc.stderr is not None
        if not from_file:  # the password is the first thing printed, before any row is issued
            first = proc.stdout.readline()
            assert first.startswith(PASSWORD_LINE), (seed, first)
            passwords.append(pki.write_text(tmp_path / f"pw-{run}", first.removeprefix(PASSWORD_LINE)))
        _wait_for_row(proc.stderr, chance.randint(0, 3))
        proc.send_signal(signal.SIGKILL)
        proc.communicate(timeout=60)
        _check_every_key_is_on_disk(ca_home, out, passwords, opened)
    # A rerun of the same CSV completes the batch instead of refusing what the killed runs issued.
    done = cli.run(ca_home, "device", "import-csv", csv, "--out", out, "--key", "ec-p256", "--key-password-file",
                   passwords[0])
    assert done.returncode == 0, (seed, str(done))
    assert "refused 0 row(s)" in done.stdout
    active = _active(ca_home)
    assert sorted(active) == [f"ZM-{500 + i}" for i in range(ROWS)]
    assert len(storestate.rows(ca_home, "certificates")) == ROWS  # nothing was issued twice
    assert storestate.rows(ca_home, "held_keys") == []  # every held key was delivered
    assert [p.name for p in out.iterdir() if p.name.endswith(".tmp")] == []
    for name, cert in active.items():
        assert (out / f"{name}.crt.pem").read_bytes() == cert.public_bytes(serialization.Encoding.PEM)
        assert (out / f"{name}.p12").exists()
    _check_every_key_is_on_disk(ca_home, out, passwords, set())


def test_ctrl_c_stops_after_the_row_and_says_what_was_done(ca_home: Path, tmp_path: Path) -> None:
    csv, out = _csv(tmp_path), tmp_path / "out"
    password = pki.write_text(tmp_path / "pw", "batch password from a file\n")
    proc = _start(ca_home, csv, out, password)
    assert proc.stderr is not None
    _wait_for_row(proc.stderr, 2)
    proc.send_signal(signal.SIGINT)
    stdout, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130, (stdout, stderr)
    issued = len(_active(ca_home))
    assert 2 <= issued < ROWS
    assert f"Issued {issued} certificate(s)" in stdout
    assert f"Interrupted after {issued} of {ROWS} row(s)" in stderr
    assert "nothing half-done" not in stderr
    for name in _active(ca_home):
        assert (out / f"{name}.key.pem").exists() and (out / f"{name}.p12").exists()
    again = cli.ok(ca_home, "device", "import-csv", csv, "--out", out, "--key", "ec-p256", "--key-password-file",
                   password)
    assert f"Issued {ROWS - issued} certificate(s)" in again.stdout
    assert f"Skipped {issued} row(s) an earlier run had already delivered" in again.stdout
    assert len(_active(ca_home)) == ROWS

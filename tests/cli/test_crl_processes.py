"""CRL numbers strictly increase across runs and processes (issue 2 "Revocation and CRL"): sequential runs of
``zmconsole crl generate``, and two processes at the same time, never repeat or go back."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from cryptography import x509

from tests.support import cli, storestate


def crl_number(path: Path) -> int:
    crl = x509.load_pem_x509_crl(path.read_bytes())
    return crl.extensions.get_extension_for_class(x509.CRLNumber).value.crl_number


def test_sequential_runs(ca_home: Path, tmp_path: Path) -> None:
    numbers = []
    for n in range(3):
        out = tmp_path / f"crl-{n}.pem"
        result = cli.ok(ca_home, "crl", "generate", "--out", out)
        match = re.match(r"CRL #(\d+):", result.stdout)
        assert match, result.stdout
        assert int(match.group(1)) == crl_number(out)
        numbers.append(crl_number(out))
    assert numbers == [1, 2, 3]


def test_concurrent_processes(ca_home: Path, tmp_path: Path) -> None:
    cli.ok(ca_home, "crl", "generate", "--out", tmp_path / "first.pem")
    outs = [tmp_path / f"parallel-{n}.pem" for n in range(3)]
    processes = [subprocess.Popen(cli.command(ca_home, ["crl", "generate", "--out", out]), env=cli.environment(),
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                  stdin=subprocess.DEVNULL) for out in outs]
    for process in processes:
        _, stderr = process.communicate(timeout=120)
        assert process.returncode == 0, stderr
    numbers = sorted(crl_number(out) for out in outs)
    assert numbers == [2, 3, 4]
    stored = [r["number"] for r in storestate.rows(ca_home, "crls")]
    assert sorted(stored) == [1, 2, 3, 4]
    assert storestate.audit_actions(ca_home).count("crl.generated") == 4
    assert cli.ok(ca_home, "audit", "verify", passphrase=None).returncode == 0

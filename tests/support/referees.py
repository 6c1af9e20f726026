"""Referees we did not write: the OpenSSL command line and pkilint, run as separate processes.

Each wrapper returns what the tool said (exit status and text) so a test can assert on both; none of them
interprets crypto itself.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

OPENSSL = shutil.which("openssl") or "/usr/bin/openssl"
_BIN = Path(sys.executable).parent
BAD_SEVERITIES = ("ERROR", "FATAL")


@dataclass(frozen=True)
class Ran:
    returncode: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


def _run(argv: list[str], *, timeout: float = 60) -> Ran:
    done = subprocess.run(argv, capture_output=True, text=True, timeout=timeout, check=False,
                          stdin=subprocess.DEVNULL)
    return Ran(done.returncode, done.stdout, done.stderr)


def openssl(*args: str | Path) -> Ran:
    return _run([OPENSSL, *map(str, args)])


def verify(ca_file: Path, cert_file: Path, *, crl_file: Path | None = None, purpose: str | None = None) -> Ran:
    """``openssl verify -CAfile``; with ``crl_file`` also ``-crl_check -CRLfile`` (hard-fail revocation)."""
    argv: list[str | Path] = ["verify", "-CAfile", ca_file]
    if crl_file is not None:
        argv += ["-crl_check", "-CRLfile", crl_file]
    if purpose is not None:
        argv += ["-purpose", purpose]
    return openssl(*argv, cert_file)


def open_key(key_file: Path, passphrase_file: Path | None) -> Ran:
    """``openssl pkey`` on an encrypted key; with no passphrase file, an empty one (stdin closed)."""
    passin = f"file:{passphrase_file}" if passphrase_file is not None else "pass:"
    return openssl("pkey", "-in", key_file, "-passin", passin, "-noout", "-text_pub")


def crl_text(crl_file: Path, *, der: bool = False) -> str:
    ran = openssl("crl", "-in", crl_file, "-inform", "DER" if der else "PEM", "-noout", "-text")
    assert ran.returncode == 0, ran.output
    return ran.stdout


@dataclass(frozen=True)
class Finding:
    severity: str
    code: str
    where: str


def _findings(argv: list[str]) -> list[Finding]:
    ran = _run(argv)
    if not ran.stdout.strip():
        raise AssertionError(f"{argv[0]} printed nothing (exit {ran.returncode}): {ran.stderr}")
    report = json.loads(ran.stdout)
    return [Finding(d["severity"], d["code"], r["node_path"])
            for r in report["results"] for d in r["finding_descriptions"]]


def lint_certificate(cert_file: Path) -> list[Finding]:
    """pkilint's RFC 5280 certificate linter (``lint_pkix_cert``), every finding down to INFO."""
    return _findings([str(_BIN / "lint_pkix_cert"), "lint", "-f", "JSON", "-s", "INFO", str(cert_file)])


def lint_crl(crl_file: Path) -> list[Finding]:
    """pkilint's CRL linter with the PKIX profile (``lint_crl -t CRL -p PKIX``)."""
    return _findings([str(_BIN / "lint_crl"), "lint", "-t", "CRL", "-p", "PKIX", "-f", "JSON", "-s", "INFO",
                      str(crl_file)])


def serious(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity in BAD_SEVERITIES]

"""Test PKI material that is slow to make, made once per test process, and small file helpers."""

from __future__ import annotations

import functools
from datetime import UTC, datetime
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import serialization

from tests.conftest import PASSPHRASE
from zmconsole.core import ca, keyfiles, keys, profiles

DATA = Path(__file__).resolve().parent.parent / "data"


@functools.cache
def rsa4096_ca() -> tuple[bytes, bytes]:
    """An RSA-4096 platform CA (certificate PEM, key PEM encrypted under PASSPHRASE), generated once.

    RSA-4096 key generation takes seconds, so every test that needs an RSA CA imports this one
    (through ``ca.import_existing``, the product's own path) instead of making its own.
    """
    subject = ca.build_subject(cn="Z-Monitor-CA", org="Hospital", ou="IT", country="US", state="State")
    key = keys.generate("rsa4096")
    cert = profiles.ca_certificate(key, subject, days=3650, now=datetime.now(UTC))
    return cert.public_bytes(serialization.Encoding.PEM), keyfiles.encrypt_pkcs8(key, PASSPHRASE)


def data(name: str) -> bytes:
    """A committed edge-case input from tests/data (see make_data.py)."""
    return (DATA / name).read_bytes()


def write_pem(path: Path, cert: x509.Certificate | x509.CertificateRevocationList) -> Path:
    path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return path


def write_key(path: Path, key: keys.PrivateKey, password: str) -> Path:
    """A generated key written the way the product writes it: encrypted PKCS#8."""
    path.write_bytes(keyfiles.encrypt_pkcs8(key, password, iterations=1000))
    return path


def write_text(path: Path, text: str) -> Path:
    path.write_text(text)
    return path

"""Looking for private keys stored in the clear: PEM blocks without ENCRYPTED, and DER that loads unencrypted."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from cryptography.hazmat.primitives.serialization import load_der_private_key

_PEM = re.compile(rb"-----BEGIN ([A-Z0-9 ]*)PRIVATE KEY-----")


def _der_candidates(data: bytes) -> Iterator[tuple[int, bytes]]:
    """Every DER SEQUENCE of 64 bytes or more (a P-256 SEC1 key is 121) that fits in ``data``."""
    for match in re.finditer(rb"\x30[\x40-\x7f\x81\x82]", data):
        at = match.start()
        first = data[at + 1]
        width = first & 0x7F if first & 0x80 else 0
        header = 2 + width
        if at + header > len(data):
            continue
        length = int.from_bytes(data[at + 2:at + header], "big") if width else first
        if 64 <= length and at + header + length <= len(data):
            yield at, data[at:at + header + length]


def plain_keys(data: bytes) -> list[str]:
    """Where ``data`` holds a private key that opens without a password (empty: none)."""
    found = [f"PEM '{m.group(0).decode()}' at {m.start()}" for m in _PEM.finditer(data)
             if not m.group(1).startswith(b"ENCRYPTED")]
    for at, candidate in _der_candidates(data):
        try:
            load_der_private_key(candidate, password=None)
        except (ValueError, TypeError):  # not a key, or an encrypted one
            continue
        found.append(f"DER private key at {at}")
    return found


def files(root: Path) -> Iterator[Path]:
    yield from (p for p in sorted(root.rglob("*")) if p.is_file())

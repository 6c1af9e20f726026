"""The keystore vectors of docs/pairing-protocol.md §9.4, checked against the reference implementation: the
PBKDF2 parameters and KEK of ``device-key.pem``, and the daily check's bands and exit codes (§9.3)."""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from tests.device.pki import Pki
from zmconsole.core import keyfiles, keys
from zmconsole.device import renewal

DOC = Path(__file__).resolve().parents[2] / "docs" / "pairing-protocol.md"


def _vectors() -> dict[str, Any]:
    text = DOC.read_text(encoding="utf-8")
    block = text.split("<!-- keystore-vectors:begin -->")[1].split("<!-- keystore-vectors:end -->")[0]
    return dict(json.loads(block.strip().removeprefix("```json").removesuffix("```")))


def _asn1(pem: bytes) -> str:
    return subprocess.run(["openssl", "asn1parse"], input=pem, capture_output=True, check=True).stdout.decode()


def _integers(parsed: str) -> list[int]:
    return [int(h, 16) for h in re.findall(r"prim: INTEGER\s+:([0-9A-F]+)", parsed)]


def test_the_key_encryption_vector() -> None:
    v = _vectors()["keystore_key"]
    assert v["pkcs8_passphrase"] == v["keystore_secret_hex"] and len(bytes.fromhex(v["keystore_secret_hex"])) == 32
    assert v["pbkdf2_iterations"] == keyfiles.PBKDF2_ITERATIONS == 600_000
    kek = hashlib.pbkdf2_hmac("sha256", v["pkcs8_passphrase"].encode("ascii"), bytes.fromhex(v["pbkdf2_salt_hex"]),
                              v["pbkdf2_iterations"], 32)
    assert kek.hex() == v["kek_hex"]
    encrypted = v["device_key_pem_encrypted"].encode()
    parsed = _asn1(encrypted)
    octets = [o.lower() for o in re.findall(r"OCTET STRING\s+\[HEX DUMP\]:([0-9A-F]+)", parsed)]
    assert octets[:2] == [v["pbkdf2_salt_hex"], v["aes_256_cbc_iv_hex"]]
    assert _integers(parsed)[0] == v["pbkdf2_iterations"] and ":hmacWithSHA256" in parsed and ":aes-256-cbc" in parsed
    opened = keyfiles.decrypt_pem(encrypted, v["pkcs8_passphrase"].encode("ascii"), what="the vector key")
    expected = serialization.load_pem_private_key(v["device_private_key_pem"].encode(), None)
    assert isinstance(expected, ec.EllipticCurvePrivateKey)
    assert keys.spki(opened) == keys.spki(expected)


def test_the_agent_writes_keys_with_the_documented_parameters() -> None:
    pem = keyfiles.encrypt_pkcs8(ec.generate_private_key(ec.SECP256R1()), b"0" * 64)
    parsed = _asn1(pem)
    assert ":PBES2" in parsed and ":PBKDF2" in parsed and ":hmacWithSHA256" in parsed and ":aes-256-cbc" in parsed
    assert _integers(parsed)[:2] == [600_000, 32]


def test_the_band_vectors() -> None:
    v = _vectors()["bands"]
    not_after = datetime.fromisoformat(v["not_after"])
    pki = Pki()
    certificate = pki.device("ZM-001", ec.generate_private_key(ec.SECP256R1()).public_key(),
                             not_before=not_after - timedelta(days=400), not_after=not_after)
    for case in v["cases"]:
        now = datetime.fromisoformat(case["now"])
        found = renewal.band(certificate, now, v["threshold_days"])
        assert (renewal.days_left(certificate, now), found, renewal.EXIT_STATUS[found]) == \
            (case["days_left"], case["band"], case["exit"]), case

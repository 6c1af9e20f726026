"""The hand-made DER encoder and reader (zmconsole.core.der), held to X.690 and to what ``cryptography`` and
``openssl asn1parse`` make of the same bytes."""

from __future__ import annotations

from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization

from tests.support import referees
from zmconsole.core import ca, der


@pytest.mark.parametrize(("value", "encoding"), [(0, "020100"), (127, "02017f"), (128, "02020080"),
                                                 (256, "02020100"), (600_000, "02030927c0")])
def test_integers_are_minimal_and_positive(value: int, encoding: str) -> None:
    assert der.integer(value).hex() == encoding
    assert der.read(bytes.fromhex(encoding)).integer() == value


def test_a_negative_integer_is_not_written() -> None:
    with pytest.raises(ValueError, match="non-negative"):
        der.integer(-1)


@pytest.mark.parametrize(("size", "header"), [(0, "0400"), (127, "047f"), (128, "048180"), (300, "0482012c")])
def test_lengths_take_their_shortest_form(size: int, header: str) -> None:
    encoded = der.octet_string(b"\x01" * size)
    assert encoded.hex().startswith(header) and len(encoded) == len(header) // 2 + size
    assert der.read(encoded).body == b"\x01" * size


def test_object_identifiers_match_the_standard_encoding() -> None:
    assert der.oid("2.16.840.1.101.3.4.2.1").hex() == "0609608648016503040201"  # SHA-256, RFC 5754
    assert der.oid("1.2.840.113549.1.5.13").hex() == "06092a864886f70d01050d"  # PBES2, RFC 8018


def test_openssl_reads_what_is_written(tmp_path: Path) -> None:
    written = tmp_path / "structure.der"
    written.write_bytes(der.sequence(der.oid("1.2.840.113549.1.5.12"), der.integer(600_000), der.NULL,
                                     der.octet_string(b"salt")))
    parsed = referees.openssl("asn1parse", "-inform", "DER", "-in", written)
    assert parsed.returncode == 0, parsed.output
    assert "PBKDF2" in parsed.output and "927C0" in parsed.output and "NULL" in parsed.output


def test_the_reader_walks_a_certificate_from_cryptography(unlocked: ca.UnlockedCa) -> None:
    encoded = unlocked.certificate.public_bytes(serialization.Encoding.DER)
    certificate = der.read(encoded).expect(der.SEQUENCE, "Certificate")
    tbs, algorithm, signature = certificate.children()
    assert certificate.encoding == encoded
    assert tbs.encoding == unlocked.certificate.tbs_certificate_bytes
    assert signature.tag == 0x03 and signature.body[1:] == unlocked.certificate.signature
    assert algorithm.children()[0].tag == der.OBJECT_IDENTIFIER


@pytest.mark.parametrize(("encoding", "words"), [
    ("3080", "indefinite"), ("04810100", "shortest"), ("0482007f" + "00" * 127, "shortest"),
    ("0405abcd", "truncated"), ("04", "truncated"), ("040100ff", "after the element"),
    ("1f2200", "31 and above"),
])
def test_the_reader_refuses_what_is_not_der(encoding: str, words: str) -> None:
    with pytest.raises(der.DerError, match=words):
        der.read(bytes.fromhex(encoding))


def test_wrong_tags_and_primitive_children_are_named() -> None:
    with pytest.raises(der.DerError, match="PFX: expected tag 0x30, found 0x04"):
        der.read(der.octet_string(b"")).expect(der.SEQUENCE, "PFX")
    with pytest.raises(der.DerError, match="primitive"):
        der.read(der.integer(1)).children()

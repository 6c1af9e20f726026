"""The one hand-made ASN.1 DER encoder and reader (X.690), for the few structures ``cryptography`` will not build.

Two callers need it: :mod:`.keyfiles` writes the RFC 8018 PBES2 ``EncryptedPrivateKeyInfo`` itself (so the
PBKDF2 work factor is ours, not ``cryptography``'s 2,048), and replaces the MAC of the PKCS#12 files
``cryptography`` makes, which it protects with a fixed 2,048 iterations (RFC 7292 §4). Everything else
(certificates, CSRs, CRLs, OCSP) is read and written by ``cryptography``; code that finds itself needing
DER should come here rather than grow a second encoder.

Only what those structures use: definite lengths, low tag numbers (below 31), non-negative INTEGERs. The
reader is strict DER: indefinite or non-minimal lengths and trailing bytes are refused with
:class:`DerError`, so a caller never acts on a structure it misread.
"""

from __future__ import annotations

from dataclasses import dataclass

INTEGER, OCTET_STRING, NULL_TAG, OBJECT_IDENTIFIER, SEQUENCE = 0x02, 0x04, 0x05, 0x06, 0x30
NULL = bytes([NULL_TAG, 0])


class DerError(ValueError):
    """The bytes are not the DER the caller expected."""


# --- writing ---------------------------------------------------------------------------------------------

def tlv(tag: int, body: bytes) -> bytes:
    """One element: ``tag``, the definite length of ``body`` in its shortest form, ``body``."""
    size = len(body)
    if size < 0x80:
        return bytes([tag, size]) + body
    length = size.to_bytes((size.bit_length() + 7) // 8, "big")
    return bytes([tag, 0x80 | len(length)]) + length + body


def sequence(*parts: bytes) -> bytes:
    return tlv(SEQUENCE, b"".join(parts))


def integer(value: int) -> bytes:
    """A non-negative INTEGER, with the leading zero octet that keeps its top bit clear."""
    if value < 0:
        raise ValueError(f"only non-negative integers are encoded here, not {value}")
    return tlv(INTEGER, value.to_bytes(value.bit_length() // 8 + 1, "big"))


def oid(dotted: str) -> bytes:
    """An OBJECT IDENTIFIER from its dotted form (``1.2.840.113549.1.5.13``)."""
    arcs = [int(a) for a in dotted.split(".")]
    body = bytearray([40 * arcs[0] + arcs[1]])
    for arc in arcs[2:]:
        chunk = [arc & 0x7F]
        arc >>= 7
        while arc:
            chunk.append(0x80 | (arc & 0x7F))
            arc >>= 7
        body.extend(reversed(chunk))
    return tlv(OBJECT_IDENTIFIER, bytes(body))


def octet_string(data: bytes) -> bytes:
    return tlv(OCTET_STRING, data)


# --- reading ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Element:
    """One decoded element: its tag, its content octets and its whole encoding (to copy it unchanged)."""

    tag: int
    body: bytes
    encoding: bytes

    def children(self) -> list[Element]:
        """The elements inside a constructed element (a SEQUENCE, or an explicit ``[n]`` tag)."""
        if not self.tag & 0x20:
            raise DerError(f"element with tag 0x{self.tag:02x} is primitive, it has no elements inside")
        return read_all(self.body)

    def expect(self, tag: int, what: str) -> Element:
        """This element, if it has ``tag``; :class:`DerError` naming ``what`` otherwise."""
        if self.tag != tag:
            raise DerError(f"{what}: expected tag 0x{tag:02x}, found 0x{self.tag:02x}")
        return self

    def integer(self) -> int:
        """The value of an INTEGER (two's complement, so negative values read as such)."""
        self.expect(INTEGER, "INTEGER")
        if not self.body:
            raise DerError("INTEGER: no content octets")
        return int.from_bytes(self.body, "big", signed=True)


def _one(data: bytes, offset: int) -> tuple[Element, int]:
    if len(data) - offset < 2:
        raise DerError("truncated: no room for a tag and a length")
    tag, first = data[offset], data[offset + 1]
    if tag & 0x1F == 0x1F:
        raise DerError("tag numbers of 31 and above are not used by the structures read here")
    start = offset + 2
    if first < 0x80:
        size = first
    else:
        count = first & 0x7F
        if count == 0:
            raise DerError("indefinite length (BER), not DER")
        length = data[start:start + count]
        if len(length) != count:
            raise DerError("truncated length")
        size, start = int.from_bytes(length, "big"), start + count
        if size < 0x80 or length[0] == 0:
            raise DerError("length not in its shortest form (not DER)")
    end = start + size
    if end > len(data):
        raise DerError(f"truncated: the element claims {size} bytes, {len(data) - start} remain")
    return Element(tag, data[start:end], data[offset:end]), end


def read_all(data: bytes) -> list[Element]:
    """The consecutive elements that exactly fill ``data``."""
    elements, offset = [], 0
    while offset < len(data):
        element, offset = _one(data, offset)
        elements.append(element)
    return elements


def read(data: bytes) -> Element:
    """Exactly one element filling ``data``; trailing bytes are an error."""
    element, end = _one(data, 0)
    if end != len(data):
        raise DerError(f"{len(data) - end} bytes after the element")
    return element

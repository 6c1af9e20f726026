"""Fuzzing the parsers that read what a stranger sends: CSRs, pairing QR text, HTTP requests, OCSP requests.

Each parser gets valid inputs damaged by hypothesis (bytes flipped, inserted, deleted, truncated) and plain
noise, and may answer only with a result or its documented refusal: a ``ZmError`` for the CSR and QR
parsers, ``http.RequestError``/``http.Idle`` for the HTTP reader, ``ocsp.Refused`` for the OCSP reader.
Any other exception fails the test. Runs are bounded (``max_examples``, a per-example ``deadline``) and
derandomised, so CI sees the same examples every time; ``ZM_FUZZ_EXAMPLES`` raises the count for a
longer local run.
"""

from __future__ import annotations

import asyncio
import base64
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509 import ocsp as x509_ocsp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.support import storestate
from zmconsole.core import ca, der, issuance, ocsp, policy
from zmconsole.core.errors import ZmError
from zmconsole.core.pairing import protocol as pairing_protocol
from zmconsole.core.store import Store
from zmconsole.service import http

DATA = Path(__file__).parent.parent / "data"
EXAMPLES = int(os.environ.get("ZM_FUZZ_EXAMPLES", "300"))
FUZZ = settings(max_examples=EXAMPLES, deadline=timedelta(seconds=2), derandomize=True, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@st.composite
def damaged(draw: st.DrawFn, valid: bytes) -> bytes:
    """``valid`` with a few bytes replaced, inserted or deleted, and perhaps cut short."""
    data = bytearray(valid)
    for _ in range(draw(st.integers(0, 8))):
        at = draw(st.integers(0, len(data)))
        edit = draw(st.sampled_from(["replace", "insert", "delete"]))
        byte = draw(st.integers(0, 255))
        if edit == "insert" or at == len(data):
            data.insert(at, byte)
        elif edit == "replace":
            data[at] = byte
        else:
            del data[at]
    if draw(st.booleans()):
        data = data[:draw(st.integers(0, len(data)))]
    return bytes(data)


def _value_spans(data: bytes, base: int = 0) -> list[tuple[int, int]]:
    """(offset, length) of each primitive DER value in ``data`` (read by core/der.py), looking inside OCTET
    and BIT STRINGs that hold DER too (extension values, keys)."""
    spans: list[tuple[int, int]] = []
    at = base
    for element in der.read_all(data):
        body = at + len(element.encoding) - len(element.body)
        if element.tag & 0x20:
            spans += _value_spans(element.body, body)
        else:
            spans.append((body, len(element.body)))
            skip = 1 if element.tag == 0x03 else 0  # a BIT STRING's unused-bits octet
            if element.tag in (0x03, 0x04) and len(element.body) > 2:
                try:
                    spans += _value_spans(element.body[skip:], body + skip)
                except der.DerError:
                    pass
        at += len(element.encoding)
    return spans


@st.composite
def value_damaged(draw: st.DrawFn, valid: bytes) -> bytes:
    """``valid`` DER with one value changed and every length kept, so the damage gets past the DER reader to
    what reads the values (an OID, a curve, a string's encoding, a serial's sign)."""
    offset, size = draw(st.sampled_from([span for span in _value_spans(valid) if span[1]]))
    data = bytearray(valid)
    if draw(st.booleans()):
        data[offset + draw(st.integers(0, size - 1))] = draw(st.sampled_from([0x00, 0x01, 0x7F, 0x80, 0xFF,
                                                                              draw(st.integers(0, 255))]))
    else:
        data[offset:offset + size] = draw(st.binary(min_size=size, max_size=size))
    return bytes(data)


def inputs(*valid: bytes, der: bool = False) -> st.SearchStrategy[bytes]:
    """Damaged copies of ``valid`` (values changed in place too, for DER), and noise."""
    choices = [st.sampled_from(valid).flatmap(damaged), st.binary(max_size=2048)]
    if der:
        choices.append(st.sampled_from(valid).flatmap(value_damaged))
    return st.one_of(choices)


# --- the CSR parser and policy checks (core/policy.py) ------------------------------------------------------

CSR_DER = (DATA / "good_zm001.csr.der").read_bytes()
CA_SUBJECT = ca.build_subject(cn="Z-Monitor-CA", org="Hospital", ou="IT", country="US")


def _pem(der: bytes) -> bytes:
    return b"-----BEGIN CERTIFICATE REQUEST-----\n" + base64.encodebytes(der) + b"-----END CERTIFICATE REQUEST-----\n"


@FUZZ
@given(data=st.one_of(inputs(CSR_DER, der=True), inputs(CSR_DER, der=True).map(_pem), inputs(_pem(CSR_DER))))
def test_the_csr_checks_refuse_damaged_requests_cleanly(data: bytes) -> None:
    try:
        csr = policy.load_csr(data)
        for ca_subject in (CA_SUBJECT, None):  # the whole subject (device issue), or its CN only (EST pairing)
            policy.check_csr(csr, common_name="ZM-001", expected_names=["zm-001.devices.example"],
                             ca_subject=ca_subject)
    except ZmError:
        pass


# --- the pairing QR payload (core/pairing_protocol.py) --------------------------------------------------------

_SIGNER = ec.generate_private_key(ec.SECP256R1())
QR_TEXT = pairing_protocol.build_payload(
    device_id="ZM-001", provisioning_url="https://provisioning.hospital.example:8443/", token=bytes(range(16)),
    expires_at=datetime(2030, 1, 1, tzinfo=UTC), ca_fingerprint=bytes(32),
    key_mode=pairing_protocol.KeyMode.DEVICE_KEY, signer_key=_SIGNER)
_QR_BODY = QR_TEXT.removeprefix(pairing_protocol.QR_PREFIX)
QR_RAW = base64.b32decode(_QR_BODY + "=" * (-len(_QR_BODY) % 8))  # damaged below the base32, to reach the fields


def _qr(raw: bytes) -> str:
    return pairing_protocol.QR_PREFIX + base64.b32encode(raw).decode().rstrip("=")


@FUZZ
@given(text=st.one_of(inputs(QR_TEXT.encode()).map(lambda b: b.decode("latin-1")), inputs(QR_RAW).map(_qr),
                      st.text(max_size=300)))
def test_the_qr_payload_parser_refuses_damaged_codes_cleanly(text: str) -> None:
    try:
        payload = pairing_protocol.decode_payload(text)
    except ZmError:
        return
    try:
        pairing_protocol.verify_payload(payload, _SIGNER.public_key(), expected_device_id="ZM-001",
                                        now=datetime(2029, 1, 1, tzinfo=UTC))
    except ZmError:
        pass


# --- the HTTP request reader (service/http.py) -----------------------------------------------------------------

REQUESTS = (
    b"GET /crl HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n\r\n",
    b"HEAD /crl HTTP/1.0\r\n\r\n",
    b"POST /.well-known/est/simpleenroll HTTP/1.1\r\nHost: a\r\nContent-Type: application/pkcs10\r\n"
    b"ZM-Device-Id: ZM-001\r\nZM-Enrollment-Token: 00112233445566778899aabbccddeeff\r\n"
    b"Content-Length: 12\r\n\r\nTUlJQ0F6Q0NB",
)


async def _read(data: bytes) -> http.Request:
    reader = asyncio.StreamReader()
    reader.feed_data(data)
    reader.feed_eof()
    async with asyncio.timeout(5):
        return await http.read_request(reader, "192.0.2.1", first_byte_timeout=1)


@FUZZ
@given(data=st.one_of(inputs(*REQUESTS), st.sampled_from(REQUESTS).flatmap(lambda r: st.integers(0, len(r)).map(
    lambda n: r[:n])), st.lists(st.sampled_from(
    [b"GET ", b"/crl", b" HTTP/1.1", b"\r\n", b"\n", b"\r", b"Host: a", b"Content-Length: 5", b": ", b"\x00",
     b"\t", b" ", b"Transfer-Encoding: chunked", b"x" * 5000, b"\xff"]), max_size=40).map(b"".join)))
def test_the_http_reader_answers_every_request_or_refuses_it(data: bytes) -> None:
    try:
        request = asyncio.run(_read(data))
    except http.RequestError as refused:
        assert refused.response.status in (400, 413), refused.response
        refused.response.encode()
    except http.Idle:
        assert data == b""
    else:
        assert request.method and request.target.startswith("/")
        assert all(32 <= ord(ch) < 127 or ch == "\t" for value in request.headers.values() for ch in value)


# --- the OCSP request reader (core/ocsp.py) ---------------------------------------------------------------------

def _ocsp_request(nonce: bytes | None, algorithm: hashes.HashAlgorithm) -> bytes:
    builder = x509_ocsp.OCSPRequestBuilder().add_certificate_by_hash(
        b"\x01" * algorithm.digest_size, b"\x02" * algorithm.digest_size, 0x1234567890ABCDEF, algorithm)
    if nonce is not None:
        builder = builder.add_extension(x509.OCSPNonce(nonce), critical=False)
    return builder.build().public_bytes(serialization.Encoding.DER)


OCSP_REQUESTS = (_ocsp_request(None, hashes.SHA1()), _ocsp_request(b"n" * 16, hashes.SHA256()),
                 _ocsp_request(b"n" * 40, hashes.SHA1()))


@FUZZ
@given(data=inputs(*OCSP_REQUESTS, der=True))
def test_the_ocsp_reader_answers_every_request_or_refuses_it(data: bytes) -> None:
    try:
        query = ocsp.parse_request(data)
    except ocsp.Refused as refused:
        assert refused.status in (x509_ocsp.OCSPResponseStatus.MALFORMED_REQUEST,
                                  x509_ocsp.OCSPResponseStatus.UNAUTHORIZED)
    else:
        assert query.serial >= 0
        assert query.nonce is None or 1 <= len(query.nonce) <= ocsp.MAX_NONCE_OCTETS


@pytest.mark.parametrize("valid", OCSP_REQUESTS)
def test_the_undamaged_ocsp_requests_are_read(valid: bytes) -> None:
    assert ocsp.parse_request(valid).serial == 0x1234567890ABCDEF


# --- what the fuzzing found, kept as plain cases --------------------------------------------------------------

FOUND = {
    "version 2": CSR_DER.replace(b"\x02\x01\x00", b"\x02\x01\x01", 1),
    "unknown key type": CSR_DER.replace(b"\x06\x07\x2a\x86\x48\xce\x3d\x02\x01", b"\x06\x07" + bytes(7), 1),
    "unknown curve": CSR_DER.replace(b"\x2a\x86\x48\xce\x3d\x03\x01\x07", b"\x2a\x86\x48\xce\x3d\x03\x01\x09", 1),
    "subject not UTF-8": CSR_DER.replace(b"Hospital", b"Hospita\xff", 1),
}


@pytest.mark.parametrize("damage", list(FOUND))
def test_csrs_the_fuzzing_found_are_refused_with_a_message(damage: str, home: Path, store: Store,
                                                           unlocked: ca.UnlockedCa) -> None:
    assert FOUND[damage] != CSR_DER
    before, audit_before = storestate.snapshot(home), storestate.audit_actions(home)
    with pytest.raises(ZmError) as refused:
        issuance.issue_device(store, unlocked, "ZM-001", csr=FOUND[damage])
    assert "CSR" in str(refused.value)
    assert storestate.snapshot(home) == before
    assert storestate.audit_actions(home) == audit_before

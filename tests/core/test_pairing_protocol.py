"""Tests for the pairing protocol: payload, code proof, sealed keys, bundles, and the spec's vectors."""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import hmac
import inspect
import json
import re
import shutil
import struct
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature, encode_dss_signature

from zmconsole.core.errors import ZmError
from zmconsole.core.pairing import bundle as pb
from zmconsole.core.pairing import protocol as pp
from zmconsole.core.pairing.protocol import KeyMode, PayloadError, ProofPurpose

ROOT = Path(__file__).resolve().parents[2]
VECTORS = Path(__file__).resolve().parent / "vectors" / "pairing.json"
SPEC = ROOT / "docs" / "pairing-protocol.md"

NOW = datetime(2025, 12, 1, 10, 0, tzinfo=UTC)
EXPIRES = NOW + pp.DEFAULT_TOKEN_LIFETIME
URL = "https://provisioning.hospital.example:8443/"
FINGERPRINT = hashlib.sha256(b"platform CA certificate DER").digest()
TOKEN = bytes(range(16))
FAST = {"n": 2**10, "r": 8, "p": 1}  # scrypt parameters for speed; the vectors use the defaults


@pytest.fixture(scope="module")
def signer() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


def build(signer: ec.EllipticCurvePrivateKey, **changes: Any) -> str:
    fields: dict[str, Any] = {
        "device_id": "ZM-001",
        "provisioning_url": URL,
        "token": TOKEN,
        "expires_at": EXPIRES,
        "ca_fingerprint": FINGERPRINT,
        "key_mode": KeyMode.DEVICE_KEY,
        "signer_key": signer,
    }
    fields.update(changes)
    return pp.build_payload(**fields)


def sign_raw(key: ec.EllipticCurvePrivateKey, message: bytes) -> bytes:
    """Sign independently of the module (randomized ECDSA) to forge well-signed but bad payloads."""
    r, s = decode_dss_signature(key.sign(message, ec.ECDSA(hashes.SHA256())))
    return r.to_bytes(32, "big") + s.to_bytes(32, "big")


def forge(key: ec.EllipticCurvePrivateKey, device: bytes, authority: bytes, mode: int = 1) -> str:
    """A correctly signed payload with arbitrary field bytes, laid out as the spec says."""
    key_id = pp.signer_key_id(key.public_key())
    body = struct.pack(">BI16s32s8s", mode, int(EXPIRES.timestamp()), TOKEN, FINGERPRINT, key_id)
    body += bytes([len(device)]) + device + bytes([len(authority)]) + authority
    signature = sign_raw(key, b"zmconsole/pairing/v1/payload\x00" + body)
    return "ZMP1:" + base64.b32encode(body + signature).decode().rstrip("=")


# --- payload ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("mode", list(KeyMode))
def test_payload_round_trips(signer: ec.EllipticCurvePrivateKey, mode: KeyMode) -> None:
    text = build(signer, key_mode=mode, expires_at=EXPIRES + timedelta(microseconds=999_999))
    assert re.fullmatch(r"ZMP1:[A-Z2-7]+", text)
    payload = pp.verify_payload(pp.decode_payload(text), signer.public_key(), expected_device_id="ZM-001", now=NOW)
    assert payload.device_id == "ZM-001"
    assert payload.provisioning_url == URL
    assert payload.token == TOKEN
    assert payload.expires_at == EXPIRES  # rounded down to the second
    assert payload.ca_fingerprint == FINGERPRINT
    assert payload.key_mode is mode
    assert payload.signer_key_id == pp.signer_key_id(signer.public_key())
    assert TOKEN.hex() not in repr(payload)


def test_scanner_whitespace_is_ignored(signer: ec.EllipticCurvePrivateKey) -> None:
    assert pp.decode_payload(build(signer) + "\r\n").device_id == "ZM-001"


def test_signing_is_deterministic(signer: ec.EllipticCurvePrivateKey) -> None:
    assert build(signer) == build(signer)


@pytest.mark.parametrize("text", ["", "HELLO", "https://provisioning.hospital.example/", "zmp1:AAAA", "ZMP:AAAA"])
def test_rejects_text_that_is_not_ours(text: str) -> None:
    with pytest.raises(PayloadError, match=r"not a Z Monitor pairing code .* scan the code shown"):
        pp.decode_payload(text)


def test_rejects_unsupported_version(signer: ec.EllipticCurvePrivateKey) -> None:
    text = build(signer).replace("ZMP1:", "ZMP2:")
    with pytest.raises(PayloadError, match="protocol version 2, which this device does not support"):
        pp.decode_payload(text)


@pytest.mark.parametrize("body", ["AAAAAAA1", "AAAAAAAa", "AAAA AAAA", "AAAAAAAA=", "A", "AAA", "AAAAAA"])
def test_rejects_bad_base32(body: str) -> None:
    with pytest.raises(PayloadError, match="damaged or was altered"):
        pp.decode_payload("ZMP1:" + body)


def test_rejects_wrong_length(signer: ec.EllipticCurvePrivateKey) -> None:
    text = build(signer)
    raw = base64.b32decode(text[5:] + "=" * (-len(text[5:]) % 8))

    def encode(data: bytes) -> str:
        return "ZMP1:" + base64.b32encode(data).decode().rstrip("=")

    for shorter in (raw[:-1], raw[:-64], raw[:70], raw[:10]):
        with pytest.raises(PayloadError, match=r"fewer than any valid|length fields"):
            pp.decode_payload(encode(shorter))
    with pytest.raises(PayloadError, match="length fields"):
        pp.decode_payload(encode(raw + b"\x00"))


def test_any_changed_character_is_rejected(signer: ec.EllipticCurvePrivateKey) -> None:
    text = build(signer)
    for index in range(len(text)):
        for replacement in {"A", "B", "Q", "7"} - {text[index]}:
            changed = text[:index] + replacement + text[index + 1 :]
            with pytest.raises(PayloadError):
                pp.verify_payload(pp.decode_payload(changed), signer.public_key(), expected_device_id="ZM-001", now=NOW)


def test_unused_bits_of_the_last_character_count(signer: ec.EllipticCurvePrivateKey) -> None:
    text = build(signer)
    assert (len(text) - 5) % 8 != 0, "the fixture should leave unused bits in the last character"
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
    last = alphabet.index(text[-1])
    for flip in (1, 2):
        with pytest.raises(PayloadError, match="last character"):
            pp.decode_payload(text[:-1] + alphabet[last ^ flip])


def test_signature_by_another_key_with_the_same_key_id_is_rejected(
    signer: ec.EllipticCurvePrivateKey,
) -> None:
    payload = pp.decode_payload(build(signer))
    other = ec.generate_private_key(ec.SECP256R1())
    forged = dataclasses.replace(payload, signature=sign_raw(other, payload.signed_message))
    with pytest.raises(PayloadError, match="signature does not verify"):
        pp.verify_payload(forged, signer.public_key(), expected_device_id="ZM-001", now=NOW)
    for bad in (b"\x00" * 64, b"\xff" * 64, payload.signature[:63]):
        with pytest.raises(PayloadError, match="signature does not verify"):
            pp.verify_payload(
                dataclasses.replace(payload, signature=bad),
                signer.public_key(),
                expected_device_id="ZM-001",
                now=NOW,
            )


def test_the_signer_key_must_match_the_key_id(signer: ec.EllipticCurvePrivateKey) -> None:
    payload = pp.decode_payload(build(signer))
    other = ec.generate_private_key(ec.SECP256R1()).public_key()
    with pytest.raises(PayloadError, match="fetch the signer certificate"):
        pp.verify_payload(payload, other, expected_device_id="ZM-001", now=NOW)


def test_expired_payload_is_rejected(signer: ec.EllipticCurvePrivateKey) -> None:
    payload = pp.decode_payload(build(signer))
    key = signer.public_key()
    pp.verify_payload(payload, key, expected_device_id="ZM-001", now=EXPIRES - timedelta(seconds=1))
    for now in (EXPIRES, EXPIRES + timedelta(days=1)):
        with pytest.raises(PayloadError, match=r"expired at 2025-12-01 10:30:00 UTC .* new pairing code"):
            pp.verify_payload(payload, key, expected_device_id="ZM-001", now=now)


def test_device_id_mismatch_is_rejected(signer: ec.EllipticCurvePrivateKey) -> None:
    payload = pp.decode_payload(build(signer))
    with pytest.raises(PayloadError, match="for ZM-001, but this device is ZM-002"):
        pp.verify_payload(payload, signer.public_key(), expected_device_id="ZM-002", now=NOW)
    with pytest.raises(PayloadError, match="but this device is zm-001"):
        pp.verify_payload(payload, signer.public_key(), expected_device_id="zm-001", now=NOW)


@pytest.mark.parametrize(
    ("device", "authority", "reason"),
    [
        (b"ZM-001", b"http://evil.example", "a field is invalid"),
        (b"ZM-001", b"evil.example/path", "a field is invalid"),
        (b"ZM-001", b"Evil.Example", "not in canonical form"),
        (b"ZM 001", b"provisioning.example", "a field is invalid"),
        ("ZM-\u00e9".encode(), b"provisioning.example", "a field is invalid"),
    ],
)
def test_signed_but_invalid_fields_are_rejected(
    signer: ec.EllipticCurvePrivateKey, device: bytes, authority: bytes, reason: str
) -> None:
    with pytest.raises(PayloadError, match=reason):
        pp.decode_payload(forge(signer, device, authority))


def test_unknown_key_mode_is_rejected(signer: ec.EllipticCurvePrivateKey) -> None:
    assert pp.decode_payload(forge(signer, b"ZM-001", b"p.example", mode=2)).key_mode is KeyMode.CONSOLE_KEY
    for mode in (0, 3, 255):
        with pytest.raises(PayloadError, match="a field is invalid"):
            pp.decode_payload(forge(signer, b"ZM-001", b"p.example", mode=mode))


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        ("https://provisioning.hospital.example:8443", "https://provisioning.hospital.example:8443/"),
        ("https://Provisioning.Hospital.EXAMPLE/", "https://provisioning.hospital.example/"),
        ("https://10.20.30.40:8443/", "https://10.20.30.40:8443/"),
        ("https://[fd00::1]:8443/", "https://[fd00::1]:8443/"),
    ],
)
def test_provisioning_url_is_canonicalised(url: str, canonical: str) -> None:
    assert pp.check_provisioning_url(url) == canonical


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://provisioning.hospital.example/", "must use https"),
        ("ftp://provisioning.hospital.example/", "must use https"),
        ("provisioning.hospital.example", "must use https"),
        ("https://user@provisioning.hospital.example/", "must be just https://host"),
        ("https://provisioning.hospital.example/est", "must be just https://host"),
        ("https://provisioning.hospital.example/?a=b", "must be just https://host"),
        ("https://provisioning.hospital.example:0/", "must be just https://host"),
        ("https://provisioning.hospital.example:99999/", "not a valid URL"),
        ("https://provisioning.h\u00f4pital.example/", "punycode"),
        ("https://" + "a" * 48 + "/", "at most 56"),
    ],
)
def test_bad_provisioning_urls_are_refused(signer: ec.EllipticCurvePrivateKey, url: str, reason: str) -> None:
    with pytest.raises(PayloadError, match=reason):
        build(signer, provisioning_url=url)


def test_length_limits_are_enforced(signer: ec.EllipticCurvePrivateKey) -> None:
    longest_url = "https://" + "a" * (pp.MAX_URL_LENGTH - 9) + "/"
    text = build(signer, device_id="Z" * pp.MAX_DEVICE_ID_LENGTH, provisioning_url=longest_url)
    assert pp.decode_payload(text).provisioning_url == longest_url
    with pytest.raises(PayloadError, match="Device ID 'ZZZZZZZZZZZZZZZZZ' cannot be paired"):
        build(signer, device_id="Z" * (pp.MAX_DEVICE_ID_LENGTH + 1))
    for device_id in ("", "-ZM", "ZM 001", "ZM/001", "ZM-\u00e9"):
        with pytest.raises(PayloadError, match="cannot be paired"):
            pp.check_device_id(device_id)


def test_programming_errors_are_plain_value_errors(signer: ec.EllipticCurvePrivateKey) -> None:
    with pytest.raises(ValueError, match="timezone-aware") as caught:
        build(signer, expires_at=EXPIRES.replace(tzinfo=None))
    assert not isinstance(caught.value, PayloadError)
    with pytest.raises(ValueError, match="token must be 16 bytes"):
        build(signer, token=b"short")
    with pytest.raises(ValueError, match="P-256"):
        build(signer, signer_key=ec.generate_private_key(ec.SECP384R1()))
    payload = pp.decode_payload(build(signer))
    with pytest.raises(ValueError, match="timezone-aware"):
        pp.verify_payload(payload, signer.public_key(), expected_device_id="ZM-001", now=datetime(2025, 1, 1))


def test_payload_error_is_a_project_error() -> None:
    assert issubclass(PayloadError, ZmError) and issubclass(PayloadError, ValueError)


# --- tokens and pairing codes ------------------------------------------------------------------------


def test_tokens_are_128_bit_and_fresh() -> None:
    tokens = {pp.new_token() for _ in range(100)}
    assert len(tokens) == 100 and all(len(t) == 16 for t in tokens)


def test_pairing_codes_are_8_digits_and_fresh() -> None:
    codes = [pp.new_pairing_code() for _ in range(200)]
    assert all(re.fullmatch(r"[0-9]{8}", code) for code in codes)
    assert len(set(codes)) > 190
    assert {code[0] for code in codes} >= set("0123456789")  # leading zeros are kept


def test_pairing_code_normalisation() -> None:
    assert pp.normalize_pairing_code("1234 5678") == "12345678"
    assert pp.normalize_pairing_code("1234-5678") == "12345678"
    assert pp.format_pairing_code("01234567") == "0123 4567"
    for bad in ("1234567", "123456789", "abcdefgh", "\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668"):
        with pytest.raises(PayloadError, match="must be 8 digits"):
            pp.normalize_pairing_code(bad)


# --- code keys and proof -----------------------------------------------------------------------------


def test_code_keys_depend_on_every_input() -> None:
    keys = pp.derive_code_keys(TOKEN, "ZM-001", "12345678", **FAST)
    assert len(keys.auth_key) == len(keys.enc_key) == 32 and keys.auth_key != keys.enc_key
    assert pp.derive_code_keys(TOKEN, "ZM-001", "1234 5678", **FAST) == keys
    assert pp.derive_code_keys(TOKEN, "ZM-001", "12345679", **FAST) != keys
    assert pp.derive_code_keys(bytes(16), "ZM-001", "12345678", **FAST) != keys
    assert pp.derive_code_keys(TOKEN, "ZM-002", "12345678", **FAST) != keys
    assert keys.auth_key.hex() not in repr(keys)


def test_scrypt_defaults_are_the_documented_ones() -> None:
    defaults = inspect.signature(pp.derive_code_keys).parameters
    assert (defaults["n"].default, defaults["r"].default, defaults["p"].default) == (2**15, 8, 1)


def test_code_proof_binds_the_request() -> None:
    keys = pp.derive_code_keys(TOKEN, "ZM-001", "12345678", **FAST)
    request: dict[str, Any] = {"purpose": ProofPurpose.ENROLL, "token": TOKEN, "device_id": "ZM-001", "body": b"csr"}
    proof = pp.make_code_proof(keys.auth_key, **request)
    assert pp.verify_code_proof(keys.auth_key, proof, **request)
    wrong_code = pp.derive_code_keys(TOKEN, "ZM-001", "12345679", **FAST)
    assert not pp.verify_code_proof(wrong_code.auth_key, proof, **request)
    assert not pp.verify_code_proof(keys.auth_key, proof[:16], **request)
    for change in (
        {"purpose": ProofPurpose.BUNDLE},
        {"token": bytes(16)},
        {"device_id": "ZM-002"},
        {"body": b"other csr"},
    ):
        assert not pp.verify_code_proof(keys.auth_key, proof, **{**request, **change})


# --- sealed key ---------------------------------------------------------------------------------------


def test_sealed_key_round_trips_and_is_bound() -> None:
    keys = pp.derive_code_keys(TOKEN, "ZM-001", "12345678", **FAST)
    der = b"PKCS#8 DER stand-in"
    sealed = pp.seal_key(keys.enc_key, der, token=TOKEN, device_id="ZM-001")
    assert len(sealed) == 12 + len(der) + 16
    assert pp.seal_key(keys.enc_key, der, token=TOKEN, device_id="ZM-001")[:12] != sealed[:12]
    assert pp.open_key(keys.enc_key, sealed, token=TOKEN, device_id="ZM-001") == der
    wrong = pp.derive_code_keys(TOKEN, "ZM-001", "12345679", **FAST).enc_key
    attempts = [
        (wrong, sealed, TOKEN, "ZM-001"),
        (keys.enc_key, sealed, bytes(16), "ZM-001"),
        (keys.enc_key, sealed, TOKEN, "ZM-002"),
        (keys.enc_key, sealed[:-1] + bytes([sealed[-1] ^ 1]), TOKEN, "ZM-001"),
        (keys.enc_key, sealed[:10], TOKEN, "ZM-001"),
    ]
    for enc_key, blob, token, device_id in attempts:
        with pytest.raises(PayloadError, match="cannot be opened: the pairing code typed does not match"):
            pp.open_key(enc_key, blob, token=token, device_id=device_id)


# --- canonical JSON and bundles -----------------------------------------------------------------------


def test_canonical_json() -> None:
    value: pb.JsonValue = {"b": [1, True, None], "a": {"z": "\u00e9", "y": -(2**53 - 1)}}
    assert pb.canonical_json(value) == '{"a":{"y":-9007199254740991,"z":"\u00e9"},"b":[1,true,null]}'.encode()
    for bad in ({"x": 1.5}, {"x": 2**53}, {1: "x"}, {"\u00e9": 1}, {"x": b"bytes"}):
        with pytest.raises(ValueError, match="canonical JSON"):
            pb.canonical_json(bad)  # type: ignore[arg-type]


def make_bundle(token: bytes = TOKEN, device_id: str = "ZM-001") -> dict[str, pb.JsonValue]:
    return pb.build_bundle(
        device_id=device_id,
        token=token,
        certificate_pem="-----BEGIN CERTIFICATE-----\n...\n-----END CERTIFICATE-----\n",
        ca_chain_pem="-----BEGIN CERTIFICATE-----\n...\n-----END CERTIFICATE-----\n",
        crl_url="http://provisioning.hospital.example:8080/crl",
        renewal_url=URL + ".well-known/est/simplereenroll",
        ocsp_url=None,
        sealed_key=b"sealed",
    )


def test_bundle_round_trips(signer: ec.EllipticCurvePrivateKey) -> None:
    body, signature = pb.sign_bundle(make_bundle(), signer)
    bundle = pb.verify_bundle(body, signature, signer.public_key(), expected_device_id="ZM-001", token=TOKEN)
    assert bundle == make_bundle()
    assert base64.b64decode(str(bundle["sealed_key"])) == b"sealed"


def test_bundle_rejections(signer: ec.EllipticCurvePrivateKey) -> None:
    key = signer.public_key()
    body, signature = pb.sign_bundle(make_bundle(), signer)

    def verify(body: bytes, signature: bytes, device_id: str = "ZM-001") -> None:
        pb.verify_bundle(body, signature, key, expected_device_id=device_id, token=TOKEN)

    with pytest.raises(PayloadError, match="signature does not verify"):
        verify(body.replace(b"ZM-001", b"ZM-002"), signature)
    with pytest.raises(PayloadError, match="signature does not verify"):  # domain separation
        verify(body, sign_raw(signer, b"zmconsole/pairing/v1/payload\x00" + body))
    with pytest.raises(PayloadError, match="is for ZM-001, not ZM-002"):
        verify(body, signature, device_id="ZM-002")
    other_token = pb.sign_bundle(make_bundle(token=bytes(16)), signer)
    with pytest.raises(PayloadError, match="belongs to a different pairing"):
        verify(*other_token)
    loose = json.dumps(make_bundle(), indent=1).encode()
    with pytest.raises(PayloadError, match="not canonical JSON"):
        verify(loose, sign_raw(signer, b"zmconsole/pairing/v1/bundle\x00" + loose))
    incomplete = {k: v for k, v in make_bundle().items() if k != "crl_url"}
    with pytest.raises(PayloadError, match="not version 1 with fields"):
        verify(*pb.sign_bundle(incomplete, signer))
    with pytest.raises(PayloadError, match="not version 1 with fields"):
        verify(*pb.sign_bundle({**make_bundle(), "version": 2}, signer))


# --- the spec's test vectors ------------------------------------------------------------------------


def compute_vector_outputs(inputs: dict[str, Any]) -> dict[str, Any]:
    """Everything the spec's vectors promise, computed by the module from the vector inputs."""
    signer = serialization.load_pem_private_key(inputs["signer_private_key_pem"].encode(), None)
    assert isinstance(signer, ec.EllipticCurvePrivateKey)
    device_key = serialization.load_pem_private_key(inputs["device_private_key_pem"].encode(), None)
    token, device_id = bytes.fromhex(inputs["token_hex"]), inputs["device_id"]
    text = pp.build_payload(
        device_id=device_id,
        provisioning_url=inputs["provisioning_url"],
        token=token,
        expires_at=datetime.fromisoformat(inputs["expires_at"]),
        ca_fingerprint=bytes.fromhex(inputs["ca_fingerprint_hex"]),
        key_mode=KeyMode(inputs["key_mode"]),
        signer_key=signer,
    )
    payload = pp.decode_payload(text)
    keys = pp.derive_code_keys(token, device_id, inputs["pairing_code"], **inputs["scrypt"])
    enroll_body = bytes.fromhex(inputs["enroll_body_hex"])
    der = device_key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    sealed = pp.seal_key(
        keys.enc_key, der, token=token, device_id=device_id, nonce=bytes.fromhex(inputs["seal_nonce_hex"])
    )
    bundle_body, bundle_signature = pb.sign_bundle(
        pb.build_bundle(device_id=device_id, token=token, sealed_key=sealed, **inputs["bundle"]), signer
    )
    return {
        "signer_key_id_hex": payload.signer_key_id.hex(),
        "payload_body_hex": payload.signed_message[len(b"zmconsole/pairing/v1/payload\x00") :].hex(),
        "payload_signature_hex": payload.signature.hex(),
        "qr_text": text,
        "auth_key_hex": keys.auth_key.hex(),
        "enc_key_hex": keys.enc_key.hex(),
        "bundle_proof_transcript_hex": pp.code_proof_transcript(
            purpose=ProofPurpose.BUNDLE, token=token, device_id=device_id, body=b""
        ).hex(),
        "bundle_proof_hex": pp.make_code_proof(
            keys.auth_key, purpose=ProofPurpose.BUNDLE, token=token, device_id=device_id, body=b""
        ).hex(),
        "enroll_proof_hex": pp.make_code_proof(
            keys.auth_key, purpose=ProofPurpose.ENROLL, token=token, device_id=device_id, body=enroll_body
        ).hex(),
        "sealed_key_hex": sealed.hex(),
        "bundle_body": bundle_body.decode(),
        "bundle_signature_hex": bundle_signature.hex(),
    }


@pytest.fixture(scope="module")
def vectors() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(VECTORS.read_text(encoding="utf-8"))
    return loaded


def test_vectors_match_the_code(vectors: dict[str, Any]) -> None:
    assert compute_vector_outputs(vectors["inputs"]) == vectors["outputs"]


def test_spec_shows_the_vectors_verbatim(vectors: dict[str, Any]) -> None:
    spec = SPEC.read_text(encoding="utf-8")
    block = re.search(r"<!-- vectors:begin -->\n```json\n(.*?)```\n<!-- vectors:end -->", spec, re.S)
    assert block, "docs/pairing-protocol.md lost its vectors block"
    assert block.group(1) == VECTORS.read_text(encoding="utf-8")
    assert vectors["inputs"]["signer_private_key_pem"] in spec  # also shown as a plain PEM block
    assert vectors["outputs"]["qr_text"] in spec


def test_vectors_hold_outside_our_code(vectors: dict[str, Any], tmp_path: Path) -> None:
    """Recompute the code keys with hashlib and a hand-written HKDF (RFC 5869), as firmware would."""
    inputs, outputs = vectors["inputs"], vectors["outputs"]
    token, device_id = bytes.fromhex(inputs["token_hex"]), inputs["device_id"].encode()

    def lp(data: bytes) -> bytes:
        return len(data).to_bytes(2, "big") + data

    salt = b"zmconsole/pairing/v1/scrypt\x00" + lp(token) + lp(device_id)
    master = hashlib.scrypt(inputs["pairing_code"].encode(), salt=salt, n=2**15, r=8, p=1, dklen=32, maxmem=64 * 2**20)
    prk = hmac.new(b"\x00" * 32, master, hashlib.sha256).digest()
    for label, expected in (("auth-key", "auth_key_hex"), ("enc-key", "enc_key_hex")):
        okm = hmac.new(prk, f"zmconsole/pairing/v1/{label}".encode() + b"\x01", hashlib.sha256).digest()
        assert okm.hex() == outputs[expected]

    body = bytes.fromhex(outputs["payload_body_hex"])
    text = "ZMP1:" + base64.b32encode(body + bytes.fromhex(outputs["payload_signature_hex"])).decode()
    assert text.rstrip("=") == outputs["qr_text"]

    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("openssl CLI not installed")
    signature = bytes.fromhex(outputs["payload_signature_hex"])
    der = encode_dss_signature(int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big"))
    (tmp_path / "key.pem").write_text(inputs["signer_private_key_pem"])
    (tmp_path / "msg").write_bytes(b"zmconsole/pairing/v1/payload\x00" + body)
    (tmp_path / "sig").write_bytes(der)
    pub = subprocess.run(
        [openssl, "pkey", "-in", tmp_path / "key.pem", "-pubout", "-outform", "DER"],
        check=True,
        capture_output=True,
    ).stdout
    assert hashlib.sha256(pub).digest()[:8].hex() == outputs["signer_key_id_hex"]
    (tmp_path / "pub.der").write_bytes(pub)
    command = [openssl, "dgst", "-sha256", "-keyform", "DER", "-verify", str(tmp_path / "pub.der")]
    verified = subprocess.run(
        [*command, "-signature", str(tmp_path / "sig"), str(tmp_path / "msg")],
        capture_output=True,
        text=True,
    )
    assert verified.returncode == 0 and "Verified OK" in verified.stdout
    (tmp_path / "msg").write_bytes(b"zmconsole/pairing/v1/payload\x00" + body[:-1] + b"4")  # negative control
    tampered = subprocess.run(
        [*command, "-signature", str(tmp_path / "sig"), str(tmp_path / "msg")], capture_output=True
    )
    assert tampered.returncode != 0

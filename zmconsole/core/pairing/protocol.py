"""Pairing protocol v1: the QR payload, the pairing code and its proof, and sealed keys (``bundle``: the bundle).

docs/pairing-protocol.md is the normative spec a device firmware team implements from; this module is
its reference implementation, and the document's test vectors (tests/core/vectors/pairing.json) are
checked against it. Everything here is pure: no I/O, no clock (``now`` is a parameter), no store, no
Qt, no network. Randomness only enters through ``new_token``, ``new_pairing_code`` and the default
nonce of ``seal_key``, so every other output is reproducible from its inputs.
"""

from __future__ import annotations

import base64
import binascii
import enum
import hashlib
import hmac
import os
import re
import secrets
import struct
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

from cryptography import x509
from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import (
    decode_dss_signature,
    encode_dss_signature,
)
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from zmconsole.core import utc
from zmconsole.core.errors import ZmError


class PayloadError(ZmError, ValueError):
    """Pairing data (QR text, pairing code, sealed key, bundle) is unusable; the message says what to do.

    A front end reacts by asking for a new scan or a new code. Programming errors (a naive datetime,
    a wrong key size) raise plain ``ValueError`` instead.
    """


QR_PREFIX = "ZMP1:"
TOKEN_BYTES = 16  # 128 random bits
FINGERPRINT_BYTES = 32  # SHA-256 of the CA certificate's DER
KEY_ID_BYTES = 8
SIGNATURE_BYTES = 64  # ECDSA P-256 r || s, 32 bytes each, big-endian
PAIRING_CODE_DIGITS = 8
MAX_CODE_ATTEMPTS = 5  # wrong codes before the service burns a token (enforced by the service)
DEFAULT_TOKEN_LIFETIME = timedelta(minutes=30)
# Both limits together keep the QR at version 10, level M (measured in tests/core/test_qrcodes.py).
MAX_DEVICE_ID_LENGTH = 16
MAX_URL_LENGTH = 56  # of the canonical form "https://<host>[:<port>]/"

# Extended key usage the pairing signer certificate must carry, and device certificates must not,
# so that a device's own key can never sign QR payloads or bundles. A UUID OID (ITU-T X.667), which
# needs no registration.
PAIRING_SIGNER_EKU = x509.ObjectIdentifier("2.25.28400666176613621315778447744738259760")

# Domain separation: one signer key signs payloads and bundles, so each signed or MACed message
# starts with its own label and a signature for one can never be replayed as the other.
_PAYLOAD_DOMAIN = b"zmconsole/pairing/v1/payload\x00"
_PROOF_DOMAIN = b"zmconsole/pairing/v1/code-proof\x00"
_SEAL_DOMAIN = b"zmconsole/pairing/v1/sealed-key\x00"
_SCRYPT_DOMAIN = b"zmconsole/pairing/v1/scrypt\x00"
_AUTH_KEY_INFO = b"zmconsole/pairing/v1/auth-key"
_ENC_KEY_INFO = b"zmconsole/pairing/v1/enc-key"

# key_mode, expires_at, token, ca_fingerprint, signer_key_id; then the two length-prefixed strings.
_FIXED = struct.Struct(">BI16s32s8s")
_MIN_BODY = _FIXED.size + 1 + 1 + 1 + 1  # both strings at least one character
_DEVICE_ID_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
_AUTHORITY_RE = re.compile(r"[a-z0-9.\-]+(:[0-9]{1,5})?|\[[0-9a-f:.]+\](:[0-9]{1,5})?")
_BASE32_RE = re.compile(r"[A-Z2-7]*")
_PREFIX_RE = re.compile(r"ZMP([0-9]{1,3}):")
_ECDSA = ec.ECDSA(hashes.SHA256(), deterministic_signing=True)  # RFC 6979: exact test vectors
_P256_ORDER = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551



class KeyMode(enum.IntEnum):
    """Who generates the device's private key; the byte value is what the QR carries."""

    DEVICE_KEY = 1  # the device makes the key and a CSR; nothing secret ever leaves the device
    CONSOLE_KEY = 2  # the console makes the key; the device pulls it sealed under the code's key


class ProofPurpose(enum.StrEnum):
    """Which request a code proof authorises, so a proof for one endpoint is useless on another."""

    ENROLL = "simpleenroll"
    BUNDLE = "bundle"


@dataclass(frozen=True)
class PairingPayload:
    """What a pairing QR code says. Untrusted until ``verify_payload`` has returned it."""

    device_id: str
    provisioning_url: str  # canonical "https://host[:port]/"
    expires_at: datetime
    key_mode: KeyMode
    ca_fingerprint: bytes
    signer_key_id: bytes
    token: bytes = field(repr=False)
    signature: bytes = field(repr=False)
    signed_message: bytes = field(repr=False, compare=False)


@dataclass(frozen=True)
class CodeKeys:
    """Keys derived from the pairing code. The service stores only ``auth_key`` as its verifier."""

    auth_key: bytes = field(repr=False)
    enc_key: bytes = field(repr=False)


# --- identifiers and secrets ----------------------------------------------------------------------


def signer_key_id(public_key: ec.EllipticCurvePublicKey) -> bytes:
    """First 8 bytes of SHA-256 over the signer's SubjectPublicKeyInfo DER: tells the device which signer
    certificate to fetch, and lets it check that the certificate it fetched is that signer."""
    spki = public_key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    return hashlib.sha256(spki).digest()[:KEY_ID_BYTES]


def certificate_fingerprint(certificate: x509.Certificate) -> bytes:
    """SHA-256 over the certificate's DER: the value the device pins for first TLS contact."""
    return certificate.fingerprint(hashes.SHA256())


def new_token() -> bytes:
    """A fresh one-time enrollment token (128 bits from the OS CSPRNG)."""
    return secrets.token_bytes(TOKEN_BYTES)


def new_pairing_code() -> str:
    """A fresh 8-digit pairing code (CSPRNG, uniform). Shown beside the QR, never put inside it."""
    return f"{secrets.randbelow(10**PAIRING_CODE_DIGITS):0{PAIRING_CODE_DIGITS}d}"


def normalize_pairing_code(code: str) -> str:
    """The code as 8 ASCII digits, accepting the "1234 5678" / "1234-5678" forms people type."""
    digits = code.replace(" ", "").replace("-", "")
    if len(digits) != PAIRING_CODE_DIGITS or not digits.isascii() or not digits.isdigit():
        raise PayloadError(
            f"The pairing code must be {PAIRING_CODE_DIGITS} digits: type the code shown beside the QR code."
        )
    return digits


def format_pairing_code(code: str) -> str:
    """The code grouped for reading aloud and typing: "1234 5678"."""
    digits = normalize_pairing_code(code)
    return f"{digits[:4]} {digits[4:]}"


def check_device_id(device_id: str) -> str:
    """Return ``device_id`` if the QR can carry it (ASCII letters, digits, ``.``, ``_``, ``-``)."""
    if not 1 <= len(device_id) <= MAX_DEVICE_ID_LENGTH or not _DEVICE_ID_RE.fullmatch(device_id):
        raise PayloadError(
            f"Device ID {device_id!r} cannot be paired: use 1 to {MAX_DEVICE_ID_LENGTH} ASCII letters, "
            "digits, '.', '_' or '-', starting with a letter or digit (e.g. ZM-001)."
        )
    return device_id


def check_provisioning_url(url: str) -> str:
    """Return the canonical form ``https://host[:port]/`` of ``url``, or raise ``PayloadError``.

    The service lives at the root of an https origin (RFC 7030 §3.2.2 puts EST under /.well-known/est),
    so the QR carries only host and port, and cannot express another scheme.
    """
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise PayloadError(f"The provisioning URL {url!r} is not a valid URL: use https://host[:port]/.") from None
    if parts.scheme != "https":
        raise PayloadError(
            f"The provisioning URL {url!r} must use https: devices pin the provisioning server's certificate "
            "and will not talk to it over plain http."
        )
    authority = parts.netloc.lower()  # host names are case-insensitive (RFC 3986 §6.2.2.1)
    extra = parts.path not in ("", "/") or parts.query or parts.fragment or "@" in authority
    if extra or port == 0 or not _AUTHORITY_RE.fullmatch(authority):
        raise PayloadError(
            f"The provisioning URL {url!r} must be just https://host[:port]/ in ASCII (no user, path, query "
            "or fragment; internationalised names in punycode)."
        )
    canonical = f"https://{authority}/"
    if len(canonical) > MAX_URL_LENGTH:
        raise PayloadError(
            f"The provisioning URL {canonical!r} is {len(canonical)} characters; the pairing QR code allows "
            f"at most {MAX_URL_LENGTH}: use a shorter host name or an IP address."
        )
    return canonical


# --- QR payload -----------------------------------------------------------------------------------


def build_payload(
    *,
    device_id: str,
    provisioning_url: str,
    token: bytes,
    expires_at: datetime,
    ca_fingerprint: bytes,
    key_mode: KeyMode,
    signer_key: ec.EllipticCurvePrivateKey,
) -> str:
    """Sign the pairing fields and return the QR text (``ZMP1:`` + unpadded base32).

    ``expires_at`` is stored to the whole second, rounded down, so the QR never outlives the token.
    """
    _require_length("token", token, TOKEN_BYTES)
    _require_length("ca_fingerprint", ca_fingerprint, FINGERPRINT_BYTES)
    if not isinstance(signer_key.curve, ec.SECP256R1):
        raise ValueError("the pairing signer key must be an ECDSA P-256 key")
    expiry = utc.to_epoch(_utc("expires_at", expires_at))
    if not 0 < expiry < 2**32:
        raise ValueError(f"expires_at {expires_at.isoformat()} does not fit the payload")
    device = check_device_id(device_id).encode("ascii")
    authority = check_provisioning_url(provisioning_url)[len("https://") : -1].encode("ascii")
    body = (
        _FIXED.pack(KeyMode(key_mode), expiry, token, ca_fingerprint, signer_key_id(signer_key.public_key()))
        + bytes([len(device)])
        + device
        + bytes([len(authority)])
        + authority
    )
    signature = sign_p256(signer_key, _PAYLOAD_DOMAIN + body)
    return QR_PREFIX + base64.b32encode(body + signature).decode("ascii").rstrip("=")


def decode_payload(text: str) -> PairingPayload:
    """Parse QR text into its fields without trusting them; see ``verify_payload``.

    The device needs the URL, CA fingerprint and signer key id from here to fetch the signer
    certificate over pinned TLS before it can verify the signature.
    """
    text = text.strip()
    if not text.startswith(QR_PREFIX):
        other = _PREFIX_RE.match(text)
        if other:
            raise PayloadError(
                f"This pairing QR code uses protocol version {other.group(1)}, which this device does not "
                "support: update the device software, or use a console that speaks version 1."
            )
        raise PayloadError(
            f"The QR code is not a Z Monitor pairing code (it does not start with {QR_PREFIX}): scan the "
            "code shown by the console."
        )
    raw = _b32decode(text[len(QR_PREFIX) :])
    if len(raw) < _MIN_BODY + SIGNATURE_BYTES:
        raise _damaged(f"it holds {len(raw)} bytes, fewer than any valid pairing code")
    body, signature = raw[:-SIGNATURE_BYTES], raw[-SIGNATURE_BYTES:]
    mode, expiry, token, fingerprint, key_id = _FIXED.unpack_from(body)
    device_len = body[_FIXED.size]
    device_end = _FIXED.size + 1 + device_len
    authority_len = body[device_end] if device_end < len(body) else -1
    if device_len == 0 or authority_len <= 0 or device_end + 1 + authority_len != len(body):
        raise _damaged("its length fields do not match its length")
    try:
        key_mode = KeyMode(mode)
        device_id = check_device_id(body[_FIXED.size + 1 : device_end].decode("ascii"))
        authority = body[device_end + 1 :].decode("ascii")
        url = check_provisioning_url(f"https://{authority}/")
    except (ValueError, UnicodeDecodeError) as exc:  # PayloadError is a ValueError
        raise _damaged(f"a field is invalid ({exc})") from None
    if url != f"https://{authority}/":
        raise _damaged("its provisioning address is not in canonical form")
    return PairingPayload(
        device_id=device_id,
        provisioning_url=url,
        expires_at=utc.from_epoch(expiry),
        key_mode=key_mode,
        ca_fingerprint=fingerprint,
        signer_key_id=key_id,
        token=token,
        signature=signature,
        signed_message=_PAYLOAD_DOMAIN + body,
    )


def verify_payload(
    payload: PairingPayload,
    signer_public_key: ec.EllipticCurvePublicKey,
    *,
    expected_device_id: str,
    now: datetime,
) -> PairingPayload:
    """Check signature, device binding and expiry; return ``payload``, now trustworthy.

    ``signer_public_key`` must come from a signer certificate that the caller has already checked chains to
    the CA whose fingerprint the payload pins, and carries ``PAIRING_SIGNER_EKU``.
    """
    now = _utc("now", now)
    if signer_key_id(signer_public_key) != payload.signer_key_id:
        raise PayloadError(
            f"The pairing QR code was signed by signer {payload.signer_key_id.hex()}, but the key given is "
            f"{signer_key_id(signer_public_key).hex()}: fetch the signer certificate for the QR's key id."
        )
    if not verify_p256(signer_public_key, payload.signed_message, payload.signature):
        raise PayloadError(
            "The pairing QR code's signature does not verify: it was altered, damaged or not made by this "
            "hospital's console. Create a new pairing code on the console and scan again."
        )
    if payload.device_id != expected_device_id:
        raise PayloadError(
            f"This pairing QR code is for {payload.device_id}, but this device is {expected_device_id}: "
            f"scan the code the console shows for {expected_device_id}."
        )
    if now >= payload.expires_at:
        raise PayloadError(
            f"The pairing QR code for {payload.device_id} expired at {payload.expires_at:%Y-%m-%d %H:%M:%S} "
            f"UTC (device clock: {now:%Y-%m-%d %H:%M:%S} UTC): create a new pairing code on the console, "
            "or set the device clock if it is wrong."
        )
    return payload


# --- pairing code: key derivation and proof -------------------------------------------------------


def derive_code_keys(token: bytes, device_id: str, code: str, *, n: int = 2**15, r: int = 8, p: int = 1) -> CodeKeys:
    """Derive the auth and encryption keys from the pairing code.

    scrypt (32 MiB, ~0.1 s on a desktop) makes each guess of the 8-digit code cost real memory and time for
    anyone holding a verifier; the salt binds the keys to this token and device. Two HKDF outputs with
    distinct labels split the scrypt result, so the stored ``auth_key`` says nothing about ``enc_key``
    (the service can check proofs but cannot open sealed keys).
    """
    _require_length("token", token, TOKEN_BYTES)
    salt = _SCRYPT_DOMAIN + _lp(token) + _lp(check_device_id(device_id).encode("ascii"))
    master = Scrypt(salt=salt, length=32, n=n, r=r, p=p).derive(normalize_pairing_code(code).encode("ascii"))
    return CodeKeys(auth_key=_hkdf(master, _AUTH_KEY_INFO), enc_key=_hkdf(master, _ENC_KEY_INFO))


def code_proof_transcript(*, purpose: ProofPurpose, token: bytes, device_id: str, body: bytes) -> bytes:
    """The exact bytes a code proof MACs: purpose, token, device ID and SHA-256 of the request body."""
    return (
        _PROOF_DOMAIN
        + _lp(ProofPurpose(purpose).value.encode("ascii"))
        + _lp(token)
        + _lp(device_id.encode("utf-8"))
        + hashlib.sha256(body).digest()
    )


def make_code_proof(auth_key: bytes, *, purpose: ProofPurpose, token: bytes, device_id: str, body: bytes) -> bytes:
    """HMAC-SHA256 proof that the sender knows the code, without sending the code."""
    transcript = code_proof_transcript(purpose=purpose, token=token, device_id=device_id, body=body)
    return hmac.new(auth_key, transcript, hashlib.sha256).digest()


def verify_code_proof(
    auth_key: bytes,
    proof: bytes,
    *,
    purpose: ProofPurpose,
    token: bytes,
    device_id: str,
    body: bytes,
) -> bool:
    """True if ``proof`` is right for this request (constant-time compare)."""
    expected = make_code_proof(auth_key, purpose=purpose, token=token, device_id=device_id, body=body)
    return hmac.compare_digest(expected, proof)


# --- sealed key (console-generated key mode) ------------------------------------------------------


def seal_key(
    enc_key: bytes,
    private_key_der: bytes,
    *,
    token: bytes,
    device_id: str,
    nonce: bytes | None = None,
) -> bytes:
    """Encrypt a PKCS#8 DER private key for the device: nonce (12) || AES-256-GCM ciphertext || tag.

    The AAD binds device ID and token, so a sealed key cannot be replayed into another pairing.
    ``nonce`` is for test vectors only; leave it out to get a fresh random one.
    """
    _require_length("enc_key", enc_key, 32)
    nonce = os.urandom(12) if nonce is None else nonce
    _require_length("nonce", nonce, 12)
    return nonce + AESGCM(enc_key).encrypt(nonce, private_key_der, _seal_aad(token, device_id))


def open_key(enc_key: bytes, sealed: bytes, *, token: bytes, device_id: str) -> bytes:
    """Decrypt a sealed key; return the PKCS#8 DER private key."""
    _require_length("enc_key", enc_key, 32)
    try:
        return AESGCM(enc_key).decrypt(sealed[:12], sealed[12:], _seal_aad(token, device_id))
    except (InvalidTag, ValueError):
        raise PayloadError(
            f"The private key sent for {device_id} cannot be opened: the pairing code typed does not match, "
            "or the bundle was altered. Create a new pairing code on the console."
        ) from None


# --- helpers --------------------------------------------------------------------------------------


def sign_p256(key: ec.EllipticCurvePrivateKey, message: bytes) -> bytes:
    """The protocol's signature of ``message``: deterministic ECDSA P-256/SHA-256, ``r || s`` (64 bytes)."""
    r, s = decode_dss_signature(key.sign(message, _ECDSA))
    return r.to_bytes(32, "big") + s.to_bytes(32, "big")


def verify_p256(key: ec.EllipticCurvePublicKey, message: bytes, signature: bytes) -> bool:
    """Whether ``signature`` (``r || s``) is the key's signature of ``message`` (never raises)."""
    if len(signature) != SIGNATURE_BYTES or not isinstance(key.curve, ec.SECP256R1):
        return False
    r, s = int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big")
    if not (0 < r < _P256_ORDER and 0 < s < _P256_ORDER):
        return False
    try:
        key.verify(encode_dss_signature(r, s), message, ec.ECDSA(hashes.SHA256()))
    except InvalidSignature:
        return False
    return True


def _b32decode(text: str) -> bytes:
    """Strict unpadded RFC 4648 base32: one spelling per byte string, so any changed character changes
    the bytes (and so breaks the signature)."""
    if not _BASE32_RE.fullmatch(text) or len(text) % 8 in (1, 3, 6):
        raise _damaged("it contains characters or a length that base32 does not allow")
    try:
        raw = base64.b32decode(text + "=" * (-len(text) % 8))
    except binascii.Error:
        raise _damaged("it is not valid base32") from None
    if base64.b32encode(raw).decode("ascii").rstrip("=") != text:
        raise _damaged("its last character is not valid base32")
    return raw


def _damaged(why: str) -> PayloadError:
    return PayloadError(
        f"The pairing QR code is damaged or was altered ({why}): scan the code shown by the console "
        "again, or create a new one."
    )


def _hkdf(master: bytes, info: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(master)


def _seal_aad(token: bytes, device_id: str) -> bytes:
    return _SEAL_DOMAIN + _lp(token) + _lp(device_id.encode("utf-8"))


def _lp(data: bytes) -> bytes:
    """Length-prefix (2 bytes, big-endian) so concatenated fields cannot be re-split differently."""
    return len(data).to_bytes(2, "big") + data


def _require_length(name: str, value: bytes, length: int) -> None:
    if len(value) != length:
        raise ValueError(f"{name} must be {length} bytes, got {len(value)}")


def _utc(name: str, value: datetime) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware (UTC), got naive {value.isoformat()}")
    return value.astimezone(UTC)

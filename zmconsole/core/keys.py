"""Private keys: generation, encryption at rest, and the key policy.

``cryptography``'s ``BestAvailableEncryption`` protects PKCS#8 with only 2,048
PBKDF2 iterations, far too few for a CA key guarded by a human passphrase. So
:func:`encrypt_pkcs8` writes the RFC 8018 PBES2 structure itself (PBKDF2 with
HMAC-SHA256 at 600,000 iterations, AES-256-CBC) using ``cryptography``'s
primitives. The result is a standard ``ENCRYPTED PRIVATE KEY`` PEM that
``openssl pkey`` and ``cryptography`` open with the passphrase: no lock-in.

Keys the console generates for a device are kept only until delivered, sealed
with AES-256-GCM under a key derived from the CA private key (:func:`seal`), so
a held key can be opened only while the CA is unlocked.
"""

from __future__ import annotations

import base64
import os
from typing import Literal

from cryptography.hazmat.primitives import hashes, padding, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, rsa
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC
from cryptography.hazmat.primitives.serialization.pkcs12 import PBES

from zmconsole.core.errors import InputError, WrongPassphraseError

PrivateKey = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey
PublicKey = rsa.RSAPublicKey | ec.EllipticCurvePublicKey

CaKeyType = Literal["rsa4096", "ec-p384"]
LeafKeyType = Literal["rsa2048", "ec-p256"]
CA_KEY_TYPES: tuple[str, ...] = ("rsa4096", "ec-p384")
LEAF_KEY_TYPES: tuple[str, ...] = ("rsa2048", "ec-p256")

PBKDF2_ITERATIONS = 600_000
MIN_PASSPHRASE = 8

# RFC 8018 / NIST object identifiers used by the PBES2 structure.
_OID_PBES2 = "1.2.840.113549.1.5.13"
_OID_PBKDF2 = "1.2.840.113549.1.5.12"
_OID_HMAC_SHA256 = "1.2.840.113549.2.9"
_OID_AES256_CBC = "2.16.840.1.101.3.4.1.42"


def generate(key_type: str) -> PrivateKey:
    """A fresh key of one of the named types (``rsa4096``, ``ec-p384``, ``rsa2048``, ``ec-p256``)."""
    if key_type == "rsa4096":
        return rsa.generate_private_key(public_exponent=65537, key_size=4096)
    if key_type == "rsa2048":
        return rsa.generate_private_key(public_exponent=65537, key_size=2048)
    if key_type == "ec-p384":
        return ec.generate_private_key(ec.SECP384R1())
    if key_type == "ec-p256":
        return ec.generate_private_key(ec.SECP256R1())
    raise InputError(f"Unknown key type {key_type!r}: use rsa4096, ec-p384, rsa2048 or ec-p256.")


def describe(key: PublicKey | PrivateKey) -> str:
    """A short name for a key: ``rsa2048``, ``ec-p256``..."""
    if isinstance(key, rsa.RSAPrivateKey | rsa.RSAPublicKey):
        return f"rsa{key.key_size}"
    curve = key.curve.name
    return {"secp256r1": "ec-p256", "secp384r1": "ec-p384", "secp521r1": "ec-p521"}.get(curve, f"ec-{curve}")


def leaf_key_violations(key: object) -> list[str]:
    """What is wrong with a device or server public key under the site policy (empty: fine)."""
    if isinstance(key, rsa.RSAPublicKey):
        if key.key_size < 2048:
            return [f"the RSA key is {key.key_size} bits; at least 2048 bits are required"]
        if key.key_size > 8192:
            return [f"the RSA key is {key.key_size} bits; at most 8192 bits are accepted"]
        if key.public_numbers().e != 65537:
            return ["the RSA public exponent must be 65537"]
        return []
    if isinstance(key, ec.EllipticCurvePublicKey):
        if key.curve.name not in ("secp256r1", "secp384r1"):
            return [f"the EC curve {key.curve.name} is not accepted; use P-256 or P-384"]
        return []
    if isinstance(key, ed25519.Ed25519PublicKey | ed448.Ed448PublicKey):
        return ["Ed25519/Ed448 keys are not accepted; use RSA (2048 bits or more) or EC P-256/P-384"]
    return [f"the key type {type(key).__name__} is not accepted; use RSA (2048 bits or more) or EC P-256/P-384"]


def spki(key: object) -> bytes:
    """The DER SubjectPublicKeyInfo of a public key: the one way to compare keys of any type."""
    public = key.public_key() if isinstance(key, rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey) else key
    return public.public_bytes(serialization.Encoding.DER,  # type: ignore[attr-defined, no-any-return]
                               serialization.PublicFormat.SubjectPublicKeyInfo)


def signature_hash(key: PrivateKey) -> hashes.SHA256 | hashes.SHA384:
    """The digest that matches the signing key's strength."""
    if isinstance(key, ec.EllipticCurvePrivateKey) and key.curve.key_size >= 384:
        return hashes.SHA384()
    return hashes.SHA256()


# --- minimal DER writer, enough for EncryptedPrivateKeyInfo -------------------------------------------

def _der(tag: int, body: bytes) -> bytes:
    size = len(body)
    if size < 0x80:
        return bytes([tag, size]) + body
    length = size.to_bytes((size.bit_length() + 7) // 8, "big")
    return bytes([tag, 0x80 | len(length)]) + length + body


def _seq(*parts: bytes) -> bytes:
    return _der(0x30, b"".join(parts))


def _int(value: int) -> bytes:
    return _der(0x02, value.to_bytes(value.bit_length() // 8 + 1, "big"))


def _oid(dotted: str) -> bytes:
    arcs = [int(a) for a in dotted.split(".")]
    body = bytearray([40 * arcs[0] + arcs[1]])
    for arc in arcs[2:]:
        chunk = [arc & 0x7F]
        arc >>= 7
        while arc:
            chunk.append(0x80 | (arc & 0x7F))
            arc >>= 7
        body.extend(reversed(chunk))
    return _der(0x06, bytes(body))


def _octets(data: bytes) -> bytes:
    return _der(0x04, data)


def plain_pkcs8(key: PrivateKey) -> bytes:
    """The key's PKCS#8 DER, unencrypted: in memory only, for a caller that encrypts it at once.

    The one place the program serialises a key without encryption, so a review has one place to check.
    """
    return key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


def encrypt_pkcs8(key: PrivateKey, passphrase: str | bytes, *, iterations: int = PBKDF2_ITERATIONS) -> bytes:
    """The key as an ``ENCRYPTED PRIVATE KEY`` PEM: PBES2, PBKDF2-HMAC-SHA256, AES-256-CBC."""
    secret = passphrase.encode() if isinstance(passphrase, str) else passphrase
    salt, iv = os.urandom(16), os.urandom(16)
    kek = PBKDF2HMAC(algorithm=hashes.SHA256(), length=32, salt=salt, iterations=iterations).derive(secret)
    padder = padding.PKCS7(128).padder()
    plain = padder.update(plain_pkcs8(key)) + padder.finalize()
    encryptor = Cipher(algorithms.AES(kek), modes.CBC(iv)).encryptor()
    ciphertext = encryptor.update(plain) + encryptor.finalize()
    kdf = _seq(_oid(_OID_PBKDF2), _seq(_octets(salt), _int(iterations), _int(32),
                                       _seq(_oid(_OID_HMAC_SHA256), b"\x05\x00")))
    scheme = _seq(_oid(_OID_AES256_CBC), _octets(iv))
    info = _seq(_seq(_oid(_OID_PBES2), _seq(kdf, scheme)), _octets(ciphertext))
    body = base64.encodebytes(info).replace(b"\n", b"")
    lines = [body[i:i + 64] for i in range(0, len(body), 64)]
    return b"-----BEGIN ENCRYPTED PRIVATE KEY-----\n" + b"\n".join(lines) + b"\n-----END ENCRYPTED PRIVATE KEY-----\n"


def decrypt_pem(pem: bytes, passphrase: str | bytes, *, what: str = "the CA key",
                trusted: bool = False) -> PrivateKey:
    """Open an encrypted PEM key; a wrong passphrase is :class:`WrongPassphraseError`.

    ``trusted`` skips RSA's expensive key re-validation (about 275 ms for RSA-4096); only for keys
    this program wrote and validated itself, whose public half the caller then checks.
    """
    secret = passphrase.encode() if isinstance(passphrase, str) else passphrase
    try:
        key = serialization.load_pem_private_key(pem, password=secret, unsafe_skip_rsa_key_validation=trusted)
    except (ValueError, TypeError) as error:
        if b"ENCRYPTED" not in pem:
            raise InputError(f"{what.capitalize()} is not encrypted: encrypt it with a passphrase "
                             "(for example `openssl pkey -aes256`) before importing it.") from error
        raise WrongPassphraseError(f"The passphrase does not open {what}: check it and try again.") from error
    if not isinstance(key, rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey):
        raise InputError(f"{what.capitalize()} is a {type(key).__name__}: use an RSA or EC key.")
    return key


def _seal_key(ca_key: PrivateKey) -> bytes:
    secret = (ca_key.private_numbers().d if isinstance(ca_key, rsa.RSAPrivateKey)
              else ca_key.private_numbers().private_value)
    ikm = secret.to_bytes((secret.bit_length() + 7) // 8, "big")
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"zmconsole held-key seal v1").derive(ikm)


def seal(key: PrivateKey, ca_key: PrivateKey, *, label: str) -> bytes:
    """A held device key, AES-256-GCM-sealed under the CA key; ``label`` is bound as associated data."""
    nonce = os.urandom(12)
    return nonce + AESGCM(_seal_key(ca_key)).encrypt(nonce, plain_pkcs8(key), label.encode())


def unseal(blob: bytes, ca_key: PrivateKey, *, label: str) -> PrivateKey:
    from cryptography.exceptions import InvalidTag

    try:
        der = AESGCM(_seal_key(ca_key)).decrypt(blob[:12], blob[12:], label.encode())
    except InvalidTag as error:
        raise InputError(f"The held key for {label} does not open with this CA: it was sealed by another CA "
                         "or damaged; issue a new certificate.") from error
    key = serialization.load_der_private_key(der, password=None)
    assert isinstance(key, rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey)
    return key


def pkcs12_encryption(password: str) -> serialization.KeySerializationEncryption:
    """PKCS#12 protection with AES-256 and a strong KDF (not the legacy RC2/3DES defaults)."""
    return (serialization.PrivateFormat.PKCS12.encryption_builder()
            .kdf_rounds(PBKDF2_ITERATIONS)
            .key_cert_algorithm(PBES.PBESv2SHA256AndAES256CBC)
            .hmac_hash(hashes.SHA256())
            .build(password.encode()))

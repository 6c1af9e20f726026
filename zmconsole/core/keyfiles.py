"""Private keys in files, encrypted under a passphrase or password: PKCS#8 and PKCS#12.

``cryptography``'s ``BestAvailableEncryption`` protects PKCS#8 with only 2,048 PBKDF2 iterations, far too
few for a CA key guarded by a human passphrase. So :func:`encrypt_pkcs8` writes the RFC 8018 PBES2
structure itself (PBKDF2 with HMAC-SHA256 at :data:`PBKDF2_ITERATIONS`, AES-256-CBC) from ``cryptography``'s
primitives and :mod:`.der`. The result is a standard ``ENCRYPTED PRIVATE KEY`` PEM that ``openssl pkey``
and ``cryptography`` open with the passphrase: no lock-in.

:func:`pkcs12` encrypts the key and certificate bags the same way (PBES2, AES-256, the same iterations), but
``cryptography`` protects the file's integrity MAC with a fixed 2,048 iterations of the RFC 7292 KDF, and a
password guess tested against the MAC costs 300 times less than against the bags, so the bags' work factor
would protect nothing. So the MAC is computed again here with the same work factor as the bags
(HMAC-SHA256, RFC 7292 Appendix B key derivation) and the file reassembled around the unchanged contents;
``openssl pkcs12 -info`` shows both counts.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from collections.abc import Sequence

from cryptography import x509
from cryptography.hazmat.primitives import hashes, padding, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC
from cryptography.hazmat.primitives.serialization import pkcs12 as _pkcs12
from cryptography.hazmat.primitives.serialization.pkcs12 import PBES

from zmconsole.core import der
from zmconsole.core.errors import InputError, WrongPassphraseError
from zmconsole.core.keys import PrivateKey, plain_pkcs8

#: The work factor of every password-protected key the console writes: PKCS#8 KDF, PKCS#12 bags and MAC.
PBKDF2_ITERATIONS = 600_000

# RFC 8018 / NIST object identifiers used by the PBES2 structure.
_OID_PBES2 = "1.2.840.113549.1.5.13"
_OID_PBKDF2 = "1.2.840.113549.1.5.12"
_OID_HMAC_SHA256 = "1.2.840.113549.2.9"
_OID_AES256_CBC = "2.16.840.1.101.3.4.1.42"
_OID_SHA256 = "2.16.840.1.101.3.4.2.1"
_PFX_VERSION = 3  # RFC 7292 §4
_MAC_SALT_BYTES = 16


def encrypt_pkcs8(key: PrivateKey, passphrase: str | bytes, *, iterations: int = PBKDF2_ITERATIONS) -> bytes:
    """The key as an ``ENCRYPTED PRIVATE KEY`` PEM: PBES2, PBKDF2-HMAC-SHA256, AES-256-CBC."""
    secret = passphrase.encode() if isinstance(passphrase, str) else passphrase
    salt, iv = os.urandom(16), os.urandom(16)
    kek = PBKDF2HMAC(algorithm=hashes.SHA256(), length=32, salt=salt, iterations=iterations).derive(secret)
    padder = padding.PKCS7(128).padder()
    plain = padder.update(plain_pkcs8(key)) + padder.finalize()
    encryptor = Cipher(algorithms.AES(kek), modes.CBC(iv)).encryptor()
    ciphertext = encryptor.update(plain) + encryptor.finalize()
    kdf = der.sequence(der.oid(_OID_PBKDF2), der.sequence(der.octet_string(salt), der.integer(iterations),
                                                          der.integer(32),
                                                          der.sequence(der.oid(_OID_HMAC_SHA256), der.NULL)))
    scheme = der.sequence(der.oid(_OID_AES256_CBC), der.octet_string(iv))
    info = der.sequence(der.sequence(der.oid(_OID_PBES2), der.sequence(kdf, scheme)), der.octet_string(ciphertext))
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


def pkcs12(key: PrivateKey, cert: x509.Certificate, chain: Sequence[x509.Certificate], *,
           name: str, password: str, iterations: int = PBKDF2_ITERATIONS) -> bytes:
    """A PKCS#12 file: key and certificates under PBES2 AES-256, and a MAC, all at ``iterations``."""
    encryption = (serialization.PrivateFormat.PKCS12.encryption_builder()
                  .kdf_rounds(iterations)
                  .key_cert_algorithm(PBES.PBESv2SHA256AndAES256CBC)
                  .hmac_hash(hashes.SHA256())
                  .build(password.encode()))
    made = _pkcs12.serialize_key_and_certificates(name.encode(), key, cert, list(chain), encryption)
    return _with_mac(made, password, iterations)


def _with_mac(pfx: bytes, password: str, iterations: int) -> bytes:
    """``pfx`` with its MacData replaced by HMAC-SHA256 under a key derived with ``iterations`` (RFC 7292 §4)."""
    version, auth_safe = der.read(pfx).expect(der.SEQUENCE, "PFX").children()[:2]
    if version.integer() != _PFX_VERSION:
        raise der.DerError(f"PFX version {version.integer()}, expected {_PFX_VERSION}")
    explicit = auth_safe.expect(der.SEQUENCE, "authSafe").children()[1].expect(0xA0, "authSafe [0] content")
    content = der.read(explicit.body).expect(der.OCTET_STRING, "authSafe content").body
    salt = os.urandom(_MAC_SALT_BYTES)
    digest = hmac.digest(_mac_key(password, salt, iterations), content, "sha256")
    mac_data = der.sequence(der.sequence(der.sequence(der.oid(_OID_SHA256), der.NULL), der.octet_string(digest)),
                            der.octet_string(salt), der.integer(iterations))
    return der.sequence(version.encoding, auth_safe.encoding, mac_data)


def _mac_key(password: str, salt: bytes, iterations: int) -> bytes:
    """The RFC 7292 Appendix B.2 key for the integrity MAC (ID 3), with SHA-256 (u = 32, v = 64 bytes).

    OpenSSL reads the password as a BMPString with a two-byte terminator. One 32-byte key needs one
    block, so the B.2 steps that adjust ``I`` for further blocks never run.
    """
    block = 64

    def filled(data: bytes) -> bytes:  # B.2 steps 2 and 3: repeat to a whole number of v-byte blocks
        size = block * -(-len(data) // block)
        return (data * (size // len(data) + 1))[:size] if data else b""

    state = bytes([3]) * block + filled(salt) + filled(password.encode("utf-16-be") + b"\x00\x00")
    sha256 = hashlib.sha256  # bound once: the loop is the whole cost of the MAC
    for _ in range(iterations):  # B.2 step 6a: H^r(D || I); no primitive for it in `cryptography`
        state = sha256(state).digest()
    return state

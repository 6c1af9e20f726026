"""Secrets only the holder of the unlocked CA key can make: the one place that knows how, for either key kind.

Held-key sealing (:mod:`.sealing`) and the audit-checkpoint key (:mod:`.checkpoints`) need 32 bytes that
exist only while the CA is unlocked and differ from CA to CA. For a key in a file they come from the private
key itself through HKDF-SHA256, each as first written (the sealing key from the private scalar or exponent,
the checkpoint seed from the PKCS#8 encoding), so stores made before tokens existed still open. A key in a
PKCS#11 token gives no private value; its token holds a non-extractable secret beside it, and the same
``info`` is HMAC'd under that secret in the token (:meth:`.token_keys.TokenKey.derive`).
"""

from __future__ import annotations

from collections.abc import Callable

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from zmconsole.core.keys import PrivateKey, plain_pkcs8
from zmconsole.core.token_keys import TokenKey

HELD_KEY_SEAL = b"zmconsole held-key seal v1"
AUDIT_CHECKPOINT = b"zmconsole audit checkpoint v1"


def _private_value(key: PrivateKey) -> bytes:
    secret = key.private_numbers().d if isinstance(key, rsa.RSAPrivateKey) else key.private_numbers().private_value
    return secret.to_bytes((secret.bit_length() + 7) // 8, "big")


# What each purpose's HKDF starts from, for a key in a file.
_FILE_KEY_MATERIAL: dict[bytes, Callable[[PrivateKey], bytes]] = {
    HELD_KEY_SEAL: _private_value,
    AUDIT_CHECKPOINT: plain_pkcs8,
}


def secret_for(key: PrivateKey, info: bytes) -> bytes:
    """32 bytes for ``info`` (one of the purposes above) that only ``key``'s holder can derive."""
    if isinstance(key, TokenKey):
        return key.derive(info)
    material = _FILE_KEY_MATERIAL[info](key)
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(material)

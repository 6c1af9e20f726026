"""Held keys: device and service keys the console keeps only until delivered, sealed under the CA key.

A key the console generates for a device (and the keys of the pairing signer and of the provisioning service's
TLS identity) is stored in ``held_keys`` sealed with AES-256-GCM under a key derived from the CA private key
(:func:`.ca_secrets.secret_for`: HKDF of a file key, HMAC in the token for a token key), with the
certificate's serial bound as associated data. So a held key opens only while the CA is unlocked, only under
the CA that sealed it, and only for the record it was sealed for: a sealed blob copied to another row does not
open.
"""

from __future__ import annotations

import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from zmconsole.core.ca_secrets import HELD_KEY_SEAL, secret_for
from zmconsole.core.errors import InputError
from zmconsole.core.keys import PrivateKey, plain_pkcs8

_NONCE_BYTES = 12


def _seal_key(ca_key: PrivateKey) -> bytes:
    return secret_for(ca_key, HELD_KEY_SEAL)


def seal(key: PrivateKey, ca_key: PrivateKey, *, label: str) -> bytes:
    """A held key, AES-256-GCM-sealed under the CA key; ``label`` (the serial) is bound as associated data."""
    nonce = os.urandom(_NONCE_BYTES)
    return nonce + AESGCM(_seal_key(ca_key)).encrypt(nonce, plain_pkcs8(key), label.encode())


def unseal(blob: bytes, ca_key: PrivateKey, *, label: str) -> PrivateKey:
    """The key :func:`seal` sealed; another CA, another label or a changed byte is an :class:`InputError`."""
    try:
        der = AESGCM(_seal_key(ca_key)).decrypt(blob[:_NONCE_BYTES], blob[_NONCE_BYTES:], label.encode())
    except InvalidTag as error:
        raise InputError(f"The held key for {label} does not open with this CA: it was sealed by another CA "
                         "or damaged; issue a new certificate.") from error
    key = serialization.load_der_private_key(der, password=None)
    assert isinstance(key, rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey)
    return key

"""Private keys: the types the console makes, the ones it accepts from devices, and their one plain form.

Encrypted key files (PKCS#8, PKCS#12) are :mod:`.keyfiles`, and the hand-made DER they need is :mod:`.der`;
keys the console holds until delivery are sealed under the CA key by :mod:`.sealing`.
"""

from __future__ import annotations

from typing import Literal

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, rsa

from zmconsole.core.errors import InputError
from zmconsole.core.names import CA_KEY_TYPES as CA_KEY_TYPES
from zmconsole.core.names import LEAF_KEY_TYPES as LEAF_KEY_TYPES

PrivateKey = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey
PublicKey = rsa.RSAPublicKey | ec.EllipticCurvePublicKey

CaKeyType = Literal["rsa4096", "ec-p384"]
LeafKeyType = Literal["rsa2048", "ec-p256"]


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


def plain_pkcs8(key: PrivateKey) -> bytes:
    """The key's PKCS#8 DER, unencrypted: in memory only, for a caller that encrypts it at once.

    The one place the program serialises a key without encryption, so a review has one place to check.
    """
    return key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())

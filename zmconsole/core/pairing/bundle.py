"""Pairing protocol v1, the signed provisioning bundle of console key mode (docs/pairing-protocol.md §7.3).

Canonical JSON (RFC 8785 for the subset used), built and signed by the service, verified by the device
against the bytes received. Pure, like ``protocol``: no I/O, no clock, no store.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Mapping
from typing import TypeAlias, cast

from cryptography.hazmat.primitives.asymmetric import ec

from zmconsole.core.pairing.protocol import PayloadError, check_device_id, sign_p256, verify_p256

JsonValue: TypeAlias = "str | int | bool | list[JsonValue] | dict[str, JsonValue] | None"
_BUNDLE_DOMAIN = b"zmconsole/pairing/v1/bundle\x00"


def canonical_json(obj: JsonValue) -> bytes:
    """Deterministic UTF-8 JSON: sorted keys, no whitespace, no floats.

    Restricted to ASCII keys and integers within ±(2**53 - 1), for which this equals RFC 8785 (JCS).
    """
    _check_json(obj)
    text = json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return text.encode("utf-8")


_BUNDLE_FIELDS: dict[str, type | tuple[type, ...]] = {
    "version": int,
    "device_id": str,
    "token_sha256": str,
    "certificate": str,
    "ca_chain": str,
    "crl_url": str,
    "ocsp_url": (str, type(None)),
    "renewal_url": str,
    "sealed_key": str,
}


def build_bundle(
    *,
    device_id: str,
    token: bytes,
    certificate_pem: str,
    ca_chain_pem: str,
    crl_url: str,
    renewal_url: str,
    ocsp_url: str | None,
    sealed_key: bytes,
) -> dict[str, JsonValue]:
    """The provisioning bundle for the console-generated key mode, as a JSON object (version 1)."""
    return {
        "version": 1,
        "device_id": check_device_id(device_id),
        "token_sha256": hashlib.sha256(token).hexdigest(),
        "certificate": certificate_pem,
        "ca_chain": ca_chain_pem,
        "crl_url": crl_url,
        "ocsp_url": ocsp_url,
        "renewal_url": renewal_url,
        "sealed_key": base64.b64encode(sealed_key).decode("ascii"),
    }


def sign_bundle(bundle: Mapping[str, JsonValue], signer_key: ec.EllipticCurvePrivateKey) -> tuple[bytes, bytes]:
    """Return (body, signature): the canonical JSON to send, and its detached 64-byte signature."""
    body = canonical_json(dict(bundle))
    return body, sign_p256(signer_key, _BUNDLE_DOMAIN + body)


def verify_bundle(
    body: bytes,
    signature: bytes,
    signer_public_key: ec.EllipticCurvePublicKey,
    *,
    expected_device_id: str,
    token: bytes,
) -> dict[str, JsonValue]:
    """Verify the signature over the bytes received, then check the bundle belongs to this pairing."""
    if not verify_p256(signer_public_key, _BUNDLE_DOMAIN + body, signature):
        raise PayloadError(
            "The provisioning bundle's signature does not verify: it was altered or did not come from this "
            "hospital's provisioning service. Pair the device again."
        )
    try:
        bundle = cast(dict[str, JsonValue], json.loads(body.decode("utf-8")))
        canonical = isinstance(bundle, dict) and canonical_json(bundle) == body
    except (UnicodeDecodeError, ValueError, TypeError):
        canonical = False
    if not canonical:
        raise PayloadError("The provisioning bundle is not canonical JSON: pair the device again.")
    typed = all(isinstance(bundle.get(k), t) for k, t in _BUNDLE_FIELDS.items())
    if set(bundle) != set(_BUNDLE_FIELDS) or not typed or bundle["version"] != 1:
        raise PayloadError(
            f"The provisioning bundle is not version 1 with fields {sorted(_BUNDLE_FIELDS)}: update the "
            "device software or the provisioning service so that both speak the same version."
        )
    if bundle["device_id"] != expected_device_id:
        raise PayloadError(
            f"The provisioning bundle is for {bundle['device_id']}, not {expected_device_id}: pair the "
            "device again with its own code."
        )
    if not hmac.compare_digest(str(bundle["token_sha256"]), hashlib.sha256(token).hexdigest()):
        raise PayloadError("The provisioning bundle belongs to a different pairing: pair the device again.")
    return bundle


def _check_json(obj: object) -> None:
    if isinstance(obj, dict):
        for key, value in obj.items():
            if not isinstance(key, str) or not key.isascii():
                raise ValueError(f"canonical JSON keys must be ASCII strings, got {key!r}")
            _check_json(value)
    elif isinstance(obj, list):
        for item in obj:
            _check_json(item)
    elif isinstance(obj, int) and abs(obj) > 2**53 - 1:
        raise ValueError(f"canonical JSON integers must be within ±(2**53 - 1), got {obj}")
    elif not isinstance(obj, str | int | None):  # bool is an int
        raise ValueError(f"canonical JSON allows no {type(obj).__name__} values")

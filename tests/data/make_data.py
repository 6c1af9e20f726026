"""Generate the committed edge-case inputs in this folder (run once; the outputs are committed).

    .venv/bin/python tests/data/make_data.py

Every CSR is shaped like a monitor's (C=US, O=Hospital as in the test CA, OU=ICU, CN=ZM-001) except for the
one thing it is there to get wrong. Keys are thrown away: nothing here needs them again.
"""

from __future__ import annotations

import os
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

HERE = Path(__file__).resolve().parent


def _subject(cn: str = "ZM-001", *, org: str = "Hospital", extra: list[x509.NameAttribute] | None = None
             ) -> x509.Name:
    return x509.Name([
        x509.NameAttribute(NameOID.COUNTRY_NAME, "US"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, org),
        x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, "ICU"),
        *(extra or []),
        x509.NameAttribute(NameOID.COMMON_NAME, cn),
    ])


def _csr(subject: x509.Name, key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey | None = None,
         extensions: list[tuple[x509.ExtensionType, bool]] | None = None) -> x509.CertificateSigningRequest:
    builder = x509.CertificateSigningRequestBuilder().subject_name(subject)
    for extension, critical in extensions or []:
        builder = builder.add_extension(extension, critical=critical)
    return builder.sign(key or ec.generate_private_key(ec.SECP256R1()), hashes.SHA256())


def _pem(csr: x509.CertificateSigningRequest) -> bytes:
    return csr.public_bytes(serialization.Encoding.PEM)


def _broken_signature() -> bytes:
    """A well-formed CSR whose OU was changed from ICU to ICV after signing: parses, does not verify."""
    der = bytearray(_csr(_subject(), rsa.generate_private_key(public_exponent=65537, key_size=2048))
                    .public_bytes(serialization.Encoding.DER))
    at = der.index(b"ICU")
    der[at + 2] = ord("V")
    return bytes(der)


# DER of the OIDs a P-256 request carries, and same-length ones no library knows (a signature over the
# original bytes no longer verifies, which is also what a device with a broken encoder would send).
_ID_EC_PUBLIC_KEY = bytes.fromhex("06072a8648ce3d0201")  # 1.2.840.10045.2.1
_PRIME256V1 = bytes.fromhex("06082a8648ce3d030107")  # 1.2.840.10045.3.1.7


def _replaced(der: bytes, old: bytes, new: bytes) -> bytes:
    assert der.count(old) == 1 and len(old) == len(new)
    return der.replace(old, new)


def _bad_utf8_subject(der: bytes) -> bytes:
    """The OU's UTF8String "ICU" turned into the bytes FF FE 55, which are not UTF-8."""
    at = der.index(b"ICU")
    return der[:at] + b"\xff\xfeU" + der[at + 3:]


def outputs() -> dict[str, bytes]:
    good = _csr(_subject())
    good_pem = _pem(good)
    lines = good_pem.splitlines(keepends=True)
    return {
        # Parses and passes the policy (for ZM-001): the positive control for the odd ones below.
        "good_zm001.csr.pem": good_pem,
        "good_zm001.csr.der": good.public_bytes(serialization.Encoding.DER),
        # Not a request at all.
        "garbage.csr": os.urandom(700),
        "garbage_pem.csr.pem": b"-----BEGIN CERTIFICATE REQUEST-----\nbm90IGEgY3NyIGF0IGFsbA==\n"
                               b"-----END CERTIFICATE REQUEST-----\n",
        # Cut off half-way, as from an interrupted copy.
        "truncated.csr.pem": b"".join(lines[: len(lines) // 2]),
        "truncated.csr.der": good.public_bytes(serialization.Encoding.DER)[:150],
        "broken_signature.csr.der": _broken_signature(),
        # Deliberately too weak: the policy must refuse it.
        "rsa1024.csr.pem": _pem(_csr(_subject(), rsa.generate_private_key(public_exponent=65537,
                                                                          key_size=1024))),  # noqa: S505
        "ec_p521.csr.pem": _pem(_csr(_subject(), ec.generate_private_key(ec.SECP521R1()))),
        "ca_true.csr.pem": _pem(_csr(_subject(), extensions=[(x509.BasicConstraints(ca=True, path_length=None),
                                                              True)])),
        "server_auth_eku.csr.pem": _pem(_csr(_subject(), extensions=[
            (x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CLIENT_AUTH, ExtendedKeyUsageOID.SERVER_AUTH]), False)])),
        "cn_zm002.csr.pem": _pem(_csr(_subject("ZM-002"))),
        "cn_bad_pattern.csr.pem": _pem(_csr(_subject("monitor-7"))),
        "wrong_org.csr.pem": _pem(_csr(_subject(org="Other Clinic"))),
        "extra_attribute.csr.pem": _pem(_csr(_subject(extra=[x509.NameAttribute(NameOID.LOCALITY_NAME,
                                                                                "Springfield")]))),
        "unexpected_extension.csr.pem": _pem(_csr(_subject(), extensions=[
            (x509.NameConstraints(permitted_subtrees=[x509.DNSName("example")], excluded_subtrees=None), True)])),
        # A key algorithm and a curve nobody knows, and a subject that does not decode (issue 8 item 13).
        "unknown_key_algorithm.csr.der": _replaced(good.public_bytes(serialization.Encoding.DER), _ID_EC_PUBLIC_KEY,
                                                   bytes.fromhex("06072a8648ce3d0209")),
        "unknown_curve.csr.der": _replaced(good.public_bytes(serialization.Encoding.DER), _PRIME256V1,
                                           bytes.fromhex("06082a8648ce3d030163")),
        "subject_bad_utf8.csr.der": _bad_utf8_subject(good.public_bytes(serialization.Encoding.DER)),
        # CSV for bulk issuance: lines 2, 4 and 8 are good; each other line is wrong in one way.
        "bulk_mixed.csv": (
            b"device_id,ward,location\n"
            b"ZM-101,ICU,Bed 1\n"        # 2 good
            b"ZM-102,ICU\n"              # 3 wrong field count
            b"ZM-103,ICU,Bed 3\n"        # 4 good
            b",ICU,Bed 4\n"              # 5 empty id
            b"ZM-101,ICU,Bed 5\n"        # 6 duplicate of line 2
            b"monitor-7,ICU,Bed 6\n"     # 7 breaks the device-ID pattern
            b"ZM-108,Ward B,Bed 8\n"     # 8 good
        ),
    }


def main() -> None:
    for name, data in outputs().items():
        (HERE / name).write_bytes(data)
        print(f"wrote {name} ({len(data)} bytes)")


if __name__ == "__main__":
    main()

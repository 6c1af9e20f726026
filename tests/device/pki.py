"""A small in-memory PKI for the device agent's unit tests: a platform CA, and any certificate it (or a
foreign CA) may issue, with validity and extensions chosen by the test. Built with the product's own
certificate profiles, so the device sees what the console would issue."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from zmconsole.core import ca, keyfiles, keys, profiles
from zmconsole.core.pairing.protocol import PAIRING_SIGNER_EKU

KEY_PASSWORD = "server key password"


def now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


@dataclass
class Pki:
    name: str = "Z-Monitor-CA"
    key: ec.EllipticCurvePrivateKey = field(default_factory=lambda: ec.generate_private_key(ec.SECP384R1()))
    certificate: x509.Certificate = field(init=False)

    def __post_init__(self) -> None:
        subject = ca.build_subject(cn=self.name, org="Hospital", ou="IT", country="US", state="State")
        self.certificate = profiles.ca_certificate(self.key, subject, days=3650, now=now())

    @property
    def pem(self) -> bytes:
        return self.certificate.public_bytes(serialization.Encoding.PEM)

    def leaf(self, common_name: str, public_key: keys.PublicKey, *, usage: x509.ObjectIdentifier,
             names: list[x509.GeneralName] | None = None, crl_url: str = "", not_before: datetime | None = None,
             not_after: datetime | None = None) -> x509.Certificate:
        start = not_before or now() - timedelta(minutes=5)
        return profiles.leaf_certificate(
            ca_key=self.key, ca_cert=self.certificate, public_key=public_key,
            subject=profiles.leaf_subject(self.certificate.subject, common_name, None),
            names=names if names is not None else [x509.DNSName(common_name)], usage=usage,
            not_before=start, not_after=not_after or start + timedelta(days=365), urls=profiles.Urls(crl=crl_url))

    def server(self, directory: Path, *, host: str = "127.0.0.1", not_before: datetime | None = None,
               not_after: datetime | None = None) -> tuple[Path, Path]:
        """A serverAuth certificate for ``host`` (an IP), written as (cert PEM, encrypted key PEM)."""
        key = ec.generate_private_key(ec.SECP256R1())
        names: list[x509.GeneralName] = [x509.IPAddress(ipaddress.ip_address(host))]
        cert = self.leaf(host, key.public_key(), usage=ExtendedKeyUsageOID.SERVER_AUTH, names=names,
                         not_before=not_before, not_after=not_after)
        directory.mkdir(parents=True, exist_ok=True)
        cert_file, key_file = directory / "server.crt.pem", directory / "server.key.pem"
        cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM) + self.pem)
        key_file.write_bytes(keyfiles.encrypt_pkcs8(key, KEY_PASSWORD, iterations=1000))
        return cert_file, key_file

    def device(self, device_id: str, public_key: keys.PublicKey, *, crl_url: str = "",
               not_before: datetime | None = None, not_after: datetime | None = None) -> x509.Certificate:
        return self.leaf(device_id, public_key, usage=ExtendedKeyUsageOID.CLIENT_AUTH, crl_url=crl_url,
                         not_before=not_before, not_after=not_after)

    def signer(self, key: ec.EllipticCurvePrivateKey, *, eku: x509.ObjectIdentifier = PAIRING_SIGNER_EKU
               ) -> x509.Certificate:
        """A pairing signer certificate (docs/pairing-protocol.md §5.3): end entity, digitalSignature, the EKU."""
        start = now() - timedelta(minutes=5)
        return (
            x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Z Monitor pairing signer")]))
            .issuer_name(self.certificate.subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(start)
            .not_valid_after(start + timedelta(days=30))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=False, key_encipherment=False,
                                         data_encipherment=False, key_agreement=False, key_cert_sign=False,
                                         crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
            .add_extension(x509.ExtendedKeyUsage([eku]), critical=False)
            .sign(self.key, keys.signature_hash(self.key))
        )

    def crl(self, revoked: list[int] | None = None, *, this_update: datetime | None = None,
            reason: x509.ReasonFlags = x509.ReasonFlags.key_compromise) -> bytes:
        """A DER CRL listing ``revoked`` serials, issued at ``this_update`` (default: now)."""
        issued = this_update or now()
        builder = (x509.CertificateRevocationListBuilder()
                   .issuer_name(self.certificate.subject)
                   .last_update(issued)
                   .next_update(issued + timedelta(hours=48)))
        for serial in revoked or []:
            builder = builder.add_revoked_certificate(
                x509.RevokedCertificateBuilder().serial_number(serial).revocation_date(issued)
                .add_extension(x509.CRLReason(reason), critical=False).build())
        return builder.sign(self.key, keys.signature_hash(self.key)).public_bytes(serialization.Encoding.DER)

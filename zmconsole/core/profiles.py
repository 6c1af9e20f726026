"""Certificate profiles: exactly which fields and extensions each kind of certificate has.

One builder chain per profile, every extension and its criticality spelled out,
so a reviewer can hold this file against RFC 5280 and the seed.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from cryptography import x509
from cryptography.x509.oid import AuthorityInformationAccessOID, ExtendedKeyUsageOID, NameOID

from zmconsole.core.keys import PrivateKey, PublicKey, signature_hash

CLOCK_SKEW = timedelta(minutes=5)
MATCHED = (NameOID.COUNTRY_NAME, NameOID.ORGANIZATION_NAME)  # copied from the CA (policy *match*)


def serial_hex(serial: int) -> str:
    """A serial as the store, the CLI and ``openssl x509 -serial`` write it: upper-case hex, even length."""
    text = f"{serial:X}"
    return text if len(text) % 2 == 0 else "0" + text


@dataclass(frozen=True)
class Urls:
    """Where relying parties find revocation data and the issuer (empty: extension left out)."""

    crl: str = ""
    ocsp: str = ""
    ca_issuers: str = ""


@dataclass(frozen=True)
class Issuer:
    """What every leaf takes from its CA, read from the CA certificate once rather than per certificate.

    ``UnlockedCa.issuer`` holds one for as long as the CA is unlocked.
    """

    name: x509.Name
    matched: tuple[x509.NameAttribute[str | bytes], ...]  # the CA's C and O, in that order
    key_identifier: x509.AuthorityKeyIdentifier  # the AKI of every leaf: the CA's SKI

    @classmethod
    def of(cls, ca_cert: x509.Certificate) -> Issuer:
        name = ca_cert.subject
        ski = ca_cert.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
        return cls(name, matched_attributes(name), x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ski))


def matched_attributes(ca_subject: x509.Name) -> tuple[x509.NameAttribute[str | bytes], ...]:
    """The CA's C and O, in that order: what a leaf's subject must carry unchanged."""
    return tuple(a for oid in MATCHED for a in ca_subject.get_attributes_for_oid(oid))


def _ca_key_usage() -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=False, content_commitment=False, key_encipherment=False,
        data_encipherment=False, key_agreement=False,
        key_cert_sign=True,  # signs certificates (leaves, or a root's issuing CAs)
        crl_sign=True,  # signs its CRL
        encipher_only=False, decipher_only=False,
    )


def _self_signed(key: PrivateKey, subject: x509.Name, *, path_length: int, days: int,
                 now: datetime) -> x509.Certificate:
    public = key.public_key()
    ski = x509.SubjectKeyIdentifier.from_public_key(public)
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(public)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - CLOCK_SKEW)
        .not_valid_after(now + timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=True, path_length=path_length), critical=True)
        .add_extension(_ca_key_usage(), critical=True)
        .add_extension(ski, critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ski), critical=False)
        .sign(key, signature_hash(key))
    )


def ca_certificate(key: PrivateKey, subject: x509.Name, *, days: int, now: datetime) -> x509.Certificate:
    """The self-signed single platform CA (seed §3): 10 years by default, signs only leaves (pathLen 0)."""
    return _self_signed(key, subject, path_length=0, days=days, now=now)


def root_certificate(key: PrivateKey, subject: x509.Name, *, days: int, now: datetime) -> x509.Certificate:
    """The offline root of a hierarchy (issue 12): signs issuing CAs and nothing deeper (pathLen 1)."""
    return _self_signed(key, subject, path_length=1, days=days, now=now)


def issuing_request(key: PrivateKey, subject: x509.Name) -> x509.CertificateSigningRequest:
    """The issuing CA's request to its root. The root takes only the subject and the key from it: the
    extensions come from :func:`issuing_ca_certificate`, whatever a request asks for."""
    return x509.CertificateSigningRequestBuilder().subject_name(subject).sign(key, signature_hash(key))


def issuing_ca_certificate(*, root_key: PrivateKey, root: Issuer, public_key: PublicKey, subject: x509.Name,
                           not_before: datetime, not_after: datetime, urls: Urls,
                           serial: int | None = None) -> x509.Certificate:
    """An issuing CA signed by the root: signs leaves only (pathLen 0), its AKI the root's SKI."""
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(root.name)
        .public_key(public_key)
        .serial_number(serial if serial is not None else x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_ca_key_usage(), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
        .add_extension(root.key_identifier, critical=False)
    )
    return _distribution(builder, urls).sign(root_key, signature_hash(root_key))


def _leaf_key_usage(public: PublicKey) -> x509.KeyUsage:
    from cryptography.hazmat.primitives.asymmetric import rsa

    return x509.KeyUsage(
        digital_signature=True,  # the TLS handshake signature
        content_commitment=False,
        key_encipherment=isinstance(public, rsa.RSAPublicKey),  # RSA key transport (TLS 1.2 RSA suites)
        data_encipherment=False, key_agreement=False, key_cert_sign=False, crl_sign=False,
        encipher_only=False, decipher_only=False,
    )


def _distribution(builder: x509.CertificateBuilder, urls: Urls) -> x509.CertificateBuilder:
    if urls.crl:
        point = x509.DistributionPoint([x509.UniformResourceIdentifier(urls.crl)], None, None, None)
        builder = builder.add_extension(x509.CRLDistributionPoints([point]), critical=False)
    access = []
    if urls.ocsp:
        access.append(x509.AccessDescription(AuthorityInformationAccessOID.OCSP,
                                             x509.UniformResourceIdentifier(urls.ocsp)))
    if urls.ca_issuers:
        access.append(x509.AccessDescription(AuthorityInformationAccessOID.CA_ISSUERS,
                                             x509.UniformResourceIdentifier(urls.ca_issuers)))
    if access:
        builder = builder.add_extension(x509.AuthorityInformationAccess(access), critical=False)
    return builder


def leaf_certificate(
    *,
    ca_key: PrivateKey,
    ca_cert: x509.Certificate,
    public_key: PublicKey,
    subject: x509.Name,
    names: Sequence[x509.GeneralName],
    usage: x509.ObjectIdentifier,
    not_before: datetime,
    not_after: datetime,
    urls: Urls,
    serial: int | None = None,
    issuer: Issuer | None = None,
) -> x509.Certificate:
    """A device (clientAuth) or server (serverAuth) end-entity certificate.

    ``issuer``: ``ca_cert``'s :class:`Issuer` if the caller holds it (read from ``ca_cert`` otherwise).
    """
    issuer = issuer or Issuer.of(ca_cert)
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer.name)
        .public_key(public_key)
        .serial_number(serial if serial is not None else x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_leaf_key_usage(public_key), critical=True)
        .add_extension(x509.ExtendedKeyUsage([usage]), critical=False)
        .add_extension(x509.SubjectAlternativeName(list(names)), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
        .add_extension(issuer.key_identifier, critical=False)
    )
    return _distribution(builder, urls).sign(ca_key, signature_hash(ca_key))


def leaf_subject(ca_subject: x509.Name | Issuer, common_name: str, ou: str | None) -> x509.Name:
    """C and O copied from the CA (policy *match*), the optional OU, then CN."""
    attributes = list(ca_subject.matched if isinstance(ca_subject, Issuer) else matched_attributes(ca_subject))
    if ou:
        attributes.append(x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, ou))
    attributes.append(x509.NameAttribute(NameOID.COMMON_NAME, common_name))
    return x509.Name(attributes)


def server_names(hostname: str, dns: Sequence[str], ips: Sequence[ipaddress.IPv4Address | ipaddress.IPv6Address]
                 ) -> list[x509.GeneralName]:
    """The host name first, then the extra DNS names and addresses, without repeats."""
    ordered = list(dict.fromkeys([hostname, *dns]))
    names: list[x509.GeneralName] = [x509.DNSName(n) for n in ordered]
    names.extend(x509.IPAddress(ip) for ip in dict.fromkeys(ips))
    return names


CLIENT_AUTH = ExtendedKeyUsageOID.CLIENT_AUTH
SERVER_AUTH = ExtendedKeyUsageOID.SERVER_AUTH

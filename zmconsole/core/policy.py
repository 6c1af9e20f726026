"""The site policy for names, subjects and certificate requests.

Subjects are checked the way an ``openssl ca`` policy section would check them
(the seed's ``ca.conf`` is not included, so this is its default): ``C`` and
``O`` must *match* the CA's, ``OU`` (the ward) is *optional*, ``CN`` is
*supplied* and must equal the device ID (or host name), and any other
attribute is refused. Every violation is collected and named, so a person
fixes a CSR in one round instead of several; each is a :class:`Violation` whose
kind a caller can act on (the pairing answers map kinds to protocol error
codes). :func:`check_csr` verifies a CSR once; issuance signs only the
:class:`CheckedCsr` it returns.
"""

from __future__ import annotations

import enum
import ipaddress
import re
from collections.abc import Sequence
from dataclasses import dataclass

from cryptography import x509
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives.asymmetric.types import CertificatePublicKeyTypes
from cryptography.x509.oid import ExtendedKeyUsageOID, ExtensionOID, NameOID

from zmconsole.core.errors import InputError, PolicyError
from zmconsole.core.keys import leaf_key_violations
from zmconsole.core.profiles import MATCHED, Issuer, matched_attributes
from zmconsole.core.settings import Settings

_DNS_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
_SHORT = {
    NameOID.COUNTRY_NAME: "C", NameOID.STATE_OR_PROVINCE_NAME: "ST", NameOID.LOCALITY_NAME: "L",
    NameOID.ORGANIZATION_NAME: "O", NameOID.ORGANIZATIONAL_UNIT_NAME: "OU", NameOID.COMMON_NAME: "CN",
    NameOID.EMAIL_ADDRESS: "emailAddress", NameOID.SERIAL_NUMBER: "serialNumber",
}
# Extensions a device may put in its CSR; we never copy them, we only check they ask for nothing odd. A requested
# subjectAltName is ignored, as ``openssl ca`` does with ``copy_extensions = none`` (protocol §7.8): the profile's
# SAN is issued, and :func:`ignored_alt_names` says what was left out.
_ALLOWED_REQUESTED = {
    ExtensionOID.SUBJECT_ALTERNATIVE_NAME, ExtensionOID.KEY_USAGE, ExtensionOID.EXTENDED_KEY_USAGE,
    ExtensionOID.BASIC_CONSTRAINTS, ExtensionOID.SUBJECT_KEY_IDENTIFIER,
}
MAX_CSR_BYTES = 64 * 1024


def short_name(oid: x509.ObjectIdentifier) -> str:
    return _SHORT.get(oid, oid.dotted_string)


def check_device_id(device_id: str, settings: Settings) -> str:
    """The device ID if it matches the site pattern; otherwise a :class:`PolicyError`."""
    if not device_id or re.fullmatch(settings.device_id_pattern, device_id) is None:
        raise PolicyError(
            f"The device ID {device_id!r}", [f"it does not match the site pattern {settings.device_id_pattern}"],
            "Use the ID printed on the monitor (for example ZM-001), or change device-id-pattern.",
        )
    if _DNS_LABEL.match(device_id.lower()) is None:
        raise PolicyError(f"The device ID {device_id!r}",
                          ["it cannot be written as a DNS label (letters, digits and inner hyphens only)"],
                          "Use letters, digits and hyphens, up to 63 characters.")
    return device_id


def device_dns_name(device_id: str, settings: Settings) -> str:
    """The dNSName that carries the device ID in the SAN (pkilint rejects a bare ``ZM-001``)."""
    return f"{device_id.lower()}.{settings.device_dns_domain}"


def check_hostname(hostname: str) -> str:
    name = hostname.strip().lower().rstrip(".")
    labels = name.split(".")
    if not name or len(name) > 253 or not all(_DNS_LABEL.match(label) for label in labels):
        raise InputError(f"{hostname!r} is not a valid host name: use a DNS name such as "
                         "telemetry.hospital.example.")
    return name


def check_ip(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address:
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        raise InputError(f"{text!r} is not an IP address: give an IPv4 or IPv6 address such as 10.0.0.5.")\
            from None


def load_csr(data: bytes) -> x509.CertificateSigningRequest:
    """Parse a CSR given as PEM or DER; garbage, truncation, an unknown version and a subject that cannot
    be decoded (a string that is not valid UTF-8, say) become an :class:`InputError`."""
    if len(data) > MAX_CSR_BYTES:
        raise InputError(f"The CSR is {len(data)} bytes, larger than any real request: check the file.")
    try:
        csr = x509.load_pem_x509_csr(data) if b"-----BEGIN" in data else x509.load_der_x509_csr(data)
    except (ValueError, x509.InvalidVersion) as error:
        raise InputError(
            "The CSR cannot be read (it is not a PEM or DER certificate request, or it is truncated): "
            "export it again from the device."
        ) from error
    try:
        csr.subject  # noqa: B018 - parsed on access: decode it once here, where a failure can be explained
    except ValueError as error:
        raise InputError("The CSR's subject cannot be read (a name in it is not validly encoded): make the "
                         "request again on the device.") from error
    return csr


class ViolationKind(enum.StrEnum):
    """What a violation is about, so a front end (or the pairing answers) can react to the kind, not the words."""

    SIGNATURE = "signature"  # the CSR's self-signature does not verify: altered or damaged
    KEY = "key"  # the public key's type or size is outside the policy, or it cannot be read
    EXTENSIONS = "extensions"  # a requested extension is unexpected, unreadable or asks for too much
    COMMON_NAME = "common-name"  # CN missing, repeated or not the expected name
    SUBJECT = "subject"  # C/O not the CA's, a repeated or unexpected attribute
    WARD = "ward"  # the requested OU contradicts the ward given


@dataclass(frozen=True)
class Violation:
    """One broken rule: its kind and the words that name it (``str()``); ``found``: the CNs a request carried."""

    kind: ViolationKind
    text: str
    found: tuple[str, ...] = ()

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class CheckedCsr:
    """A CSR after the policy looked at it once: signature verified, key, extensions and subject checked.

    Issuance accepts this instead of the raw request, so a CSR is verified once however many layers handle it;
    it signs only a :class:`CheckedCsr` without ``violations``.
    """

    csr: x509.CertificateSigningRequest
    public_key: CertificatePublicKeyTypes | None  # None if it could not be read (a KEY violation)
    requested_ou: str | None
    violations: tuple[Violation, ...]

    def accepted(self, what: str) -> CheckedCsr:
        """This CSR if it has no violation; otherwise a :class:`PolicyError` naming them all."""
        if self.violations:
            raise PolicyError(f"The CSR for {what}", [str(v) for v in self.violations],
                              "Fix the request on the device and send it again.")
        return self


def check_csr(csr: x509.CertificateSigningRequest, *, common_name: str, expected_names: Sequence[str] = (),
              client: bool = True, ca_subject: x509.Name | Issuer | None = None) -> CheckedCsr:
    """Check a CSR against the site policy, collecting every violation.

    ``ca_subject`` checks the whole subject with the match/optional/supplied rules; None checks only its CN
    (EST pairing: a device knows nothing of the site's C/O/OU, the profile sets them).
    """
    violations = _signature(csr)
    public: CertificatePublicKeyTypes | None = None
    try:
        public = csr.public_key()
        violations += [Violation(ViolationKind.KEY, text) for text in leaf_key_violations(public)]
    except (ValueError, UnsupportedAlgorithm, x509.UnsupportedGeneralNameType) as error:  # unknown key type or curve
        violations.append(Violation(ViolationKind.KEY, f"its public key cannot be read ({error})"))
    violations += _requested_extensions(csr, expected_names, client)
    subject = csr.subject  # parsed on every access
    requested_ou: str | None = None
    if ca_subject is None:
        violations += _cn_violations([str(a.value) for a in subject.get_attributes_for_oid(NameOID.COMMON_NAME)],
                                     common_name)
    else:
        violations += subject_violations(subject, ca_subject, common_name)
        ou = subject.get_attributes_for_oid(NameOID.ORGANIZATIONAL_UNIT_NAME)
        requested_ou = str(ou[0].value) if ou else None
    return CheckedCsr(csr, public, requested_ou, tuple(violations))


def _signature(csr: x509.CertificateSigningRequest) -> list[Violation]:
    try:
        signature_ok = csr.is_signature_valid
    except Exception:  # an unsupported or malformed signature algorithm
        signature_ok = False
    return [] if signature_ok else [Violation(ViolationKind.SIGNATURE, "its signature does not verify (the "
                                                                       "request was altered or is damaged)")]


def _cn_violations(names: Sequence[str], expected: str) -> list[Violation]:
    problem = common_name_problem(names, expected)
    return [] if problem is None else [Violation(ViolationKind.COMMON_NAME, problem, tuple(names))]


def common_name_problem(names: Sequence[object], expected: str) -> str | None:
    """What is wrong with a subject's CN values, in words that never contradict themselves: a subject with
    two CNs is refused as such, even when both are the expected one."""
    if not names:
        return f"CN is missing (it must be {expected!r})"
    if len(names) > 1:
        listed = ", ".join(repr(str(n)) for n in names)
        return f"the subject has {len(names)} CNs ({listed}) but must have exactly one, {expected!r}"
    if names[0] != expected:
        return f"CN is {str(names[0])!r} but must be {expected!r}"
    return None


def subject_violations(subject: x509.Name, ca_subject: x509.Name | Issuer, expected_cn: str) -> list[Violation]:
    """Check a requested subject against the match/optional/supplied policy (the CA's name, or its Issuer)."""
    matched = ca_subject.matched if isinstance(ca_subject, Issuer) else matched_attributes(ca_subject)
    problems: list[Violation] = []
    seen: dict[x509.ObjectIdentifier, list[str]] = {}
    for attribute in subject:
        value = attribute.value if isinstance(attribute.value, str) else attribute.value.decode(errors="replace")
        seen.setdefault(attribute.oid, []).append(value)
    for oid, values in seen.items():
        if len(values) > 1 and oid != NameOID.COMMON_NAME:  # the CN's own rule below says it
            problems.append(Violation(ViolationKind.SUBJECT, f"{short_name(oid)} appears {len(values)} times"))
    for oid in MATCHED:
        wanted = [a.value for a in matched if a.oid == oid]
        got = seen.get(oid)
        if wanted and got is None:
            problems.append(Violation(ViolationKind.SUBJECT, f"{short_name(oid)} is missing (it must be "
                                                             f"{wanted[0]!r}, as in the CA)"))
        elif wanted and got is not None and got != wanted:
            problems.append(Violation(ViolationKind.SUBJECT, f"{short_name(oid)} is {got[0]!r} but must be "
                                                             f"{wanted[0]!r}, as in the CA"))
        elif not wanted and got is not None:
            problems.append(Violation(ViolationKind.SUBJECT, f"{short_name(oid)} is not allowed (the CA has none)"))
    problems += _cn_violations(seen.get(NameOID.COMMON_NAME, []), expected_cn)
    allowed = {*MATCHED, NameOID.ORGANIZATIONAL_UNIT_NAME, NameOID.COMMON_NAME}
    for oid in seen:
        if oid not in allowed:
            problems.append(Violation(ViolationKind.SUBJECT, f"{short_name(oid)} is not allowed in the subject"))
    return problems


def _requested_extensions(csr: x509.CertificateSigningRequest, expected_names: Sequence[str],
                          client: bool) -> list[Violation]:
    """What the requested extensions ask for beyond a leaf certificate of its own names."""
    try:
        extensions = list(csr.extensions)
    except (ValueError, x509.DuplicateExtension) as error:
        return [Violation(ViolationKind.EXTENSIONS, f"its requested extensions cannot be read ({error})")]
    problems: list[Violation] = []
    for ext in extensions:
        if ext.oid not in _ALLOWED_REQUESTED:
            problems.append(Violation(ViolationKind.EXTENSIONS, "it requests the unexpected extension "
                                                                f"{ext.oid._name or ext.oid.dotted_string}"))
            continue
        value = ext.value
        if isinstance(value, x509.BasicConstraints) and value.ca:
            problems.append(Violation(ViolationKind.EXTENSIONS, "it requests CA:TRUE (a device certificate can "
                                                                "never be a CA)"))
        if isinstance(value, x509.ExtendedKeyUsage):
            wanted = ExtendedKeyUsageOID.CLIENT_AUTH if client else ExtendedKeyUsageOID.SERVER_AUTH
            odd = [u for u in value if u != wanted]
            if odd:
                names = ", ".join(u._name or u.dotted_string for u in odd)
                problems.append(Violation(ViolationKind.EXTENSIONS, f"it requests extended key usages {names} "
                                          f"beyond {'clientAuth' if client else 'serverAuth'}"))
        if isinstance(value, x509.KeyUsage) and (value.key_cert_sign or value.crl_sign):
            problems.append(Violation(ViolationKind.EXTENSIONS, "it requests keyCertSign or cRLSign key usage"))
    return problems


_SAN_PREFIX: dict[type[x509.GeneralName], str] = {x509.DNSName: "DNS", x509.IPAddress: "IP", x509.RFC822Name: "email",
               x509.UniformResourceIdentifier: "URI"}


def ignored_alt_names(csr: x509.CertificateSigningRequest, issued_names: Sequence[str]) -> tuple[str, ...]:
    """The names a CSR's subjectAltName asks for that the certificate will not carry (``DNS:…``, ``IP:…``),
    in the CSR's order; empty when it asks for none, or only for ``issued_names``."""
    try:
        requested = csr.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except (x509.ExtensionNotFound, ValueError, x509.DuplicateExtension, x509.UnsupportedGeneralNameType):
        return ()
    own = {name.lower() for name in issued_names}
    ignored: list[str] = []
    for name in requested:
        text = str(name.value)
        if text.lower() not in own:
            ignored.append(f"{_SAN_PREFIX.get(type(name), 'otherName')}:{text}"[:200])
    return tuple(dict.fromkeys(ignored))

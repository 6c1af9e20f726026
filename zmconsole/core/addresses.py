"""Host names and URLs as the standards define them, checked before they reach a certificate.

A setting such as ``crl-url`` or ``device-dns-domain`` ends up in every certificate issued after it is set
(the CRL distribution point, the device's dNSName), where X.509 allows only ASCII (RFC 5280 §4.2.1.6,
§7.2-7.4). So a URL is parsed as RFC 3986 says (Appendix B splits it; §3.2 and §3.3 say what each part may
hold), a host name is made of DNS labels (RFC 1035 §2.3.1, RFC 1123 §2.1: letters, digits and inner hyphens,
63 characters a label, 253 in all), and an internationalised name is turned into its ASCII form with IDNA
(RFC 3490, Python's ``idna`` codec), which is the form a certificate must carry. Everything else is refused
with the reason, never passed on to become an internal error at the next issuance.
"""

from __future__ import annotations

import ipaddress
import re

from zmconsole.core.errors import InputError

MAX_NAME = 253  # RFC 1035 §2.3.4, in the dotted text form
MAX_URL = 1024  # far more than any CRL or OCSP address needs; keeps certificates small

_LABEL = re.compile(r"(?!-)[a-z0-9-]{1,63}(?<!-)")
_URI = re.compile(r"(?:([^:/?#]+):)?(?://([^/?#]*))?([^?#]*)(?:\?([^#]*))?(?:#(.*))?", re.S)  # RFC 3986 App. B
_PCT = r"%[0-9A-Fa-f]{2}"
_PATH = re.compile(rf"(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/]|{_PCT})*")  # RFC 3986 §3.3 (pchar and "/")
_QUERY = re.compile(rf"(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/?]|{_PCT})*")  # RFC 3986 §3.4
_IPV4 = re.compile(r"[0-9.]+")


def _ascii_labels(text: str) -> str:
    """``text`` in ASCII: an internationalised name through IDNA, anything else as it is (checked later)."""
    if text.isascii():
        return text
    try:
        return text.encode("idna").decode("ascii")
    except UnicodeError:
        raise InputError(f"{text!r} is not a valid internationalised name (IDNA): write it in ASCII, or check "
                         "the characters.") from None


def _decoded(label: str, text: str) -> str:
    try:
        return label.encode("ascii").decode("idna")
    except UnicodeError:
        raise InputError(f"{text!r} is not a valid internationalised name (IDNA): {label!r} does not decode; "
                         "write the name as it is spelled, the console encodes it.") from None


def dns_name(text: str, what: str, *, max_length: int = MAX_NAME) -> str:
    """``text`` as a lower-case ASCII DNS name, or an :class:`InputError` naming ``what`` and the fault."""
    name = text.strip().rstrip(".")
    if not name:
        raise InputError(f"{what} is empty: give a DNS name such as devices.hospital.example.")
    name = _ascii_labels(name).lower()
    bad = [label for label in name.split(".") if _LABEL.fullmatch(label) is None]
    if bad:
        raise InputError(f"{what} {text!r} is not a valid DNS name: {bad[0]!r} is not a label (letters, digits "
                         "and inner hyphens, 1 to 63 characters, between dots). Use for example "
                         "devices.hospital.example.")
    for label in name.split("."):
        if label.startswith("xn--"):  # an A-label must decode (RFC 3490 §4.2), or nobody can read the name
            _decoded(label, text)
    if len(name) > max_length:
        raise InputError(f"{what} {text!r} is too long ({len(name)} characters): use at most {max_length}.")
    return name


def _host(host: str, what: str, text: str, example: str) -> str:
    """The host of a URL's authority (RFC 3986 §3.2.2) in its canonical form."""
    if host.startswith("[") and host.endswith("]"):
        try:
            return f"[{ipaddress.IPv6Address(host[1:-1]).compressed}]"
        except ValueError:
            raise InputError(f"{what} {text!r} has an invalid IPv6 address {host!r}.") from None
    if _IPV4.fullmatch(host):
        try:
            return str(ipaddress.IPv4Address(host))
        except ValueError:
            raise InputError(f"{what} {text!r} has an invalid IPv4 address {host!r}.") from None
    try:
        return dns_name(host.replace("%", "\0"), "host name")  # a percent-encoded host name is refused too
    except InputError:
        raise InputError(f"{what} {text!r} is not a valid URL: its host name {host!r} is not a DNS name (letters, "
                         f"digits and inner hyphens, between dots) nor an IP address. Use for example "
                         f"{example}.") from None


def http_url(text: str, what: str, *, schemes: tuple[str, ...] = ("http", "https")) -> str:
    """``text`` as an absolute http(s) URL in canonical form (lower-case scheme and host, IDNA host name).

    Refused with the reason: another scheme, no host, user information, a bad port, a fragment, or a
    character RFC 3986 does not allow where it stands (a space, a non-ASCII letter in the path: percent-encode
    those).
    """
    example = "http://pki.hospital.example/crl" if "http" in schemes else "https://provisioning.hospital.example:8443/"
    url = text.strip()
    if len(url) > MAX_URL:
        raise InputError(f"{what} is too long ({len(url)} characters): use at most {MAX_URL}.")
    match = _URI.fullmatch(url)
    assert match is not None  # the Appendix B expression matches every string
    scheme, authority, path, query, fragment = match.groups()
    if scheme is None or scheme.lower() not in schemes:
        raise InputError(f"{what} must be an {' or '.join(schemes)} URL with a host name, not {text!r}: use for "
                         f"example {example}.")
    if not authority:
        raise InputError(f"{what} {text!r} has no host name: use for example {example}.")
    if "@" in authority:
        raise InputError(f"{what} {text!r} holds user information (before '@'): leave it out, a certificate's "
                         "URL is public.")
    host, port = authority, ""
    if ":" in authority.rpartition("]")[2]:  # a port after the host (an IPv6 literal has colons of its own)
        host, _, port = authority.rpartition(":")
    if port and (not port.isascii() or not port.isdigit() or not 0 < int(port) <= 65535):
        raise InputError(f"{what} {text!r} has an invalid port {port!r}: use a number from 1 to 65535.")
    canonical_host = _host(host, what, text, example)
    if fragment is not None:
        raise InputError(f"{what} {text!r} has a fragment ('#'): leave it out.")
    if not _PATH.fullmatch(path) or (query is not None and not _QUERY.fullmatch(query)):
        raise InputError(f"{what} {text!r} has a character a URL cannot hold as it is (a space, a non-ASCII or "
                         "a control character): percent-encode it, for example a space as %20.")
    return (f"{scheme.lower()}://{canonical_host}{':' + str(int(port)) if port else ''}{path}"
            + (f"?{query}" if query is not None else ""))

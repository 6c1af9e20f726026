"""The seed's troubleshooting table (DOC-PROC-023 §9) and the device agent's one error type.

| Issue        | Symptom                    | Resolution                |
| ------------ | -------------------------- | ------------------------- |
| Expired cert | Handshake fails, "expired" | Renew certificate         |
| Wrong CA     | Untrusted server           | Install correct CA bundle |
| Revoked      | Handshake rejected         | Reprovision device        |
| Clock skew   | "Not yet valid"            | Sync NTP                  |

Every failure the agent reports is a :class:`DeviceError`: one sentence saying what happened and what to
do, and, where a row of the table applies, that row's issue and resolution in the seed's own words, so a
technician can look it up. The TLS library's verification codes and alerts are mapped to rows here, in one
place, so the enrollment and the smoke test word the same failure the same way.
"""

from __future__ import annotations

import enum

from zmconsole.core.errors import ZmError


class Issue(enum.Enum):
    """A row of DOC-PROC-023 §9: (issue, resolution), worded exactly as the seed words them."""

    EXPIRED = ("Expired cert", "Renew certificate")
    WRONG_CA = ("Wrong CA", "Install correct CA bundle")
    REVOKED = ("Revoked", "Reprovision device")
    CLOCK_SKEW = ("Clock skew", "Sync NTP")

    @property
    def label(self) -> str:
        return self.value[0]

    @property
    def resolution(self) -> str:
        return self.value[1]


class DeviceError(ZmError):
    """A failure of the device agent; ``str()`` is the whole one-line message, troubleshooting included."""

    def __init__(self, message: str, issue: Issue | None = None) -> None:
        self.issue = issue
        if issue is not None:
            message = f"{message} Troubleshooting (DOC-PROC-023 §9, {issue.label}): {issue.resolution}."
        super().__init__(message)


# OpenSSL X509_V_ERR_* codes (include/openssl/x509_vfy.h) the device can meet when it checks a server.
_NOT_YET_VALID = {9}  # CERT_NOT_YET_VALID
_EXPIRED = {10}  # CERT_HAS_EXPIRED
_UNTRUSTED = {
    2,  # UNABLE_TO_GET_ISSUER_CERT
    7,  # CERT_SIGNATURE_FAILURE
    18,  # DEPTH_ZERO_SELF_SIGNED_CERT
    19,  # SELF_SIGNED_CERT_IN_CHAIN
    20,  # UNABLE_TO_GET_ISSUER_CERT_LOCALLY
    21,  # UNABLE_TO_VERIFY_LEAF_SIGNATURE
    24,  # INVALID_CA
    26,  # INVALID_PURPOSE (not a TLS server certificate)
}
_REVOKED = {23}  # CERT_REVOKED
_NAME_MISMATCH = {62, 63, 64}  # HOSTNAME_MISMATCH, EMAIL_MISMATCH, IP_ADDRESS_MISMATCH


def server_certificate_error(url: str, code: int, reason: str) -> DeviceError:
    """The device refused the server at ``url``: OpenSSL verification ``code`` (``reason`` is its text)."""
    what = f"The device refused the server at {url} (OpenSSL: {reason}): its certificate"
    if code in _NOT_YET_VALID:
        return DeviceError(f"{what} is not valid yet by this device's clock, which is probably behind.",
                           Issue.CLOCK_SKEW)
    if code in _EXPIRED:
        return DeviceError(f"{what} has expired (or this device's clock is ahead): renew the server's certificate "
                           "on the console.", Issue.EXPIRED)
    if code in _UNTRUSTED:
        return DeviceError(f"{what} does not chain to this device's platform CA: this is not a server of this "
                           "hospital's PKI, or the device holds the wrong CA.", Issue.WRONG_CA)
    if code in _REVOKED:
        return DeviceError(f"{what} was revoked: issue the server a new one on the console.")
    if code in _NAME_MISMATCH:
        return DeviceError(f"{what} was issued for another host name or address: use the URL the certificate "
                           "names, or issue the server a certificate for this name.")
    return DeviceError(f"{what} failed verification: check the server's certificate on the console.")


# TLS alerts a server sends about the client's certificate, as OpenSSL names them in SSLError.reason.
_ALERT_ISSUES = {
    "CERTIFICATE_EXPIRED": Issue.EXPIRED,
    "CERTIFICATE_REVOKED": Issue.REVOKED,
    "UNKNOWN_CA": Issue.WRONG_CA,
}


def alert_issue(reason: str) -> Issue | None:
    """The table row a TLS alert names (``SSLV3_ALERT_CERTIFICATE_REVOKED`` -> REVOKED), if any."""
    for name, issue in _ALERT_ISSUES.items():
        if reason.endswith(name):
            return issue
    return None

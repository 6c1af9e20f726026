"""``zmdevice status``: the installed identity at a glance, without the keystore secret.

Only the private key is encrypted; the certificate, CA chain, CRL and pairing facts are not secret, so a
technician can read them without unlocking anything.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from zmconsole.device import keystore, renewal, revocation_cache, trust
from zmconsole.device.enroll import issuer_of
from zmconsole.device.troubleshooting import Issue


def report(directory: Path, now: datetime) -> dict[str, Any]:
    """Everything ``status`` shows, as JSON-ready values (times ISO 8601 UTC)."""
    identity = keystore.load(directory)
    certificate = identity.certificate
    cached = revocation_cache.load(directory, issuer_of(identity))
    revoked = cached.revocation(certificate.serial_number) if cached is not None and cached.usable(now) else None
    days_left = math.floor((certificate.not_valid_after_utc - now).total_seconds() / 86400)
    if now < certificate.not_valid_before_utc:
        state, issue = "not yet valid", Issue.CLOCK_SKEW
    elif now > certificate.not_valid_after_utc:
        state, issue = "expired", Issue.EXPIRED
    elif revoked is not None:
        state, issue = "revoked", Issue.REVOKED
    elif days_left <= identity.threshold_urgent:
        state, issue = "renewal due", Issue.EXPIRED
    else:
        state, issue = "valid", None
    crl: dict[str, Any] | None = None
    if cached is not None:
        crl = {
            "this_update": cached.this_update.isoformat(),
            "next_update": cached.next_update.isoformat() if cached.next_update else None,
            "fetched_at": cached.fetched_at.isoformat(),
            "age_hours": round(cached.age(now).total_seconds() / 3600, 1),
            "usable": cached.usable(now),
            "entries": len(cached.crl),
            "lists_this_device": revoked is not None,
        }
    return {
        "keystore": str(directory),
        "device_id": trust.common_name(certificate),
        "serial": trust.serial_of(certificate),
        "subject": trust.subject_of(certificate),
        "issuer": certificate.issuer.rfc4514_string(),
        "not_before": certificate.not_valid_before_utc.isoformat(),
        "not_after": certificate.not_valid_after_utc.isoformat(),
        "days_left": days_left,
        "state": state,
        "troubleshooting": f"{issue.label}: {issue.resolution}" if issue is not None else None,
        "ca_subject": trust.subject_of(identity.anchor),
        "ca_fingerprint": identity.ca_fingerprint,
        "provisioning_url": identity.provisioning_url,
        "crl_url": revocation_cache.distribution_point(certificate) or identity.crl_url or None,
        "ocsp_url": identity.ocsp_url,
        "renewal_url": identity.renewal_url,
        "paired_at": identity.paired_at.isoformat(),
        "crl": crl,
        "permission_problems": keystore.permission_problems(directory),
        "band": str(renewal.band(certificate, now, identity.threshold_urgent)),
        "threshold_days": identity.threshold_urgent,
        **renewal.summary(directory, now),
    }


def render(facts: dict[str, Any]) -> str:
    """The report as aligned text for a person."""
    crl = facts["crl"]
    if crl is None:
        crl_line = "not fetched yet"
    else:
        limit = f"{revocation_cache.MAX_AGE.total_seconds() / 3600:.0f} h"
        age = revocation_cache.describe_age(timedelta(hours=crl["age_hours"]))
        crl_line = (f"{age} old (this update {crl['this_update']}), {crl['entries']} entries, "
                    + ("usable" if crl["usable"] else f"UNUSABLE (older than {limit})")
                    + ("; LISTS THIS DEVICE" if crl["lists_this_device"] else ""))
    permissions = "0700/0600 ok" if not facts["permission_problems"] else "; ".join(facts["permission_problems"])
    fingerprint = facts["ca_fingerprint"].upper()
    rows = [
        ("Device ID", facts["device_id"]),
        ("State", facts["state"] + (f" (troubleshooting: {facts['troubleshooting']})" if facts["troubleshooting"]
                                    else "")),
        ("Serial", facts["serial"]),
        ("Subject", facts["subject"]),
        ("Valid", f"{facts['not_before']} to {facts['not_after']}"),
        ("Days left", str(facts["days_left"])),
        ("CA", facts["ca_subject"]),
        ("CA SHA-256", " ".join(fingerprint[i:i + 4] for i in range(0, len(fingerprint), 4))),
        ("CRL", crl_line),
        ("CRL URL", facts["crl_url"] or "-"),
        ("Provisioning", facts["provisioning_url"]),
        ("Renewal URL", facts["renewal_url"]),
        ("Paired at", facts["paired_at"]),
        ("Renewal", _renewal_line(facts)),
        ("Keystore", f"{facts['keystore']} ({permissions}; private key encrypted, AES-256)"),
    ]
    width = max(len(name) for name, _ in rows)
    return "\n".join(f"{name:<{width}}  {value}" for name, value in rows)


def _renewal_line(facts: dict[str, Any]) -> str:
    """The renewal record, pending identity and previous one (grace) in one line."""
    parts = []
    record, pending, previous = facts["renewal"], facts["pending"], facts["previous"]
    if record is not None:
        parts.append(f"replaced {record['replaces_serial']} on {record['renewed_at']}, "
                     + (f"confirmed {record['confirmed_at']}" if record["confirmed_at"] else "NOT confirmed"))
    if previous is not None and previous["grace_ends"]:
        parts.append(f"old certificate {previous['serial']} valid in grace until {previous['grace_ends']}")
    if pending is not None:
        parts.append(f"pending {pending['serial'] or '(request only)'}: finished by zmdevice check or renew")
    return "; ".join(parts) or "never renewed"

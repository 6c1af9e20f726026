"""Business settings, kept in the store so the CLI, GUI and service share them.

Each setting has a named key (the CLI spells it with hyphens: ``crl-url``), a
type and a default (:class:`Settings`), and one entry in :data:`FIELDS` with its
bounds, label, group and help: validation, ``zmconsole config`` and the
console's Settings page all go through that table, so a setting is described
once. Window geometry and view state are not here: the GUI keeps those in
``QSettings``.

How an operation gets its settings, one rule everywhere: it takes a ``settings``
value from its caller, and when given none (``settings=None``, a one-off command)
it reads them from the store once, before it first needs them. It never reads them again
while it runs, and it passes the value it has to the operations it calls (bulk
and pairing to issuance, pairing to the signer), so one operation acts on one
set of settings even while another process changes them. Front ends load them
once per command, per request, or per GUI session (``Session.settings``,
reloaded when the Settings page saves). Queries (inventory, report) always take
them: the thresholds decide which status a row has, and one screen shows one set.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any

from zmconsole.core import addresses
from zmconsole.core.errors import InputError
from zmconsole.core.store import Snapshot, Store


@dataclass(frozen=True)
class Settings:
    """Every business setting with its default."""

    device_id_pattern: str = r"ZM-[0-9]+"
    device_dns_domain: str = "devices.hospital.example"
    device_days: int = 365
    server_days: int = 365
    threshold_warn: int = 90
    threshold_soon: int = 30
    threshold_urgent: int = 7
    crl_url: str = ""
    ocsp_url: str = ""
    ca_issuers_url: str = ""
    provisioning_url: str = "https://127.0.0.1:8443/"
    crl_next_update_hours: int = 48
    crl_publish_dir: str = ""
    idle_lock_minutes: int = 10
    pairing_ttl_seconds: int = 1800
    renewal_key_reuse: str = "refuse"
    renewal_grace_days: int = 7
    renew_after_expiry_days: int = 0
    renewal_overdue_days: int = 2

    @property
    def thresholds(self) -> tuple[int, int, int]:
        return (self.threshold_warn, self.threshold_soon, self.threshold_urgent)


class Group(StrEnum):
    """The headings settings are shown under, in this order."""

    SITE = "Site policy"
    VALIDITY = "Validity"
    ALERTS = "Expiry alerts"
    REVOCATION = "Revocation and addresses"
    PAIRING = "Pairing"
    RENEWAL = "Renewal"
    SECURITY = "Security"


def cli_name(name: str) -> str:
    return name.replace("_", "-")


@dataclass(frozen=True)
class Field:
    """One setting: its type and bounds, and how a person sees it (label, group, help)."""

    name: str  # the attribute of Settings; the CLI and the audit spell it with hyphens (``key``)
    kind: type[int] | type[str]
    group: Group
    label: str
    help: str
    minimum: int | None = None  # numbers: the bounds, both inclusive
    maximum: int | None = None
    check: Callable[[str, str], str] | None = None  # text: (key, value) -> canonical value, or InputError

    @property
    def key(self) -> str:
        return cli_name(self.name)

    def coerce(self, raw: object) -> int | str:
        """``raw`` (text from the CLI, a number or text from the GUI) as this setting's value, or InputError."""
        if self.kind is int:
            return self._number(raw)
        text = str(raw).strip()
        return self.check(self.key, text) if self.check is not None else text

    def _number(self, raw: object) -> int:
        if isinstance(raw, int) and not isinstance(raw, bool):
            value = raw
        elif isinstance(raw, str) and re.fullmatch(r"[0-9]{1,12}", raw.strip()):
            value = int(raw.strip())
        else:
            raise InputError(f"{self.key} must be a whole number of {self.unit}, not {raw!r}.")
        assert self.minimum is not None and self.maximum is not None
        if not self.minimum <= value <= self.maximum:
            lowest = "greater than zero" if self.minimum == 1 else f"at least {self.minimum}"
            raise InputError(f"{self.key} must be {lowest} and at most {self.maximum:,} {self.unit}, "
                             f"not {value:,}.")
        return value

    @property
    def unit(self) -> str:
        return self.name.rsplit("_", 1)[-1] if self.name.endswith(("_days", "_hours", "_minutes", "_seconds")) \
            else "days"


def _pattern(key: str, text: str) -> str:
    if not text:
        raise InputError(f"{key} is empty: give a regular expression such as ZM-[0-9]+.")
    if len(text) > MAX_PATTERN:
        raise InputError(f"{key} is too long ({len(text)} characters): use at most {MAX_PATTERN}.")
    try:
        re.compile(text)
    except re.error as error:
        raise InputError(f"{key} is not a valid regular expression ({error}).") from None
    return text


def _domain(key: str, text: str) -> str:
    return addresses.dns_name(text, key, max_length=MAX_DEVICE_DOMAIN)


def _url(key: str, text: str) -> str:
    return addresses.http_url(text, key) if text else ""


def _provisioning_url(key: str, text: str) -> str:
    # It goes into pairing QR codes as https://host[:port]/ and nothing more.
    from zmconsole.core.pairing.protocol import PayloadError, check_provisioning_url  # cryptography: when used

    try:
        return check_provisioning_url(addresses.http_url(text, key, schemes=("https",)))
    except PayloadError as error:  # the QR's words for it; a setting is refused as a setting
        raise InputError(str(error)) from None


KEY_REUSE_CHOICES = ("refuse", "allow")


def _key_reuse(key: str, text: str) -> str:
    if text.lower() not in KEY_REUSE_CHOICES:
        raise InputError(f"{key} must be refuse or allow, not {text!r}.")
    return text.lower()


def _folder(key: str, text: str) -> str:
    if not text.isprintable() or len(text) > MAX_FOLDER:
        raise InputError(f"{key} must be a folder path of printable characters (at most {MAX_FOLDER}), "
                         f"not {text!r}.")
    return text


MAX_PATTERN = 200
MAX_FOLDER = 4096
# A device's dNSName is its ID (one label, up to 63 characters), a dot, and this domain: 253 in all.
MAX_DEVICE_DOMAIN = addresses.MAX_NAME - 64
PAIRING_TTL_MAX = 24 * 3600  # a token lives minutes, not days: the threat model counts on it (protocol §11)
_DAYS = 3650  # ten years: no certificate or alert the console makes goes further

FIELDS: tuple[Field, ...] = (
    Field("device_id_pattern", str, Group.SITE, "Device ID pattern (regular expression)",
          "Every device ID must match it whole, for example ZM-[0-9]+.", check=_pattern),
    Field("device_dns_domain", str, Group.SITE, "Device DNS domain",
          "Each device certificate names the device as ID.domain (zm-001.devices.hospital.example).",
          check=_domain),
    Field("device_days", int, Group.VALIDITY, "Device certificates (days)",
          "How long a device certificate is valid, never past the CA.", 1, _DAYS),
    Field("server_days", int, Group.VALIDITY, "Server certificates (days)",
          "How long a server certificate is valid, never past the CA.", 1, _DAYS),
    Field("threshold_warn", int, Group.ALERTS, "Warn at (days left)",
          "The first alert: the certificate should be renewed soon.", 1, _DAYS),
    Field("threshold_soon", int, Group.ALERTS, "Soon at (days left)",
          "The second alert; below the first.", 1, _DAYS),
    Field("threshold_urgent", int, Group.ALERTS, "Urgent at (days left)",
          "The last alert (critical); below the second.", 1, _DAYS),
    Field("crl_url", str, Group.REVOCATION, "CRL distribution URL",
          "Put in each certificate issued from now on (http://...); empty for none.", check=_url),
    Field("ocsp_url", str, Group.REVOCATION, "OCSP responder URL",
          "Put in each certificate issued from now on; empty for none.", check=_url),
    Field("ca_issuers_url", str, Group.REVOCATION, "CA certificate URL",
          "Where a client can fetch the CA certificate; empty for none.", check=_url),
    Field("provisioning_url", str, Group.REVOCATION, "Provisioning service URL",
          "https://host[:port]/ of the provisioning service, as pairing QR codes carry it.",
          check=_provisioning_url),
    Field("crl_next_update_hours", int, Group.REVOCATION, "CRL valid for (hours)",
          "The nextUpdate of each CRL, counted from its signing; a year at most.", 1, 8760),
    Field("crl_publish_dir", str, Group.REVOCATION, "CRL publish folder",
          "Every new CRL is written here as crl.pem and crl.der (the web server's folder); empty for none.",
          check=_folder),
    Field("idle_lock_minutes", int, Group.SECURITY, "Lock the CA after idle (minutes)",
          "The console forgets the unlocked CA key after this long without use.", 1, 1440),
    Field("pairing_ttl_seconds", int, Group.PAIRING, "Pairing code valid for (seconds)",
          "How long a pairing QR code and its code can be used; 24 hours at most.", 60, PAIRING_TTL_MAX),
    Field("renewal_key_reuse", str, Group.RENEWAL, "Renewal with the same key (refuse or allow)",
          "refuse makes every renewal a key rotation; allow accepts a CSR for the certificate's own key.",
          check=_key_reuse),
    Field("renewal_grace_days", int, Group.RENEWAL, "Old certificate valid after renewal (days)",
          "How long a renewed certificate's predecessor stays valid unless the device confirms sooner.", 0, 90),
    Field("renew_after_expiry_days", int, Group.RENEWAL, "Renewal after expiry allowed for (days)",
          "An expired device certificate may still renew this many days after it expired; 0 for never.", 0, 365),
    Field("renewal_overdue_days", int, Group.RENEWAL, "Automatic renewal overdue after (days)",
          "A device that renews itself needs action once it is this long inside the urgent threshold.", 1, 90),
)
_BY_NAME = {f.name: f for f in FIELDS}


def field(key: str) -> Field:
    """The setting called ``key`` (``crl-url`` or ``crl_url``); an unknown one is refused with the list."""
    name = key.replace("-", "_")
    if name not in _BY_NAME:
        known = ", ".join(f.key for f in FIELDS)
        raise InputError(f"There is no setting called {key!r}: use one of {known}.")
    return _BY_NAME[name]


def field_name(key: str) -> str:
    return field(key).name


def load(store: Store) -> Settings:
    with store.snapshot() as snapshot:
        return read(snapshot)


def read(snapshot: Snapshot) -> Settings:
    """The settings in a snapshot of the store (portable SQL: the monitoring check reads them without
    SQLAlchemy)."""
    values = {key: json.loads(value) for key, value in snapshot.rows("SELECT key, value FROM settings")
              if key in _BY_NAME}
    return replace(Settings(), **values)


def validate(current: Settings, **changes: Any) -> Settings:
    """The settings with ``changes`` applied, after checking every value and the thresholds' order."""
    coerced: dict[str, Any] = {field(key).name: field(key).coerce(value) for key, value in changes.items()}
    updated = replace(current, **coerced)
    warn, soon, urgent = updated.thresholds
    if not warn > soon > urgent > 0:
        raise InputError(
            f"The alert thresholds must fall from warn to urgent (now {warn}/{soon}/{urgent} days): "
            "for example 90/30/7."
        )
    return updated


def save(store: Store, updated: Settings, *, actor: str | None = None) -> Settings:
    """Persist every value that differs from the stored one, with an audit entry that gives each key's old and
    new value (``{"key": {"old": ..., "new": ...}}``), so a changed threshold or URL can be traced and undone."""
    from zmconsole.core import audit, schema
    from zmconsole.core.roles import Operation, require

    require(store, Operation.SETTINGS_CHANGE, "settings")
    before = load(store)
    changed = {
        name: getattr(updated, name)
        for name in _BY_NAME
        if getattr(updated, name) != getattr(before, name)
    }
    if not changed:
        return updated
    with store.write() as conn:
        for name, value in changed.items():
            table = schema.settings
            conn.execute(table.delete().where(table.c.key == name))
            conn.execute(table.insert().values(key=name, value=json.dumps(value)))
        audit.append(conn, "settings.changed", "settings",
                     {cli_name(k): {"old": getattr(before, k), "new": v} for k, v in changed.items()}, actor=actor)
    return updated


def set_value(store: Store, key: str, value: str, *, actor: str | None = None) -> Settings:
    return save(store, validate(load(store), **{key: value}), actor=actor)


def as_dict(current: Settings) -> dict[str, Any]:
    return {f.key: getattr(current, f.name) for f in FIELDS}

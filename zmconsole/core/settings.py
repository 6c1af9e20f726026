"""Business settings, kept in the store so the CLI, GUI and service share them.

Each setting has a named key (the CLI spells it with hyphens: ``crl-url``), a
type and a default. Window geometry and view state are not here: the GUI keeps
those in ``QSettings``.

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
from dataclasses import dataclass, fields, replace
from typing import Any
from urllib.parse import urlparse

from sqlalchemy import select

from zmconsole.core import schema
from zmconsole.core.errors import InputError
from zmconsole.core.store import Store


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

    @property
    def thresholds(self) -> tuple[int, int, int]:
        return (self.threshold_warn, self.threshold_soon, self.threshold_urgent)


_FIELDS = {f.name: f for f in fields(Settings)}


def cli_name(name: str) -> str:
    return name.replace("_", "-")


def field_name(key: str) -> str:
    name = key.replace("-", "_")
    if name not in _FIELDS:
        known = ", ".join(sorted(cli_name(n) for n in _FIELDS))
        raise InputError(f"There is no setting called {key!r}: use one of {known}.")
    return name


def _coerce(name: str, raw: Any) -> Any:
    """Validate one value the way every front end needs it validated."""
    default = getattr(Settings(), name)
    if isinstance(default, int):
        try:
            value = int(raw)
        except (TypeError, ValueError):
            raise InputError(f"{cli_name(name)} must be a whole number, not {raw!r}.") from None
        if value <= 0:
            raise InputError(f"{cli_name(name)} must be greater than zero, not {value}.")
        return value
    text = str(raw).strip()
    if name.endswith("_url") and text:
        parsed = urlparse(text)
        wanted = ("https",) if name == "provisioning_url" else ("http", "https")
        if parsed.scheme not in wanted or not parsed.hostname:
            raise InputError(
                f"{cli_name(name)} must be an {' or '.join(wanted)} URL with a host name, not {text!r}."
            )
        if name == "provisioning_url":  # it goes into pairing QR codes: https://host[:port]/ and short
            # Imported here: loading the settings (every command, the monitoring check too) needs no pairing code.
            from zmconsole.core.pairing.protocol import check_provisioning_url

            text = check_provisioning_url(text)
    if name == "device_id_pattern":
        try:
            re.compile(text)
        except re.error as error:
            raise InputError(f"device-id-pattern is not a valid regular expression ({error}).") from None
    return text


def load(store: Store) -> Settings:
    with store.read() as conn:
        rows = conn.execute(select(schema.settings.c.key, schema.settings.c.value)).all()
    values = {key: json.loads(value) for key, value in rows if key in _FIELDS}
    return replace(Settings(), **values)


def validate(current: Settings, **changes: Any) -> Settings:
    """The settings with ``changes`` applied, after checking every value and the thresholds' order."""
    coerced = {field_name(key): _coerce(field_name(key), value) for key, value in changes.items()}
    updated = replace(current, **coerced)
    warn, soon, urgent = updated.thresholds
    if not warn > soon > urgent > 0:
        raise InputError(
            f"The alert thresholds must fall from warn to urgent (now {warn}/{soon}/{urgent} days): "
            "for example 90/30/7."
        )
    return updated


def save(store: Store, updated: Settings, *, actor: str | None = None) -> Settings:
    """Persist every value that differs from the stored one, with an audit entry."""
    from zmconsole.core import audit

    before = load(store)
    changed = {
        name: getattr(updated, name)
        for name in _FIELDS
        if getattr(updated, name) != getattr(before, name)
    }
    if not changed:
        return updated
    with store.write() as conn:
        for name, value in changed.items():
            table = schema.settings
            conn.execute(table.delete().where(table.c.key == name))
            conn.execute(table.insert().values(key=name, value=json.dumps(value)))
        audit.append(conn, "settings.changed", "settings", {cli_name(k): v for k, v in changed.items()},
                     actor=actor)
    return updated


def set_value(store: Store, key: str, value: str, *, actor: str | None = None) -> Settings:
    return save(store, validate(load(store), **{key: value}), actor=actor)


def as_dict(current: Settings) -> dict[str, Any]:
    return {cli_name(f): getattr(current, f) for f in _FIELDS}

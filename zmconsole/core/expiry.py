"""The daily expiry check's queries (seed §7): what has crossed a threshold, as a summary and as a list.

Monitoring runs the check every few minutes in a fresh process, so these queries are written once as
portable SQL and run on a :class:`~zmconsole.core.store.Snapshot`: on the embedded SQLite store straight
through the driver, without importing SQLAlchemy (about 0.3 s of a 0.5 s budget), and through SQLAlchemy, the
same text, on PostgreSQL (docs/performance.md). Both read covering indexes only: ``ix_certificates_expiry``
(its WHERE is repeated here, as SQLite needs to use a partial index) and ``ix_devices_current``; the list
comes in that index's order, so a bounded list stops after its last row. Nothing here imports SQLAlchemy
or ``cryptography`` (the CA's serial is read from its certificate only when the CA itself has crossed a
threshold).

"In use" means a device's current certificate, or a server certificate that has not been replaced, and
neither revoked. The status is the expiry's alone, so a certificate not yet valid is reported by when it
expires.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from zmconsole.core import utc
from zmconsole.core.settings import Settings
from zmconsole.core.status import NEEDS_ACTION, Status
from zmconsole.core.store import Snapshot

DAY = 86_400

#: How certificates are made that a device renews by itself (it runs the device agent).
SELF_RENEWING = ("paired", "renewed-by-device")
AUTOMATIC = "automatic"  # renewing automatically: not an action item yet
NEEDS_ACTION_NOW = "needs-action"


@dataclass(frozen=True)
class ExpiryItem:
    kind: str  # device | server | ca
    name: str
    serial: str
    not_after: datetime
    days_left: int
    status: Status
    renewal: str = NEEDS_ACTION_NOW  # AUTOMATIC or NEEDS_ACTION_NOW
    ward: str | None = None  # where a device is, so the officer's list says where to go
    location: str | None = None

    def as_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "name": self.name, "device_id": self.name if self.kind == "device" else None,
                "ward": self.ward, "location": self.location,
                "serial": self.serial, "not_after": self.not_after.isoformat(), "days_left": self.days_left,
                "status": self.status, "renewal": self.renewal}


@dataclass(frozen=True)
class Summary:
    """How many certificates in use have crossed each threshold (keys: :data:`NEEDS_ACTION`), the CA included."""

    needs_action: dict[Status, int]  # to be renewed by a person
    automatic: dict[Status, int]  # renewing themselves, not overdue and without a failed renewal
    ca: ExpiryItem | None  # the CA itself, when it has crossed a threshold (counted in needs_action)

    @property
    def found(self) -> dict[Status, int]:
        """Everything that crossed a threshold, renewing or not."""
        return {status: self.needs_action[status] + self.automatic[status] for status in NEEDS_ACTION}

    @property
    def total(self) -> int:
        """How many items the whole list holds."""
        return sum(self.needs_action.values()) + sum(self.automatic.values())


# The SQL below is put together from this module's constants only; every value is a bound parameter.
def _bands(not_after: str) -> str:
    """The expiry band of ``not_after`` at ``:now``, as the end of an SQL CASE: past the horizon is not asked."""
    return (f"WHEN {not_after} <= :now THEN '{Status.EXPIRED}' WHEN {not_after} <= :urgent_at THEN "
            f"'{Status.EXPIRING_7}' WHEN {not_after} <= :soon_at THEN '{Status.EXPIRING_30}' "
            f"ELSE '{Status.EXPIRING_90}' END")


_STATUS = f"CASE {_bands('certificates.not_after')}"
# A device certificate its device renews by itself, not yet overdue and without a failed renewal. Overdue:
# inside the urgent threshold (where the device renews) for renewal-overdue-days without a renewal; an expired
# certificate always is.
_SELF_RENEWING = ", ".join(f"'{made_by}'" for made_by in SELF_RENEWING)
_AUTOMATIC = (f"certificates.kind = 'device' AND certificates.made_by IN ({_SELF_RENEWING}) "
              "AND devices.renewal_failed_at IS NULL "
              "AND certificates.not_after > :overdue_from AND certificates.not_after > :now")
_RENEWAL = f"CASE WHEN {_AUTOMATIC} THEN '{AUTOMATIC}' ELSE '{NEEDS_ACTION_NOW}' END"
_CROSSED = ("FROM certificates LEFT JOIN devices ON devices.current_certificate_id = certificates.id "
            "WHERE certificates.revoked_at IS NULL AND certificates.superseded_at IS NULL "  # schema.LIVE
            "AND certificates.not_after <= :horizon "
            "AND (devices.current_certificate_id IS NOT NULL OR certificates.kind <> 'device')")
# Cumulative counts in one pass, without grouping (grouping by two CASE expressions cost more than the counting
# itself, docs/performance.md): each band is the difference of two of them.
COUNTS_SQL = ("SELECT count(*), count(*) FILTER (WHERE certificates.not_after <= :now), "
              "count(*) FILTER (WHERE certificates.not_after <= :urgent_at), "
              "count(*) FILTER (WHERE certificates.not_after <= :soon_at), "
              f"count(*) FILTER (WHERE {_AUTOMATIC}), "
              f"count(*) FILTER (WHERE {_AUTOMATIC} AND certificates.not_after <= :urgent_at), "
              f"count(*) FILTER (WHERE {_AUTOMATIC} AND certificates.not_after <= :soon_at) {_CROSSED}")
# In the index's own order (not_after, kind, serial): no sort, and LIMIT ends the scan.
ITEMS_SQL = (f"SELECT certificates.kind, certificates.common_name, certificates.serial, certificates.not_after, "
             f"{_STATUS} AS status, {_RENEWAL} AS renewal, devices.ward, devices.location {_CROSSED} "
             "ORDER BY certificates.not_after, certificates.kind, certificates.serial")
CA_SQL = (f"SELECT subject, not_after, cert_der, CASE WHEN not_before > :now THEN '{Status.NOT_YET_VALID}' "  # noqa: S608
          f"{_bands('not_after')} FROM cas WHERE active = :active AND not_after <= :horizon")

_BY_VALUE = {str(s): s for s in Status}


def _parameters(settings: Settings, now: datetime) -> dict[str, Any]:
    t = utc.to_epoch(now)
    return {"now": t, "urgent_at": t + settings.threshold_urgent * DAY, "soon_at": t + settings.threshold_soon * DAY,
            "horizon": t + settings.threshold_warn * DAY,
            "overdue_from": t + (settings.threshold_urgent - settings.renewal_overdue_days) * DAY}


def ca_item(snapshot: Snapshot, settings: Settings, now: datetime) -> ExpiryItem | None:
    """The CA itself, when it has crossed a threshold: its expiry ends every other certificate."""
    rows = snapshot.rows(CA_SQL, {**_parameters(settings, now), "active": True})
    if not rows:
        return None
    subject, not_after, der, status = rows[0]
    from cryptography import x509

    from zmconsole.core.profiles import serial_hex

    serial = serial_hex(x509.load_der_x509_certificate(bytes(der)).serial_number)
    return ExpiryItem("ca", subject, serial, utc.from_epoch(not_after), -((utc.to_epoch(now) - not_after) // DAY),
                      _BY_VALUE[status])


def summary(snapshot: Snapshot, settings: Settings, now: datetime) -> Summary:
    """The check's summary: one pass over the covering indexes, and the CA."""
    [(total, by_now, by_urgent, by_soon, automatic, automatic_urgent, automatic_soon)] = snapshot.rows(
        COUNTS_SQL, _parameters(settings, now))
    found = {Status.EXPIRED: by_now, Status.EXPIRING_7: by_urgent - by_now, Status.EXPIRING_30: by_soon - by_urgent,
             Status.EXPIRING_90: total - by_soon}  # the thresholds fall from warn to urgent (settings.validate)
    renewing = {Status.EXPIRED: 0,  # a certificate renewing itself has not expired (_AUTOMATIC)
                Status.EXPIRING_7: automatic_urgent, Status.EXPIRING_30: automatic_soon - automatic_urgent,
                Status.EXPIRING_90: automatic - automatic_soon}
    needs_action = {status: int(found[status]) - int(renewing[status]) for status in NEEDS_ACTION}
    ca = ca_item(snapshot, settings, now)
    if ca is not None and ca.status in needs_action:
        needs_action[ca.status] += 1
    return Summary(needs_action, {status: int(renewing[status]) for status in NEEDS_ACTION}, ca)


def items(snapshot: Snapshot, settings: Settings, now: datetime, *, ca: ExpiryItem | None,
          limit: int | None = None) -> list[ExpiryItem]:
    """Every certificate in use that has crossed a threshold, soonest first, the CA (``ca``, from
    :func:`ca_item`) first; at most ``limit`` of them."""
    first = [] if ca is None else [ca]
    if limit is not None and limit <= len(first):
        return first[:limit]
    sql = ITEMS_SQL if limit is None else f"{ITEMS_SQL} LIMIT :limit"
    params = _parameters(settings, now)
    if limit is not None:
        params["limit"] = limit - len(first)
    t = params["now"]
    # A hundred thousand devices can mean tens of thousands of rows: the status by dictionary and days_left
    # inline (docs/performance.md) instead of Status() and a call per row.
    return first + [ExpiryItem(kind, name, serial, utc.from_epoch(not_after), -((t - not_after) // DAY),
                               _BY_VALUE[status], renewal, ward, location)
                    for kind, name, serial, not_after, status, renewal, ward, location in snapshot.rows(sql, params)]

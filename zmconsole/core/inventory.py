"""What is in the store, and in what state: device lists, histories, expiry (seed §2.2.1, §7).

A certificate's status is computed by the database from ``now`` and the
thresholds (one ``CASE`` expression), so filtering, counting and sorting by
status are indexed queries rather than Python loops over every row. The
status names and their groups are :mod:`zmconsole.core.status`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import ColumnElement, Select, Table, and_, case, func, literal, or_, select

from zmconsole.core import expiry, schema, utc
from zmconsole.core.errors import Hint, HintKind, InputError, NotFoundError
from zmconsole.core.expiry import AUTOMATIC as AUTOMATIC
from zmconsole.core.expiry import NEEDS_ACTION_NOW as NEEDS_ACTION_NOW
from zmconsole.core.expiry import SELF_RENEWING as SELF_RENEWING
from zmconsole.core.expiry import ExpiryItem as ExpiryItem
from zmconsole.core.roles import Operation
from zmconsole.core.roles import require as require_role
from zmconsole.core.settings import Settings
from zmconsole.core.status import CERTIFICATE_STATUSES, Status
from zmconsole.core.store import Store

if TYPE_CHECKING:
    from cryptography import x509

# cryptography is imported where a certificate is parsed, not here: the daily check, run by monitoring every
# few minutes, parses none unless the CA itself is expiring, and should not pay for loading it.

DAY = 86_400
SORT_KEYS = ("device_id", "ward", "location", "status", "serial", "not_after", "days_left", "revoked_at")


def status_expression(now: datetime, thresholds: tuple[int, int, int] = (90, 30, 7),
                      table: Table = schema.certificates) -> ColumnElement[str]:
    """The :class:`Status` of a ``certificates`` row at ``now``, as SQL: the one definition of every status.

    ``table`` may also be ``cas``, which has validity but is never revoked or replaced.
    """
    t = utc.to_epoch(now)
    warn, soon, urgent = thresholds
    replaced = [(table.c[column].is_not(None), literal(str(status)))
                for column, status in (("revoked_at", Status.REVOKED), ("superseded_at", Status.SUPERSEDED))
                if column in table.c]
    return case(
        *replaced,
        (table.c.not_before > t, literal(str(Status.NOT_YET_VALID))),
        (table.c.not_after <= t, literal(str(Status.EXPIRED))),
        (table.c.not_after <= t + urgent * DAY, literal(str(Status.EXPIRING_7))),
        (table.c.not_after <= t + soon * DAY, literal(str(Status.EXPIRING_30))),
        (table.c.not_after <= t + warn * DAY, literal(str(Status.EXPIRING_90))),
        else_=literal(str(Status.ACTIVE)),
    )


def days_left(not_after: int, now: datetime) -> int:
    """Days until expiry, counting a part-day as a day (365 on the day of issue); <= 0 once expired."""
    return -((utc.to_epoch(now) - not_after) // DAY)


@dataclass(frozen=True)
class DeviceRow:
    """A device and its current certificate, as the list views show it."""

    device_id: str
    ward: str | None
    location: str | None
    serial: str | None
    not_before: datetime | None
    not_after: datetime | None
    days_left: int | None
    status: Status  # NONE for a device whose certificate is not issued yet
    revocation_reason: str | None
    revoked_at: datetime | None = None  # when its current certificate was revoked

    def as_json(self) -> dict[str, Any]:
        return {
            "device_id": self.device_id, "ward": self.ward, "location": self.location, "serial": self.serial,
            "not_before": self.not_before.isoformat() if self.not_before else None,
            "not_after": self.not_after.isoformat() if self.not_after else None,
            "days_left": self.days_left, "status": self.status, "revocation_reason": self.revocation_reason,
            "revoked_at": self.revoked_at.isoformat() if self.revoked_at else None,
        }


@dataclass(frozen=True)
class CertificateRecord:
    """One stored certificate, with its status at the time asked."""

    id: int
    serial: str
    kind: str
    common_name: str
    device_id: str | None
    not_before: datetime
    not_after: datetime
    issued_at: datetime
    key_type: str
    key_source: str
    fingerprint: str
    status: Status
    revoked_at: datetime | None
    revocation_reason: str | None
    superseded_at: datetime | None
    days_left: int
    der: bytes
    made_by: str = "issued"  # schema.MADE_BY
    replaces: str | None = None  # the serial of the certificate this one replaced
    grace_ends_at: datetime | None = None  # superseded: valid until then unless the device confirmed sooner
    confirmed_at: datetime | None = None  # the device confirmed this certificate from its new identity

    @property
    def certificate(self) -> x509.Certificate:
        from cryptography import x509

        return x509.load_der_x509_certificate(self.der)

    def as_json(self) -> dict[str, Any]:
        def iso(moment: datetime | None) -> str | None:
            return moment.isoformat() if moment else None

        return {
            "serial": self.serial, "kind": self.kind, "common_name": self.common_name, "device_id": self.device_id,
            "not_before": iso(self.not_before), "not_after": iso(self.not_after), "issued_at": iso(self.issued_at),
            "days_left": self.days_left, "status": self.status, "key_type": self.key_type,
            "key_source": self.key_source, "fingerprint_sha256": self.fingerprint,
            "revoked_at": iso(self.revoked_at), "revocation_reason": self.revocation_reason,
            "superseded_at": iso(self.superseded_at), "made_by": self.made_by, "replaces": self.replaces,
            "grace_ends_at": iso(self.grace_ends_at), "confirmed_at": iso(self.confirmed_at),
        }


def _when(value: int | None) -> datetime | None:
    return None if value is None else utc.from_epoch(value)


def _device_query(now: datetime, settings: Settings) -> tuple[Select[Any], ColumnElement[str]]:
    c, d = schema.certificates, schema.devices
    status = func.coalesce(status_expression(now, settings.thresholds), literal(str(Status.NONE))).label("status")
    query = (select(d.c.device_id, d.c.ward, d.c.location, c.c.serial, c.c.not_before, c.c.not_after,
                    c.c.revocation_reason, c.c.revoked_at, status)
             .select_from(d.outerjoin(c, c.c.id == d.c.current_certificate_id)))
    return query, status


def _filtered(query: Select[Any], status_col: ColumnElement[str], status: str | Sequence[str] | None,
              search: str | None, store: Store) -> Select[Any]:
    d, c = schema.devices, schema.certificates
    if status:
        wanted = [status] if isinstance(status, str) else list(status)
        unknown = [s for s in wanted if s not in CERTIFICATE_STATUSES]
        if unknown:
            raise InputError(f"Unknown status {unknown[0]!r}: use one of {', '.join(CERTIFICATE_STATUSES)}.")
        query = query.where(status_col.in_(wanted))
    if search:
        text = search.strip()
        query = query.where(or_(*(store.contains(column, text)
                                  for column in (d.c.device_id, d.c.ward, d.c.location, c.c.serial))))
    return query


def list_devices(store: Store, settings: Settings, *, now: datetime | None = None,
                 status: str | Sequence[str] | None = None, search: str | None = None,
                 order_by: str = "device_id", descending: bool = False, limit: int | None = None,
                 offset: int = 0) -> list[DeviceRow]:
    """One row per device with its current certificate, filtered and sorted in the database."""
    require_role(store, Operation.VIEW)
    now = utc.now(now)
    query, status_col = _device_query(now, settings)
    query = _filtered(query, status_col, status, search, store)
    if order_by not in SORT_KEYS:
        raise InputError(f"Cannot sort by {order_by!r}: use one of {', '.join(SORT_KEYS)}.")
    d, c = schema.devices, schema.certificates
    column: Any = {"device_id": d.c.device_id, "ward": d.c.ward, "location": d.c.location, "status": status_col,
                   "serial": c.c.serial, "not_after": c.c.not_after, "days_left": c.c.not_after,
                   "revoked_at": c.c.revoked_at}[order_by]
    query = query.order_by(column.desc() if descending else column.asc(), d.c.device_id)
    if limit is not None:
        query = query.limit(limit).offset(offset)
    with store.read() as conn:
        return [
            DeviceRow(r.device_id, r.ward, r.location, r.serial, _when(r.not_before), _when(r.not_after),
                      None if r.not_after is None else days_left(r.not_after, now), Status(r.status),
                      r.revocation_reason, _when(r.revoked_at))
            for r in conn.execute(query)
        ]


def count_devices(store: Store, settings: Settings, *, now: datetime | None = None,
                  status: str | Sequence[str] | None = None, search: str | None = None) -> int:
    require_role(store, Operation.VIEW)
    query, status_col = _device_query(utc.now(now), settings)
    query = _filtered(query, status_col, status, search, store)
    with store.read() as conn:
        return int(conn.execute(select(func.count()).select_from(query.subquery())).scalar_one())


def status_counts(store: Store, settings: Settings, *, now: datetime | None = None) -> dict[Status, int]:
    """How many devices are in each status (every certificate status present, zero included; NONE if any)."""
    require_role(store, Operation.VIEW)
    query = _device_query(utc.now(now), settings)[0]
    sub = query.subquery()
    with store.read() as conn:
        rows = conn.execute(select(sub.c.status, func.count()).group_by(sub.c.status)).all()
    counts = dict.fromkeys(CERTIFICATE_STATUSES, 0)
    counts.update({Status(s): int(n) for s, n in rows})
    return counts


def expiries_per_week(store: Store, settings: Settings, *, now: datetime | None = None,
                      weeks: int = 52) -> list[int]:
    """How many current, unrevoked device certificates expire in each of the next ``weeks`` weeks."""
    now = utc.now(now)
    c, d = schema.certificates, schema.devices
    t = utc.to_epoch(now)
    week = ((c.c.not_after - t) / (7 * DAY)).label("week")
    query = (select(func.floor(week), func.count())
             .select_from(d.join(c, c.c.id == d.c.current_certificate_id))
             .where(and_(c.c.revoked_at.is_(None), c.c.superseded_at.is_(None), c.c.not_after > t,
                         c.c.not_after <= t + weeks * 7 * DAY))
             .group_by(func.floor(week)))
    counts = [0] * weeks
    with store.read() as conn:
        for index, number in conn.execute(query):
            if index is not None and 0 <= int(index) < weeks:
                counts[int(index)] += int(number)
    return counts


def _record(row: schema.Row, now: datetime, serials: dict[int, str] | None = None) -> CertificateRecord:
    replaces = None if row.replaces_id is None else (serials or {}).get(row.replaces_id)
    grace = None if row.superseded_at is None else (row.grace_ends_at or row.superseded_at + 7 * DAY)
    return CertificateRecord(
        row.id, row.serial, row.kind, row.common_name, row.device_id,
        utc.from_epoch(row.not_before), utc.from_epoch(row.not_after),
        utc.from_epoch(row.issued_at), row.key_type, row.key_source, row.fingerprint, Status(row.status),
        _when(row.revoked_at), row.revocation_reason, _when(row.superseded_at), days_left(row.not_after, now),
        row.der, row.made_by or "issued", replaces, _when(grace), _when(row.confirmed_at))


def _certificate_query(now: datetime, settings: Settings) -> Select[Any]:
    c = schema.certificates
    return select(c, status_expression(now, settings.thresholds).label("status"))


@dataclass(frozen=True)
class Renewal:
    """How a device's certificates are renewed, as the console watches it (seed §7, protocol §7.7)."""

    automatic: bool  # its current certificate came from pairing or its own renewal: it renews itself
    last_renewed_at: datetime | None  # the device's newest renewal of its own
    last_confirmed_at: datetime | None
    failed_at: datetime | None  # its last refused renewal, when none has succeeded since
    failure: str | None  # that refusal's protocol error code

    def as_json(self) -> dict[str, Any]:
        return {"automatic": self.automatic, "last_renewed_at": _iso(self.last_renewed_at),
                "last_confirmed_at": _iso(self.last_confirmed_at), "failed_at": _iso(self.failed_at),
                "failure": self.failure}


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def renewal(store: Store, device_id: str, history: Sequence[CertificateRecord]) -> Renewal:
    """The device's renewal state, from its history (newest first) and its last refusal."""
    d = schema.devices
    with store.read() as conn:
        row = conn.execute(select(d.c.current_certificate_id, d.c.renewal_failed_at, d.c.renewal_failure)
                           .where(d.c.device_id == device_id)).first()
    current = next((r for r in history if row is not None and r.id == row.current_certificate_id), None)
    own = [r for r in history if r.made_by == "renewed-by-device"]
    confirmed = [r.confirmed_at for r in history if r.confirmed_at is not None]
    return Renewal(current is not None and current.made_by in SELF_RENEWING, own[0].issued_at if own else None,
                   max(confirmed) if confirmed else None, _when(row.renewal_failed_at) if row else None,
                   row.renewal_failure if row else None)


def device(store: Store, settings: Settings, device_id: str, *, now: datetime | None = None
           ) -> tuple[DeviceRow, list[CertificateRecord]]:
    """A device and the history of its certificates (its lineage), newest first."""
    require_role(store, Operation.VIEW)
    now = utc.now(now)
    query = _device_query(now, settings)[0]
    c = schema.certificates
    with store.read() as conn:
        head = conn.execute(query.where(schema.devices.c.device_id == device_id)).first()
        if head is None:
            raise NotFoundError(f"No device {device_id!r} is known.", hint=Hint(HintKind.FIND_DEVICE))
        history = conn.execute(_certificate_query(now, settings).where(c.c.device_id == device_id)
                               .order_by(c.c.issued_at.desc(), c.c.id.desc())).all()
    summary = DeviceRow(head.device_id, head.ward, head.location, head.serial, _when(head.not_before),
                        _when(head.not_after), None if head.not_after is None else days_left(head.not_after, now),
                        Status(head.status), head.revocation_reason, _when(head.revoked_at))
    serials = {r.id: r.serial for r in history}
    return summary, [_record(r, now, serials) for r in history]


def certificate(store: Store, settings: Settings, serial: str, *, now: datetime | None = None) -> CertificateRecord:
    require_role(store, Operation.VIEW)
    now = utc.now(now)
    c = schema.certificates
    wanted = serial.upper().removeprefix("0X").replace(":", "")
    with store.read() as conn:
        row = conn.execute(_certificate_query(now, settings)
                           .where(c.c.serial.in_([wanted, wanted.lstrip("0"), "0" + wanted]))).first()
    if row is None:
        raise NotFoundError(f"No certificate with serial {serial!r} is known: check the serial.")
    return _record(row, now)


def current_certificate(store: Store, settings: Settings, device_id: str, *, now: datetime | None = None
                        ) -> CertificateRecord:
    require_role(store, Operation.VIEW)
    summary, history = device(store, settings, device_id, now=now)
    for record in history:
        if record.serial == summary.serial:
            return record
    raise NotFoundError(f"{device_id} has no certificate yet.", hint=Hint(HintKind.ISSUE_CERTIFICATE, device_id))


def expiry_summary(store: Store, settings: Settings, *, now: datetime | None = None) -> expiry.Summary:
    """The daily check's summary: what crossed each threshold, to be renewed by a person or renewing itself,
    in one pass over the covering indexes (:mod:`zmconsole.core.expiry`), and the CA."""
    require_role(store, Operation.VIEW)
    with store.snapshot() as snapshot:
        return expiry.summary(snapshot, settings, utc.now(now))


def expiry_counts(store: Store, settings: Settings, *, now: datetime | None = None) -> dict[Status, int]:
    """How many certificates in use have crossed each threshold, the CA included. Keys: :data:`NEEDS_ACTION`."""
    return expiry_summary(store, settings, now=now).found


def automatic_counts(store: Store, settings: Settings, *, now: datetime | None = None) -> dict[Status, int]:
    """Of :func:`expiry_counts`, how many renew automatically and are not action items (yet)."""
    return expiry_summary(store, settings, now=now).automatic


def crossed_thresholds(store: Store, settings: Settings, *, now: datetime | None = None,
                       limit: int | None = None) -> list[ExpiryItem]:
    """Every certificate in use that has crossed an alert threshold, soonest first (the daily check), the CA first
    when it has crossed one too; at most ``limit`` of them."""
    require_role(store, Operation.VIEW)
    now = utc.now(now)
    with store.snapshot() as snapshot:
        return expiry.items(snapshot, settings, now, ca=expiry.ca_item(snapshot, settings, now), limit=limit)

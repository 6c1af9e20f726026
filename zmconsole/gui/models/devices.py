"""The devices table: one row per device with its current certificate, filtered and sorted in SQL."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime

from PySide6.QtCore import QObject, Qt

from zmconsole.core import crl_policy, inventory
from zmconsole.core.settings import Settings
from zmconsole.core.status import Status
from zmconsole.core.store import Store
from zmconsole.gui.models.columns import Column, date_text, optional, status_column, time_text
from zmconsole.gui.models.paged import PagedTableModel
from zmconsole.gui.session import Session
from zmconsole.gui.statuses import reason_label


@dataclass(frozen=True)
class DevicesQuery:
    store: Store
    settings: Settings
    now: datetime
    status: tuple[str, ...]
    search: str
    order_by: str
    descending: bool
    #: On a store with operators an officer's revocation waits for the key holder's next CRL: say so.
    watch_crl: bool = False
    #: Serials revoked but not on a signed CRL yet (filled as pages with revoked rows load).
    crl_pending: set[str] = field(default_factory=set, compare=False)

    @property
    def filter_key(self) -> Hashable:
        return (self.status, self.search, self.settings.thresholds, self.now)

    def count(self) -> int:
        return inventory.count_devices(self.store, self.settings, now=self.now, status=self.status or None,
                                       search=self.search or None)

    def page(self, offset: int, limit: int) -> Sequence[inventory.DeviceRow]:
        rows = inventory.list_devices(self.store, self.settings, now=self.now, status=self.status or None,
                                      search=self.search or None, order_by=self.order_by,
                                      descending=self.descending, limit=limit, offset=offset)
        if self.watch_crl and not self.crl_pending and any(r.status is Status.REVOKED for r in rows):
            self.crl_pending.update(crl_policy.pending_revocations(self.store, now=self.now))
        return rows


def revoked_reason(row: inventory.DeviceRow) -> str | None:
    return reason_label(row.revocation_reason) if row.revocation_reason else None


class DevicesModel(PagedTableModel):
    """Devices matching a search text and a set of statuses, in the order of any column."""

    def __init__(self, session: Session, parent: QObject | None = None, *, revoked: bool = False) -> None:
        """``revoked``: the columns of revoked devices (reason and revoked-on instead of expiry and days left,
        which mean nothing for a certificate that is refused anyway)."""
        columns = [
            Column(self.tr("Device ID"), lambda r: r.device_id, sort_key="device_id"),
            Column(self.tr("Ward"), lambda r: optional(r.ward), sort_key="ward"),
            Column(self.tr("Location"), lambda r: optional(r.location), sort_key="location"),
            self._pending_aware(status_column(self.tr("Status"), lambda r: r.status, lambda: session.settings,
                                              revoked_reason)),
            Column(self.tr("Serial"), lambda r: optional(r.serial), sort_key="serial"),
            Column(self.tr("Expires (UTC)"), lambda r: date_text(r.not_after), sort_key="not_after"),
            Column(self.tr("Days left"), lambda r: optional(r.days_left), sort_key="days_left", numeric=True),
        ]
        if revoked:
            columns[3:] = [
                Column(self.tr("Reason"), lambda r: optional(revoked_reason(r))),
                Column(self.tr("Revoked on (UTC)"), lambda r: time_text(r.revoked_at), sort_key="revoked_at"),
                Column(self.tr("Serial"), lambda r: optional(r.serial), sort_key="serial"),
            ]
        super().__init__(session, columns, parent)
        self.search = ""
        self.status: tuple[str, ...] = ()
        self.order_by = "device_id"
        self.descending = False
        self._now = session.now()

    def crl_pending(self, row: inventory.DeviceRow) -> bool:
        """Revoked, and no signed CRL lists it yet (OCSP already says revoked)."""
        query = self._query
        return (row.status is Status.REVOKED and isinstance(query, DevicesQuery) and row.serial is not None
                and row.serial in query.crl_pending)

    def _pending_aware(self, column: Column) -> Column:
        base_text, base_tip = column.text, column.tooltip
        words = self.tr("Revoked, CRL pending")
        return replace(column, text=lambda r: words if self.crl_pending(r) else base_text(r),
                       tooltip=lambda r: (words + " — " + self.tr("the provisioning service signs the next CRL "
                                                                   "within a minute") if self.crl_pending(r)
                                          else base_tip(r) if base_tip else ""))

    def make_query(self) -> DevicesQuery:
        return DevicesQuery(self.session.store, self.session.settings, self._now, self.status, self.search,
                            self.order_by, self.descending, self.session.has_operators)

    def refresh(self, *, recount: bool = True) -> None:
        if recount:
            self._now = self.session.now()
        super().refresh(recount=recount)

    def set_filter(self, *, search: str | None = None, status: Sequence[str] | None = None) -> None:
        """Change the search text and/or the statuses shown (empty: all), then query again."""
        if search is not None:
            self.search = search.strip()
        if status is not None:
            self.status = tuple(status)
        self.refresh()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self.columns) or self.columns[column].sort_key is None:
            return
        key = self.columns[column].sort_key
        assert key is not None
        descending = order == Qt.SortOrder.DescendingOrder
        if (key, descending) == (self.order_by, self.descending) and self._query is not None:
            return
        self.order_by, self.descending = key, descending
        self.refresh(recount=False)

    def device_ids(self, rows: Sequence[int]) -> list[str] | None:
        """The device IDs on ``rows``, or None if any of those rows is not loaded (scrolled far away)."""
        ids = []
        for row in rows:
            item = self.item(row)
            if item is None:
                return None
            ids.append(item.device_id)
        return ids

"""The audit log table: newest first, filtered by action kind and free text in SQL, loaded page by page."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QObject

from zmconsole.core import audit
from zmconsole.core.store import Store
from zmconsole.gui.models.columns import Column
from zmconsole.gui.models.paged import PagedTableModel
from zmconsole.gui.session import Session


@dataclass(frozen=True)
class AuditQuery:
    store: Store
    search: str
    action_prefix: str

    @property
    def filter_key(self) -> Hashable:
        return (self.search, self.action_prefix)

    def count(self) -> int:
        return audit.count(self.store, action_prefix=self.action_prefix or None, search=self.search or None)

    def page(self, offset: int, limit: int) -> Sequence[audit.AuditEntry]:
        return audit.entries(self.store, action_prefix=self.action_prefix or None, search=self.search or None,
                             limit=limit, offset=offset)


def details_text(entry: audit.AuditEntry) -> str:
    return ", ".join(f"{key}={value}" for key, value in entry.details.items())


def audit_columns(owner: QObject) -> list[Column]:
    """The columns of an audit table (also used for one device's entries in its details)."""
    tr = owner.tr
    return [
        Column(tr("#"), lambda e: str(e.seq), numeric=True),
        Column(tr("Time (UTC)"), lambda e: e.at.replace("T", " ").removesuffix("+00:00")),
        Column(tr("User"), lambda e: e.os_user),
        Column(tr("Action"), lambda e: e.action),
        Column(tr("Subject"), lambda e: e.subject),
        Column(tr("Details"), details_text, tooltip=details_text),
    ]


class AuditModel(PagedTableModel):
    def __init__(self, session: Session, parent: QObject | None = None) -> None:
        super().__init__(session, audit_columns(self), parent)
        self.search = ""
        self.action_prefix = ""

    def make_query(self) -> AuditQuery:
        return AuditQuery(self.session.store, self.search, self.action_prefix)

    def set_filter(self, *, search: str | None = None, action_prefix: str | None = None) -> None:
        if search is not None:
            self.search = search.strip()
        if action_prefix is not None:
            self.action_prefix = action_prefix
        self.refresh()

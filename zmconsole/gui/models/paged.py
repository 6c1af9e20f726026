"""A table model over a store query of any size: count once, load pages of rows as they scroll into view.

``rowCount`` is the query's total, so the scroll bar is honest about 100,000
devices, but only the pages the view actually paints are fetched (``LIMIT`` /
``OFFSET`` in the database, off the GUI thread) and only a bounded number are
kept. Filtering and sorting are new queries, never Python loops over rows.
A refresh keeps showing the old rows until the new count and first page are
in, then resets the model once and emits :attr:`PagedTableModel.loaded`.
Refreshes are numbered, so a slow query's result never overwrites a newer one.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable, Sequence
from typing import Any, Protocol

from PySide6.QtCore import QModelIndex, QObject, Qt, Signal

from zmconsole.gui.models.columns import Column, ColumnTableModel, Index
from zmconsole.gui.session import Session
from zmconsole.gui.workers import Job


class PagedQuery(Protocol):
    """An immutable description of one query: safe to run in a worker thread."""

    @property
    def filter_key(self) -> Hashable:
        """Equal for two queries that return the same rows in any order (the count can be reused)."""

    def count(self) -> int: ...

    def page(self, offset: int, limit: int) -> Sequence[Any]: ...


class PagedTableModel(ColumnTableModel):
    loaded = Signal()  # a refresh's count and first page are in

    PAGE_SIZE = 200
    MAX_PAGES = 50  # pages kept in memory (10,000 rows); the least recently painted go first

    def __init__(self, session: Session, columns: Sequence[Column], parent: QObject | None = None) -> None:
        super().__init__(columns, parent)
        self.session = session
        self._query: PagedQuery | None = None
        self._count = 0
        self._pages: OrderedDict[int, Sequence[Any]] = OrderedDict()
        self._pending: set[int] = set()
        self._generation = 0
        self.loading = False

    # --- what subclasses provide ---------------------------------------------------------------------------

    def make_query(self) -> PagedQuery:
        raise NotImplementedError

    # --- loading -------------------------------------------------------------------------------------------

    def refresh(self, *, recount: bool = True) -> None:
        """Run the current query again; ``recount=False`` reuses the total when only the order changed.

        Nothing is read while a store with operators has nobody signed in: the pages load at sign-in."""
        if self.session.signed_out:
            return
        self._generation += 1
        generation = self._generation
        query = self.make_query()
        known = (self._count if not recount and self._query is not None
                 and self._query.filter_key == query.filter_key else None)
        self.loading = True
        size = self.PAGE_SIZE

        def load(_job: Job) -> tuple[int, list[Any]]:
            # The first page first: when it is not full it is the whole result, and the count query (a scan of
            # every matching row) is not needed. Two queries side by side are no faster: SQLite serialises them.
            rows = list(query.page(0, size))
            if len(rows) < size:
                return len(rows), rows
            return (known if known is not None else query.count()), rows

        def loaded(result: tuple[int, list[Any]]) -> None:
            if generation == self._generation:  # else a newer refresh is under way
                self._apply(query, *result)

        self.session.tasks.start(load, done=loaded, owner=self)

    def _apply(self, query: PagedQuery, count: int, first: Sequence[Any]) -> None:
        self.beginResetModel()
        self._query = query
        self._count = count
        self._pages = OrderedDict({0: first})
        self._pending.clear()
        self.endResetModel()
        self.loading = False
        self.loaded.emit()

    def _request(self, page: int) -> None:
        query = self._query
        if query is None or page in self._pending:
            return
        self._pending.add(page)

        def fetch(_job: Job) -> list[Any]:
            return list(query.page(page * self.PAGE_SIZE, self.PAGE_SIZE))

        def arrived(rows: list[Any]) -> None:
            if query is not self._query:
                return  # a refresh replaced the query meanwhile
            self._pending.discard(page)
            self._pages[page] = rows
            while len(self._pages) > self.MAX_PAGES:
                self._pages.popitem(last=False)
            first = page * self.PAGE_SIZE
            last = min(first + self.PAGE_SIZE, self._count) - 1
            if last >= first:
                self.dataChanged.emit(self.index(first, 0), self.index(last, len(self.columns) - 1))

        self.session.tasks.start(fetch, done=arrived, owner=self)

    def item(self, row: int) -> Any:
        """The record on ``row`` if its page is loaded; None (and a fetch is started) otherwise."""
        if not 0 <= row < self._count:
            return None
        page, offset = divmod(row, self.PAGE_SIZE)
        rows = self._pages.get(page)
        if rows is None:
            self._request(page)
            return None
        self._pages.move_to_end(page)
        return rows[offset] if offset < len(rows) else None

    @property
    def total(self) -> int:
        return self._count

    # --- QAbstractTableModel --------------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else self._count

    def placeholder(self, index: Index, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and index.column() == 0:
            return self.tr("Loading…")
        return None

"""What a table column shows for an item, shared by the paged and the list models.

A column is a title and a few small functions of the item (a core record such
as ``DeviceRow``); a status column adds the status icon, a tint and the full
status wording as tooltip and accessible text, so status is never shown by
colour alone.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import IntEnum
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from zmconsole.core.settings import Settings
from zmconsole.gui.icons import status_icon
from zmconsole.gui.statuses import short_status_label, status_label, status_tint


class Role(IntEnum):
    """Custom data roles; ``ITEM`` returns the core record behind a row."""

    ITEM = Qt.ItemDataRole.UserRole + 1


@dataclass(frozen=True)
class Column:
    title: str
    text: Callable[[Any], str]
    sort_key: str | None = None  # the core's order_by name; None: not sortable
    status: Callable[[Any], str] | None = None  # makes this a status column
    numeric: bool = False
    tooltip: Callable[[Any], str] | None = None


def date_text(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d") if moment else "—"


def time_text(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M") if moment else "—"


def optional(value: object) -> str:
    return "—" if value is None or value == "" else str(value)


def status_column(title: str, status_of: Callable[[Any], str], settings: Callable[[], Settings],
                  extra: Callable[[Any], str | None] | None = None) -> Column:
    """A column that shows a status as icon + short word, with the full wording as tooltip."""
    def tooltip(item: Any) -> str:
        text = status_label(status_of(item), settings())
        detail = extra(item) if extra else None
        return f"{text} ({detail})" if detail else text

    return Column(title, lambda item: short_status_label(status_of(item), settings()), sort_key="status",
                  status=status_of, tooltip=tooltip)


def cell(item: Any, column: Column, role: int) -> Any:
    """The data for one role of one cell, or None."""
    if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
        text = column.text(item)
        if role == Qt.ItemDataRole.AccessibleTextRole and column.tooltip is not None:
            return column.tooltip(item)
        return text
    if role == Qt.ItemDataRole.ToolTipRole and column.tooltip is not None:
        return column.tooltip(item)
    if role == Qt.ItemDataRole.TextAlignmentRole:
        horizontal = Qt.AlignmentFlag.AlignRight if column.numeric else Qt.AlignmentFlag.AlignLeft
        return int(horizontal | Qt.AlignmentFlag.AlignVCenter)
    if column.status is not None:
        if role == Qt.ItemDataRole.DecorationRole:
            return status_icon(column.status(item))
        if role == Qt.ItemDataRole.BackgroundRole:
            return status_tint(column.status(item))
    if role == Role.ITEM:
        return item
    return None


Index = QModelIndex | QPersistentModelIndex


class ColumnTableModel(QAbstractTableModel):
    """What every read-only table of records shares: its columns, their headers, selectable rows.

    Subclasses say how many rows there are (``rowCount``) and which record is on a row (``item``).
    """

    def __init__(self, columns: Sequence[Column], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.columns = list(columns)

    def item(self, row: int) -> Any:
        raise NotImplementedError

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < self.rowCount() or index.column() >= len(self.columns):
            return None
        item = self.item(index.row())
        if item is None:
            return self.placeholder(index, role)
        return cell(item, self.columns[index.column()], role)

    def placeholder(self, index: Index, role: int) -> Any:
        """What a row whose record is not loaded yet shows."""
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.columns):
            return None
        return self.columns[section].title if role == Qt.ItemDataRole.DisplayRole else None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren

"""A table model over a short list the core returned (a device's history, the devices needing action)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QModelIndex, QObject

from zmconsole.gui.models.columns import Column, ColumnTableModel, Index


class ListTableModel(ColumnTableModel):
    def __init__(self, columns: Sequence[Column], rows: Sequence[Any] = (), parent: QObject | None = None) -> None:
        super().__init__(columns, parent)
        self._rows = list(rows)

    def set_rows(self, rows: Sequence[Any]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def item(self, row: int) -> Any:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    @property
    def rows(self) -> list[Any]:
        return list(self._rows)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

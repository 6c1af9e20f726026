"""Small widgets every page uses: an inline message banner, big buttons, a busy bar, accessible naming."""

from __future__ import annotations

from enum import Enum

from PySide6.QtCore import QAbstractItemModel, Qt, QTimer, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QTableView,
    QWidget,
)

from zmconsole.core.status import Status
from zmconsole.gui.icons import icon, status_icon

BUTTON_HEIGHT = 36  # comfortable targets at a bedside cart


def accessible(widget: QWidget, name: str, description: str = "") -> QWidget:
    """Give a control the name a screen reader announces (and a tooltip-like description)."""
    widget.setAccessibleName(name)
    if description:
        widget.setAccessibleDescription(description)
    return widget


def big_button(text: str, icon_name: str | None = None, *, name: str = "", parent: QWidget | None = None
               ) -> QPushButton:
    button = QPushButton(text, parent)
    if icon_name:
        button.setIcon(icon(icon_name))
    button.setMinimumHeight(BUTTON_HEIGHT)
    if name:
        button.setObjectName(name)
    accessible(button, text.replace("&", "").rstrip("…"))
    return button


class Kind(Enum):
    INFO = "info"
    OK = "ok"
    WARNING = "warning"
    ERROR = "error"


# A banner borrows the icon of the status that means the same: fine, urgent, failed.
_KIND_ICONS = {Kind.INFO: None, Kind.OK: Status.ACTIVE, Kind.WARNING: Status.EXPIRING_7, Kind.ERROR: Status.EXPIRED}


class Banner(QFrame):
    """An inline message with an icon and text (never colour alone); hidden when empty."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self._icon = QLabel(self)
        self._text = QLabel(self)
        self._text.setWordWrap(True)
        self._text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._text.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        layout = QHBoxLayout(self)
        layout.addWidget(self._icon, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self._text, 1)
        self.kind = Kind.INFO
        self.hide()

    @property
    def text(self) -> str:
        return self._text.text()

    def show_message(self, kind: Kind, text: str) -> None:
        self.kind = kind
        name = _KIND_ICONS[kind]
        glyph: QIcon = status_icon(name) if name else icon("details")
        self._icon.setPixmap(glyph.pixmap(20, 20))
        self._text.setText(text)
        self.setAccessibleName(text)
        self.show()

    def clear(self) -> None:
        self._text.clear()
        self.hide()


def table_view(model: QAbstractItemModel, name: str, accessible_name: str, parent: QWidget,
               widths: tuple[int, ...] = ()) -> QTableView:
    """A read-only table the way every page shows one: whole rows selected, one line per row."""
    view = QTableView(parent)
    view.setObjectName(name)
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.setTextElideMode(Qt.TextElideMode.ElideMiddle)
    view.verticalHeader().hide()
    view.verticalHeader().setDefaultSectionSize(30)
    view.horizontalHeader().setStretchLastSection(True)
    for column, width in enumerate(widths):
        view.setColumnWidth(column, width)
    accessible(view, accessible_name)
    return view


class SearchBox(QLineEdit):
    """A search field that asks for the search after a pause in typing (or at once on Enter)."""

    search_requested = Signal(str)
    DELAY_MS = 250  # a query per pause, not per key

    def __init__(self, placeholder: str, name: str, accessible_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setPlaceholderText(placeholder)
        self.setClearButtonEnabled(True)
        self.setMinimumHeight(BUTTON_HEIGHT)
        accessible(self, accessible_name)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(self.DELAY_MS)
        self._timer.timeout.connect(self.request)
        self.textChanged.connect(lambda _text: self._timer.start())
        self.returnPressed.connect(self.request)

    def request(self) -> None:
        self._timer.stop()
        self.search_requested.emit(self.text().strip())


def busy_bar(parent: QWidget | None = None) -> QProgressBar:
    """An indeterminate progress bar (a busy indicator), hidden until shown."""
    bar = QProgressBar(parent)
    bar.setRange(0, 0)
    bar.setTextVisible(False)
    bar.setMaximumHeight(10)
    bar.hide()
    return bar

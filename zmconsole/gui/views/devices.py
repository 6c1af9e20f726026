"""The devices page: search, status filter, a sortable table of every device, and the actions on them."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication, QModelIndex, QPoint, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from zmconsole.core.status import CERTIFICATE_STATUSES, NEEDS_ACTION, Status
from zmconsole.gui.dialogs.revoke import add_revoke_reasons
from zmconsole.gui.i18n import arg
from zmconsole.gui.icons import icon, status_icon
from zmconsole.gui.models.devices import DevicesModel
from zmconsole.gui.session import Session
from zmconsole.gui.statuses import status_label
from zmconsole.gui.view_state import ViewState
from zmconsole.gui.widgets import BUTTON_HEIGHT, SearchBox, accessible, table_view

DEVICE_COLUMN_WIDTHS = (90, 100, 120, 120, 150, 100)


def status_filters(session: Session) -> list[tuple[str, tuple[Status, ...]]]:
    """The choices of the status filter: everything, what needs action, then each status."""
    translate = QCoreApplication.translate
    choices: list[tuple[str, tuple[Status, ...]]] = [(translate("DevicesPage", "All statuses"), ()),
                                                     (translate("DevicesPage", "Needs action"), NEEDS_ACTION)]
    choices += [(status_label(s, session.settings), (s,)) for s in CERTIFICATE_STATUSES]
    return choices


def action_button(action: QAction, parent: QWidget) -> QToolButton:
    """A large button that mirrors a window action (text, icon, enabled state)."""
    button = QToolButton(parent)
    button.setDefaultAction(action)
    button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
    button.setMinimumHeight(BUTTON_HEIGHT)
    button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    return button


class DevicesPage(QWidget):
    details_requested = Signal(str)  # device ID
    selection_changed = Signal()
    revoke_requested = Signal(list, str)  # device IDs, reason: from the context menu
    renew_requested = Signal(str)  # device ID

    def __init__(self, session: Session, view_state: ViewState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.view_state = view_state
        self.model = DevicesModel(session, self)

        self.search = SearchBox(self.tr("Search device ID, ward, location or serial (Ctrl+F)"), "deviceSearch",
                                self.tr("Search devices"), self)
        self.search.addAction(icon("search"), QLineEdit.ActionPosition.LeadingPosition)
        self.search.search_requested.connect(self._searched)

        self.status = QComboBox(self)
        self.status.setObjectName("statusFilter")
        self.status.setMinimumHeight(BUTTON_HEIGHT)
        accessible(self.status, self.tr("Show devices with status"))
        self._fill_status_filter()
        self.status.currentIndexChanged.connect(self._status_chosen)

        self.count = QLabel(self)
        self.count.setObjectName("deviceCount")
        self.sort = QComboBox(self)  # the header sorts by mouse; this is the same for the keyboard
        self.sort.setObjectName("deviceSort")
        self.sort.setMinimumHeight(BUTTON_HEIGHT)
        accessible(self.sort, self.tr("Sort devices by"))

        self.table = table_view(self.model, "devicesTable", self.tr("Devices"), self, DEVICE_COLUMN_WIDTHS)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSortIndicatorShown(True)
        saved = view_state.header("devices")
        if saved is not None:
            header.restoreState(saved)
        self.table.setSortingEnabled(True)
        if saved is None:
            self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        for column in range(self.model.columnCount()):
            title = self.model.columns[column].title
            self.sort.addItem(arg(self.tr("%1, ascending"), title), (column, Qt.SortOrder.AscendingOrder))
            self.sort.addItem(arg(self.tr("%1, descending"), title), (column, Qt.SortOrder.DescendingOrder))
        self._show_sort(header.sortIndicatorSection(), header.sortIndicatorOrder())
        header.sortIndicatorChanged.connect(self._show_sort)
        self.sort.currentIndexChanged.connect(self._sort_chosen)
        self.table.activated.connect(self._open)  # a double-click or Enter; doubleClicked too would open two
        self.table.selectionModel().selectionChanged.connect(lambda *_: self.selection_changed.emit())
        self.model.loaded.connect(self._loaded)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._context_menu)
        self.context_menu: QMenu | None = None

        self.actions_row = QHBoxLayout()
        top = QHBoxLayout()
        top.addWidget(self.search, 3)
        top.addWidget(self.status, 1)
        top.addWidget(self.sort, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(self.actions_row)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count)

        session.data_changed.connect(self.refresh)
        session.settings_changed.connect(self._fill_status_filter)

    def add_actions(self, actions: Sequence[QAction]) -> None:
        for action in actions:
            self.actions_row.addWidget(action_button(action, self))
        self.actions_row.addStretch(1)

    def _fill_status_filter(self) -> None:
        current = self.status.currentIndex()
        self.status.blockSignals(True)
        self.status.clear()
        for text, statuses in status_filters(self.session):
            self.status.addItem(status_icon(statuses[0]) if len(statuses) == 1 else icon("devices"), text, statuses)
        self.status.setCurrentIndex(max(current, 0))
        self.status.blockSignals(False)

    def _show_sort(self, column: int, order: Qt.SortOrder) -> None:
        # findData does not match a (column, order) tuple through the QVariant round trip; compare here.
        index = next((i for i in range(self.sort.count()) if tuple(self.sort.itemData(i)) == (column, order)), -1)
        if index >= 0 and index != self.sort.currentIndex():
            self.sort.blockSignals(True)
            self.sort.setCurrentIndex(index)
            self.sort.blockSignals(False)

    def _sort_chosen(self, _index: int) -> None:
        column, order = self.sort.currentData()
        self.table.sortByColumn(column, order)

    def _status_chosen(self, _index: int) -> None:
        self.model.set_filter(status=self.status.currentData() or ())

    def apply_search(self) -> None:
        """Search now, without waiting for the pause in typing."""
        self.search.request()

    def _searched(self, text: str) -> None:
        if text != self.model.search:
            self.model.set_filter(search=text)

    def show_status(self, statuses: Sequence[str]) -> None:
        """Filter to exactly these statuses (from a dashboard tile), clearing the search."""
        wanted = tuple(statuses)
        index = next((i for i in range(self.status.count()) if tuple(self.status.itemData(i)) == wanted), 0)
        self.search.blockSignals(True)
        self.search.clear()
        self.search.blockSignals(False)
        self.model.search = ""
        self.status.blockSignals(True)
        self.status.setCurrentIndex(index)
        self.status.blockSignals(False)
        self.model.set_filter(status=wanted)

    def focus_search(self) -> None:
        """Ctrl+F: a search of every device. A status filter left from earlier would hide the device looked
        for (an officer then concludes a lost device does not exist), so it goes back to all statuses."""
        if self.status.currentIndex() != 0:
            self.status.setCurrentIndex(0)
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def refresh(self) -> None:
        self.model.refresh()

    def _loaded(self) -> None:
        total = self.model.total
        text = (arg(self.tr("%1 devices shown"), f"{total:,}") if total != 1 else self.tr("1 device shown"))
        if self.status.currentIndex() > 0:  # say which filter hides the others
            text = arg(self.tr("%1 — only “%2”; choose “All statuses” to see every device"), text,
                       self.status.currentText())
        self.count.setText(text)

    def _open(self, index: QModelIndex) -> None:
        item = self.model.item(index.row())
        if item is not None:
            self.details_requested.emit(item.device_id)

    def _context_menu(self, pos: QPoint) -> None:
        """Details, renew and revoke (by reason) of the device under the mouse, or of the selection."""
        index = self.table.indexAt(pos)
        if index.isValid() and index.row() not in self.selected_rows():
            self.table.selectRow(index.row())
        ids = self.selected_device_ids() or []
        menu = QMenu(self)
        menu.setObjectName("devicesMenu")
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        details = menu.addAction(self.tr("&Details…"), lambda: self.details_requested.emit(ids[0]))
        details.setEnabled(len(ids) == 1)
        renew = menu.addAction(self.tr("Re&new…"), lambda: self.renew_requested.emit(ids[0]))
        renew.setObjectName("menuRenew")
        renew.setEnabled(len(ids) == 1 and self.session.ca_info is not None)
        menu.addSeparator()
        add_revoke_reasons(menu, self.has_revocable() and self.session.ca_info is not None,
                           lambda reason: self.revoke_requested.emit(ids, reason))
        self.context_menu = menu
        menu.popup(self.table.viewport().mapToGlobal(pos))

    def has_revocable(self) -> bool:
        """Whether the selection holds a device with a certificate that is not revoked yet."""
        items = (self.model.item(row) for row in self.selected_rows())
        return any(item is not None and item.status not in (Status.NONE, Status.REVOKED) for item in items)

    def places(self) -> dict[str, str]:
        """Ward and location of the selected (loaded) devices, for the confirmation to name them."""
        items = (self.model.item(row) for row in self.selected_rows())
        return {item.device_id: ", ".join(p for p in (item.ward, item.location) if p)
                for item in items if item is not None}

    def selected_rows(self) -> list[int]:
        return sorted(index.row() for index in self.table.selectionModel().selectedRows())

    def selected_device_ids(self) -> list[str] | None:
        """The selected devices; None if some selected rows are not loaded (select fewer)."""
        return self.model.device_ids(self.selected_rows())

    def save_state(self) -> None:
        self.view_state.save_header("devices", self.table.horizontalHeader().saveState())

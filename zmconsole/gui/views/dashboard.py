"""The expiry dashboard, the security officer's view: counts, the year ahead, what needs action, the report."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QModelIndex, QPoint, Qt, Signal
from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from zmconsole.core import ca, inventory, report
from zmconsole.core.inventory import ExpiryItem
from zmconsole.core.settings import Settings
from zmconsole.core.status import NEEDS_ACTION, Status
from zmconsole.gui.dialogs.revoke import add_revoke_reasons
from zmconsole.gui.i18n import arg
from zmconsole.gui.icons import status_icon
from zmconsole.gui.models.columns import Column, date_text, optional, status_column
from zmconsole.gui.models.lists import ListTableModel
from zmconsole.gui.report_pdf import CHART_SIZE, write_pdf
from zmconsole.gui.session import Session
from zmconsole.gui.statuses import kind_label, short_status_label, status_label
from zmconsole.gui.views.chart import ExpiryChart
from zmconsole.gui.widgets import big_button, table_view

TILES: tuple[Status, ...] = (Status.ACTIVE, *NEEDS_ACTION, Status.REVOKED)


class Tile(QPushButton):
    """A big count with its status icon and words; clicking it lists those devices."""

    def __init__(self, status: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.status = status
        self.setObjectName(f"tile-{status}")
        self.setMinimumSize(130, 86)
        self.number = QLabel("–", self)
        font = QFont(self.number.font())
        font.setPointSizeF(font.pointSizeF() * 2.2)
        font.setBold(True)
        self.number.setFont(font)
        self.caption = QLabel(self)
        self.caption.setWordWrap(True)
        glyph = QLabel(self)
        glyph.setPixmap(status_icon(status).pixmap(22, 22))
        top = QHBoxLayout()
        top.addWidget(glyph)
        top.addWidget(self.number, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.caption)
        for label in (self.number, self.caption, glyph):
            label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)

    def set_count(self, count: int, caption: str, full: str) -> None:
        self.number.setText(f"{count:,}")
        self.caption.setText(caption)
        self.setAccessibleName(arg(self.tr("%1: %2 devices"), full, count))
        self.setToolTip(arg(self.tr("%1 — click to list them"), full))

    @property
    def count(self) -> int:
        return int(self.number.text().replace(",", "")) if self.number.text() != "–" else 0


class DashboardPage(QWidget):
    status_requested = Signal(str)  # a tile was clicked: show the devices with this status
    details_requested = Signal(str)  # device ID
    revoke_requested = Signal(list, str)  # device IDs, reason: from the list's context menu
    figures_loaded = Signal()  # the counts and the chart are in
    loaded = Signal()  # ...and the list of certificates needing action: the whole report

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.report: report.ExpiryReport | None = None
        self.loading = False
        self._generation = 0

        self.tiles = {status: Tile(status, self) for status in TILES}
        tiles = QGridLayout()
        for column, tile in enumerate(self.tiles.values()):
            tiles.addWidget(tile, 0, column)
            tile.clicked.connect(lambda _checked=False, s=tile.status: self.status_requested.emit(s))
        self.extra = QLabel(self)
        self.extra.setObjectName("dashboardExtra")
        self.chain = QLabel(self)  # a hierarchy's shape and chain; hidden for a single CA
        self.chain.setObjectName("dashboardChain")
        self.chain.setWordWrap(True)
        self.chain.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.chain.hide()

        self.chart = ExpiryChart(self)
        chart_box = QGroupBox(self.tr("Expiries per week, next 12 months"), self)
        QVBoxLayout(chart_box).addWidget(self.chart)

        def columns() -> list[Column]:
            return [
                Column(self.tr("Kind"), lambda i: kind_label(i.kind)),
                Column(self.tr("Name"), lambda i: i.name),
                Column(self.tr("Ward"), lambda i: optional(i.ward)),
                Column(self.tr("Location"), lambda i: optional(i.location)),
                status_column(self.tr("Status"), lambda i: i.status, lambda: session.settings),
                Column(self.tr("Expires (UTC)"), lambda i: date_text(i.not_after)),
                Column(self.tr("Days left"), lambda i: str(i.days_left), numeric=True),
                Column(self.tr("Serial"), lambda i: i.serial),
            ]

        self.items = ListTableModel(columns(), parent=self)
        self.table = table_view(self.items, "needsActionTable", self.tr("Certificates that need action"), self,
                                (80, 110, 110, 130, 130, 100, 70))
        self.table.activated.connect(self._open)  # a double-click or Enter; doubleClicked too would open two
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._context_menu)
        self.context_menu: QMenu | None = None
        items_box = QGroupBox(self.tr("Need action (crossed an alert threshold), soonest first"), self)
        self.empty = QLabel(self.tr("Nothing needs action: no certificate has crossed an alert threshold."),
                            items_box)
        self.empty.setObjectName("needsActionEmpty")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.empty.hide()
        items_layout = QVBoxLayout(items_box)
        items_layout.addWidget(self.empty)
        items_layout.addWidget(self.table)
        # Seed §7: a device that renews itself is watched, not acted on, until its renewal is overdue or failed.
        self.renewing = ListTableModel(columns(), parent=self)
        self.renewing_table = table_view(self.renewing, "renewingTable", self.tr("Certificates renewing automatically"),
                                         self, (80, 110, 110, 130, 130, 100, 70))
        self.renewing_table.activated.connect(lambda index: self._open(index, self.renewing))
        renewing_box = QGroupBox(self.tr("Renewing automatically (needs action only once overdue or failed)"), self)
        QVBoxLayout(renewing_box).addWidget(self.renewing_table)
        self.renewing_box = renewing_box  # shown only when a certificate renews itself: room for the list above
        renewing_box.hide()  # until the first answer says a certificate renews itself

        self.generated = QLabel(self)
        self.export_csv = big_button(self.tr("Export report as &CSV…"), "export", name="exportCsv", parent=self)
        self.export_pdf = big_button(self.tr("Export report as &PDF…"), "export", name="exportPdf", parent=self)
        self.export_csv.clicked.connect(self.save_csv)
        self.export_pdf.clicked.connect(self.save_pdf)
        bottom = QHBoxLayout()
        bottom.addWidget(self.generated, 1)
        bottom.addWidget(self.export_csv)
        bottom.addWidget(self.export_pdf)

        layout = QVBoxLayout(self)
        layout.addLayout(tiles)
        layout.addWidget(self.extra)
        layout.addWidget(self.chain)
        layout.addWidget(chart_box, 2)
        layout.addWidget(items_box, 3)
        layout.addWidget(renewing_box, 1)
        layout.addLayout(bottom)
        session.data_changed.connect(self.refresh)

    def refresh(self) -> None:
        """Recompute the report in workers, in two steps: the counts and the chart (two aggregate queries) show
        first, the list of certificates needing action (a row each) follows. The page keeps the previous
        figures until the new ones are in."""
        if self.session.ca_info is None or self.session.signed_out:
            return  # signed out: the report is read again at the next sign-in
        self._show_chain(self.session.ca_info)
        self.loading = True
        self._generation += 1
        generation = self._generation
        store, settings = self.session.store, self.session.settings
        now = self.session.now().replace(microsecond=0)

        def show_figures(result: tuple[dict[Status, int], list[int]]) -> None:
            if generation != self._generation:
                return
            counts, per_week = result
            self._show_figures(counts, per_week, now, settings)
            self.session.tasks.start(lambda _job: inventory.crossed_thresholds(store, settings, now=now),
                                     done=lambda items: show_items(counts, per_week, items), owner=self)

        def show_items(counts: dict[Status, int], per_week: list[int], items: list[ExpiryItem]) -> None:
            if generation != self._generation:
                return
            self.report = report.complete(now, settings, counts, per_week, items)
            self.items.set_rows([i for i in items if i.renewal != inventory.AUTOMATIC])
            self.renewing.set_rows([i for i in items if i.renewal == inventory.AUTOMATIC])
            self.empty.setVisible(self.items.rowCount() == 0)  # an empty table would look like one still loading
            self.table.setVisible(self.items.rowCount() > 0)
            self.renewing_box.setVisible(self.renewing.rowCount() > 0)
            self.loading = False
            self.loaded.emit()

        self.session.tasks.start(lambda _job: report.figures(store, settings, now=now), done=show_figures,
                                 owner=self)

    def _show_chain(self, info: ca.CaInfo) -> None:
        """Which CA this store holds in a hierarchy, and what it chains to (issue 12)."""
        if info.role == ca.ROOT:
            text = arg(self.tr("Root CA %1 (SHA-256 %2…): it signs issuing CAs only; devices and servers are "
                               "issued in an issuing CA's store."), info.subject, info.fingerprint[:16].upper())
        elif info.parent is not None:
            text = arg(self.tr("Issuing CA %1, under the root %2. Devices pin the root (SHA-256 %3…), so a new "
                               "issuing CA needs no new pairing."), info.subject, info.parent.subject.rfc4514_string(),
                       ca.fingerprint(info.parent)[:16].upper())
        else:
            text = ""
        self.chain.setText(text)
        self.chain.setToolTip(text)
        self.chain.setVisible(bool(text))

    def _show_figures(self, counts: dict[Status, int], per_week: list[int], now: datetime, settings: Settings) -> None:
        for status, tile in self.tiles.items():
            tile.set_count(counts[status], short_status_label(status, settings), status_label(status, settings))
        self.extra.setText(arg(self.tr("%1 devices in total; %2 not yet valid, %3 without a certificate."),
                               f"{sum(counts.values()):,}", counts[Status.NOT_YET_VALID], counts.get(Status.NONE, 0)))
        self.chart.set_data(per_week, now, settings.thresholds)
        self.generated.setText(arg(self.tr("Figures as of %1 UTC."), f"{now:%Y-%m-%d %H:%M}"))
        self.figures_loaded.emit()

    def _open(self, index: QModelIndex, model: ListTableModel | None = None) -> None:
        item = (model or self.items).item(index.row())
        if item is not None and item.kind == "device":
            self.details_requested.emit(item.name)

    def _context_menu(self, pos: QPoint) -> None:
        """Details and revoke (by reason) of the device under the mouse; the CA and servers have neither here."""
        item = self.items.item(self.table.indexAt(pos).row())
        if item is None or item.kind != "device":
            return
        self.table.selectRow(self.table.indexAt(pos).row())
        menu = QMenu(self)
        menu.setObjectName("needsActionMenu")
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.addAction(self.tr("&Details…"), lambda: self.details_requested.emit(item.name))
        menu.addSeparator()
        add_revoke_reasons(menu, item.status is not Status.REVOKED,
                           lambda reason: self.revoke_requested.emit([item.name], reason))
        self.context_menu = menu
        menu.popup(self.table.viewport().mapToGlobal(pos))

    def _target(self, title: str, suffix: str, filters: str) -> Path | None:
        if self.report is None:
            return None
        return self.session.files.save_file(self, title, f"expiry-report-{self.report.generated_at:%Y%m%d}.{suffix}",
                                            filters)

    def save_csv(self) -> None:
        path = self._target(self.tr("Export the expiry report as CSV"), "csv", self.tr("CSV files (*.csv)"))
        if path is None or self.report is None:
            return
        built = self.report
        self.session.tasks.start(lambda _job: report.write_csv(built, path), done=self._saved, owner=self)

    def save_pdf(self) -> None:
        path = self._target(self.tr("Export the expiry report as PDF"), "pdf", self.tr("PDF files (*.pdf)"))
        if path is None or self.report is None:
            return
        built = self.report
        on_paper = QPalette()
        on_paper.setColor(QPalette.ColorRole.WindowText, QColor("black"))  # dark text on white, whatever the theme
        chart = self.chart.render_image(CHART_SIZE[0], CHART_SIZE[1], on_paper)
        self.session.tasks.start(lambda _job: write_pdf(built, chart, path), done=self._saved, owner=self)

    def _saved(self, path: Path) -> None:
        self.generated.setText(arg(self.tr("Report written to %1."), path))
        window = self.window()
        status_bar = getattr(window, "statusBar", None)
        if callable(status_bar):
            status_bar().showMessage(arg(self.tr("Report written to %1."), path), 8000)

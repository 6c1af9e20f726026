"""The main window: navigation between the pages, the menus, toolbar and status bar, and the flows
that span pages (issue, bulk issue, revoke, details, lock).

Pages are added with :meth:`MainWindow.add_page`; "Pair a device" (:attr:`MainWindow.pair_action`, Ctrl+P)
opens the pairing page with the cursor in its device ID field, ready for a barcode scanner.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QGuiApplication, QIcon, QKeySequence
from PySide6.QtWidgets import (
    QAbstractButton,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QSizePolicy,
    QStackedWidget,
    QToolBar,
    QWidget,
)

from zmconsole import __version__
from zmconsole.core import inventory
from zmconsole.core.ca import UnlockedCa
from zmconsole.core.crl_policy import RevocationOutcome, revoke_and_publish
from zmconsole.core.demo import DEMO_PASSPHRASE
from zmconsole.core.errors import NotFoundError
from zmconsole.core.roles import Operation
from zmconsole.gui.dialogs.bulk import BulkDialog
from zmconsole.gui.dialogs.device_details import DeviceDetailsDialog
from zmconsole.gui.dialogs.issue import IssueDialog
from zmconsole.gui.dialogs.revoke import RevokeDialog
from zmconsole.gui.dialogs.unlock import UnlockDialog, run_with_ca
from zmconsole.gui.dialogs.wizard import FirstRunWizard
from zmconsole.gui.i18n import arg
from zmconsole.gui.icons import icon
from zmconsole.gui.operator_actions import gate_details
from zmconsole.gui.operator_gate import OperatorGate
from zmconsole.gui.service_control import ServiceControl, ServiceState
from zmconsole.gui.session import Session
from zmconsole.gui.statuses import reason_label
from zmconsole.gui.theme import THEMES, apply_theme, theme_label
from zmconsole.gui.view_state import ViewState
from zmconsole.gui.views.audit import AuditPage
from zmconsole.gui.views.dashboard import DashboardPage
from zmconsole.gui.views.devices import DevicesPage
from zmconsole.gui.views.pairing import PairingPage
from zmconsole.gui.views.revocation import RevocationPage
from zmconsole.gui.views.settings import SettingsPage
from zmconsole.gui.workers import Job

MAX_REVOKE_AT_ONCE = 1000
PLACES_LOOKED_UP = 20  # the confirmation names the ward and location of this many devices at most


def device_places(session: Session, device_ids: Sequence[str]) -> dict[str, str]:
    """Ward and location of a few devices, so a confirmation names where each one is."""
    places = {}
    for device_id in device_ids[:PLACES_LOOKED_UP]:
        try:
            row = inventory.device(session.store, session.settings, device_id)[0]
        except NotFoundError:
            continue
        places[device_id] = ", ".join(p for p in (row.ward, row.location) if p)
    return places


class MainWindow(QMainWindow):
    def __init__(self, session: Session, view_state: ViewState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.view_state = view_state
        self.setObjectName("mainWindow")
        title = self.tr("Z Monitor Console") + (self.tr(" — demo") if session.demo else "")
        if session.demo and QGuiApplication.applicationDisplayName():
            # The platform appends the display name to a title that does not end with it ("… — demo — Z Monitor
            # Console"); the demo's own display name keeps one.
            QGuiApplication.setApplicationDisplayName(title)
        self.setWindowTitle(title)
        self.setWindowIcon(icon("app"))
        self.resize(1180, 760)
        self._pages: dict[str, QWidget] = {}
        self._page_actions: dict[str, QAction] = {}

        self.nav = QListWidget(self)
        self.nav.setObjectName("navigation")
        self.nav.setIconSize(QSize(24, 24))
        self.nav.setFixedWidth(172)  # with the widest page, fits a 1024-px screen
        self.nav.setAccessibleName(self.tr("Pages"))
        self.nav.currentRowChanged.connect(self._nav_changed)
        self.stack = QStackedWidget(self)
        self.stack.currentChanged.connect(self._size_by_current_page)
        central = QWidget(self)
        layout = QHBoxLayout(central)
        layout.addWidget(self.nav)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        self.dashboard = DashboardPage(session, self)
        self.devices = DevicesPage(session, view_state, self)
        self.service = ServiceControl(session, parent=self)  # the console's own provisioning service, if started
        self.pairing = PairingPage(session, self.service, self)
        self.revocation = RevocationPage(session, self)
        self.audit = AuditPage(session, self)
        self.settings_page = SettingsPage(session, self)
        self._make_actions()
        self.add_page("dashboard", self.tr("Dashboard"), "dashboard", self.dashboard)
        self.add_page("devices", self.tr("Devices"), "devices", self.devices)
        self.add_page("pairing", self.tr("Pair a device"), "pair", self.pairing)
        self.add_page("revocation", self.tr("Revocation"), "revocation", self.revocation)
        self.add_page("audit", self.tr("Audit log"), "audit", self.audit)
        self.add_page("settings", self.tr("Settings"), "settings", self.settings_page)
        self.devices.add_actions([self.issue_action, self.bulk_action, self.details_action, self.renew_action,
                                  self.revoke_action])
        self._make_menus()
        self._make_toolbar()
        self._make_status_bar()

        self.dashboard.status_requested.connect(self._show_status)
        self.dashboard.details_requested.connect(self.show_details)
        self.devices.details_requested.connect(self.show_details)
        self.devices.selection_changed.connect(self._update_actions)
        self.devices.revoke_requested.connect(lambda ids, reason: self.revoke_devices(ids, reason,
                                                                                      self.devices.places()))
        self.devices.renew_requested.connect(lambda d: self.issue(d, renew=True))
        self.dashboard.revoke_requested.connect(lambda ids, reason: self.revoke_devices(ids, reason))
        self.revocation.settings_requested.connect(lambda: self.show_page("settings"))
        session.lock_changed.connect(self._lock_changed)
        session.ca_changed.connect(self._ca_changed)
        session.tasks.busy_changed.connect(self.busy.setVisible)
        self._lock_changed(session.locked)
        self.gate = OperatorGate(self)  # the sign-in screen, on a store with operators
        self.roles = self.gate.roles
        self.gate.update()

    # --- pages ---------------------------------------------------------------------------------------------

    def add_page(self, key: str, title: str, icon_name: str, widget: QWidget, *, shortcut: str | None = None
                 ) -> QAction:
        """Add a page to the navigation and the View menu; returns the action that shows it."""
        self._pages[key] = widget
        self.stack.addWidget(widget)
        item = QListWidgetItem(icon(icon_name), title, self.nav)
        item.setData(Qt.ItemDataRole.UserRole, key)
        item.setSizeHint(QSize(164, 44))
        action = QAction(icon(icon_name), title, self)
        action.setShortcut(QKeySequence(shortcut or f"Ctrl+{len(self._pages)}"))
        action.triggered.connect(lambda _checked=False, k=key: self.show_page(k))
        self._page_actions[key] = action
        if hasattr(self, "view_menu"):
            self.view_menu.insertAction(self._view_separator, action)
        return action

    def page_actions(self) -> list[QAction]:
        return list(self._page_actions.values())

    def show_page(self, key: str) -> None:
        if key != "settings" and self.current_page == "settings" and self.settings_page.has_changes():
            self._ask_to_leave_settings(key)
            key = "settings"  # until answered
        widget = self._pages[key]
        self.stack.setCurrentWidget(widget)
        row = next(i for i in range(self.nav.count()) if self.nav.item(i).data(Qt.ItemDataRole.UserRole) == key)
        if self.nav.currentRow() != row:
            self.nav.setCurrentRow(row)
        self._update_actions()

    def _ask_to_leave_settings(self, then: str) -> QMessageBox:
        """Leaving the Settings page with unsaved changes asks: save them, discard them, or stay."""
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("Unsaved settings"),
                          self.tr("The Settings page has changes that are not saved. Save them before leaving?"),
                          QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
                          | QMessageBox.StandardButton.Cancel, self)
        box.setObjectName("leaveSettings")
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def answered(button: QAbstractButton) -> None:
            choice = box.standardButton(button)
            if choice == QMessageBox.StandardButton.Discard:
                self.settings_page.load()
                self.show_page(then)
            elif choice == QMessageBox.StandardButton.Save:
                self.settings_page.saved.connect(lambda: self.show_page(then), Qt.ConnectionType.SingleShotConnection)
                self.settings_page.save_settings()

        box.buttonClicked.connect(answered)
        box.open()
        return box

    def _size_by_current_page(self, index: int) -> None:
        """The window's smallest size is the page on screen's, not the largest page's (a stack's default), so
        a page that fits a 1024×700 screen is not held back by another."""
        for position in range(self.stack.count()):
            policy = QSizePolicy.Policy.Preferred if position == index else QSizePolicy.Policy.Ignored
            page = self.stack.widget(position)
            if page is not None:
                page.setSizePolicy(policy, policy)
        self.stack.updateGeometry()

    @property
    def current_page(self) -> str:
        widget = self.stack.currentWidget()
        return next((key for key, page in self._pages.items() if page is widget), "dashboard")

    def _nav_changed(self, row: int) -> None:
        if row >= 0:
            self.show_page(self.nav.item(row).data(Qt.ItemDataRole.UserRole))

    # --- actions, menus, toolbar, status bar --------------------------------------------------------------------

    def _action(self, text: str, icon_name: str | None, slot: object, shortcut: QKeySequence | str | None = None,
                tip: str = "", name: str = "") -> QAction:
        action = QAction(icon(icon_name) if icon_name else QIcon(), text, self)
        if shortcut is not None:
            action.setShortcut(shortcut if isinstance(shortcut, QKeySequence) else QKeySequence(shortcut))
        if tip:
            action.setStatusTip(tip)
            action.setToolTip(f"{text.replace('&', '').rstrip('…')} — {tip}")
        if name:
            action.setObjectName(name)
        action.triggered.connect(lambda _checked=False: slot())  # type: ignore[operator]
        self.addAction(action)
        return action

    def _make_actions(self) -> None:
        std = QKeySequence.StandardKey
        self.issue_action = self._action(self.tr("&Issue certificate…"), "issue", self.issue, QKeySequence(std.New),
                                         self.tr("Issue a device certificate from a CSR or a generated key"),
                                         "issueAction")
        self.bulk_action = self._action(self.tr("&Bulk issue from CSV…"), "bulk", self.bulk_issue, "Ctrl+Shift+N",
                                        self.tr("Issue certificates for every row of a CSV file"), "bulkAction")
        self.revoke_action = self._action(self.tr("&Revoke…"), "revoke", self.revoke_selected,
                                          QKeySequence(std.Delete),
                                          self.tr("Revoke the selected devices (asks for the reason and confirmation)"),
                                          "revokeAction")
        self.details_action = self._action(self.tr("&Details…"), "details", self.details_of_current, "Ctrl+I",
                                           self.tr("Certificate, history and audit entries of the device"),
                                           "detailsAction")
        self.renew_action = self._action(self.tr("Re&new…"), "renew", self.renew_current, "Ctrl+R",
                                         self.tr("Issue a new certificate; the old one stays valid 7 days"),
                                         "renewAction")
        self.search_action = self._action(self.tr("&Search devices"), "search", self.focus_search,
                                          QKeySequence(std.Find), name="searchAction")
        self.refresh_action = self._action(self.tr("Re&fresh"), "refresh", self.refresh, QKeySequence(std.Refresh),
                                           self.tr("Read the store again (the CLI or the service may have changed it)"),
                                           "refreshAction")
        if self.refresh_action.shortcut().isEmpty():  # platforms without a standard key for it
            self.refresh_action.setShortcut(QKeySequence("F5"))
        self.lock_action = self._action(self.tr("&Lock the CA"), "lock", self.session.lock, "Ctrl+L",
                                        self.tr("Forget the CA key until the passphrase is entered again"),
                                        "lockAction")
        self.unlock_action = self._action(self.tr("&Unlock the CA…"), "unlock", self.unlock, "Ctrl+U",
                                          self.tr("Enter the CA passphrase now"), "unlockAction")
        self.publish_action = self._action(self.tr("&Publish CRL"), "publish", self.revocation.publish_crl,
                                           tip=self.tr("Sign a fresh CRL and write it to the publish folder"),
                                           name="publishAction")
        self.regenerate_action = self._action(self.tr("&Regenerate CRL"), "refresh", self.revocation.regenerate_crl,
                                              name="regenerateAction")
        self.setup_action = self._action(self.tr("Set &up the CA…"), "key", self.open_wizard, name="setupAction")
        self.report_csv_action = self._action(self.tr("Export expiry report as &CSV…"), "export",
                                              self.dashboard.save_csv)
        self.report_pdf_action = self._action(self.tr("Export expiry report as &PDF…"), "export",
                                              self.dashboard.save_pdf)
        self.audit_export_action = self._action(self.tr("Export &audit log…"), "export", self.audit.export_csv)
        self.quit_action = self._action(self.tr("&Quit"), "quit", self.quit, QKeySequence(std.Quit),
                                        name="quitAction")
        if self.quit_action.shortcut().isEmpty():
            self.quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        self.about_action = self._action(self.tr("&About"), "help", self.about)
        self.pair_action = self._action(self.tr("&Pair a device…"), "pair", self.pair_device, "Ctrl+P",
                                        self.tr("Show a QR code the monitor scans to fetch its certificate"),
                                        "pairAction")

    def _make_menus(self) -> None:
        bar = self.menuBar()
        file_menu = self.file_menu = bar.addMenu(self.tr("&File"))
        for action in (self.report_csv_action, self.report_pdf_action, self.audit_export_action):
            file_menu.addAction(action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        devices_menu = bar.addMenu(self.tr("&Devices"))
        for action in (self.issue_action, self.bulk_action, self.pair_action, self.details_action, self.renew_action,
                       self.revoke_action):
            devices_menu.addAction(action)
        devices_menu.addSeparator()
        devices_menu.addAction(self.search_action)
        ca_menu = self.ca_menu = bar.addMenu(self.tr("&CA"))
        for action in (self.unlock_action, self.lock_action, self.regenerate_action, self.publish_action):
            ca_menu.addAction(action)
        ca_menu.addSeparator()
        ca_menu.addAction(self.setup_action)
        self.view_menu = bar.addMenu(self.tr("&View"))
        self._view_separator = self.view_menu.addSeparator()
        for action in self._page_actions.values():
            self.view_menu.insertAction(self._view_separator, action)
        self.view_menu.addAction(self.refresh_action)
        self._make_theme_menu()
        help_menu = bar.addMenu(self.tr("&Help"))
        help_menu.addAction(self.about_action)

    def _make_theme_menu(self) -> None:
        """View ▸ Theme: system, light or dark, kept between runs."""
        menu = self.view_menu.addMenu(self.tr("&Theme"))
        group = QActionGroup(self)
        self.theme_actions: dict[str, QAction] = {}
        for theme in THEMES:
            action = menu.addAction(theme_label(theme))
            action.setObjectName(f"theme-{theme}")
            action.setCheckable(True)
            action.setChecked(theme == self.view_state.theme)
            group.addAction(action)
            action.triggered.connect(lambda _checked=False, t=theme: self.choose_theme(t))
            self.theme_actions[theme] = action

    def choose_theme(self, theme: str) -> None:
        self.view_state.theme = theme
        self.theme_actions[theme].setChecked(True)
        apply_theme(theme)

    def _make_toolbar(self) -> None:
        self.toolbar = QToolBar(self.tr("Main toolbar"), self)
        self.toolbar.setObjectName("mainToolbar")
        self.toolbar.setIconSize(QSize(24, 24))
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextUnderIcon)
        for action in (self.issue_action, self.bulk_action, self.pair_action, self.revoke_action):
            self.toolbar.addAction(action)
        self.toolbar.addSeparator()
        for action in (self.search_action, self.refresh_action, self.lock_action, self.unlock_action):
            self.toolbar.addAction(action)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.toolbar)

    def _make_status_bar(self) -> None:
        status = self.statusBar()
        self.lock_icon = QLabel(self)
        self.lock_label = QLabel(self)
        self.lock_label.setObjectName("lockState")
        self.busy = QProgressBar(self)
        self.busy.setRange(0, 0)
        self.busy.setMaximumWidth(120)
        self.busy.setMaximumHeight(14)
        self.busy.setAccessibleName(self.tr("Working"))
        self.busy.hide()
        if self.session.demo:
            demo = QLabel(arg(self.tr("Demo store (thrown away on exit) — CA passphrase: %1"), DEMO_PASSPHRASE), self)
            demo.setObjectName("demoLabel")
            status.addWidget(demo)
        status.addPermanentWidget(self.busy)
        status.addPermanentWidget(self.lock_icon)
        status.addPermanentWidget(self.lock_label)

    def _lock_changed(self, locked: bool) -> None:
        self.lock_icon.setPixmap(icon("lock" if locked else "unlock").pixmap(18, 18))
        if self.session.ca_info is None:
            self.lock_label.setText(self.tr("No CA yet"))
        else:
            self.lock_label.setText(self.tr("CA locked") if locked else self.tr("CA unlocked"))
        self.lock_label.setAccessibleName(self.lock_label.text())
        self.lock_action.setEnabled(not locked)
        self.unlock_action.setEnabled(locked and self.session.ca_info is not None)
        if locked and self.session.ca_info is not None:
            self.statusBar().showMessage(self.tr("The CA is locked; signing asks for the passphrase."), 5000)

    def _ca_changed(self) -> None:
        self.setup_action.setEnabled(self.session.ca_info is None)
        self._lock_changed(self.session.locked)
        self._update_actions()
        self.refresh_pages()

    def _update_actions(self) -> None:
        has_ca = self.session.ca_info is not None
        rows = self.devices.selected_rows() if self.current_page == "devices" else []
        for action in (self.issue_action, self.bulk_action, self.pair_action, self.publish_action,
                       self.regenerate_action):
            action.setEnabled(has_ca)
        self.setup_action.setEnabled(not has_ca)
        self.revoke_action.setEnabled(has_ca and bool(rows) and self.devices.has_revocable())
        self.details_action.setEnabled(len(rows) == 1)
        self.renew_action.setEnabled(has_ca and len(rows) == 1)

    # --- flows ----------------------------------------------------------------------------------------------

    def start(self) -> None:
        """Restore the last view, load the pages, and open the first-run wizard if there is no CA."""
        if self.view_state.geometry is not None:
            self.restoreGeometry(self.view_state.geometry)
        if self.view_state.window_state is not None:
            self.restoreState(self.view_state.window_state)
        if self.view_state.theme != "system":
            apply_theme(self.view_state.theme)
        page = self.view_state.page
        self.show_page(page if page in self._pages else "dashboard")
        if self.session.signed_out:
            return  # the pages load once someone signs in
        self.refresh_pages()
        if self.session.ca_info is None and not self.session.demo:
            self.open_wizard()

    def refresh_pages(self) -> None:
        """Load the page in view first and the others once its data is in, so it shows as soon as possible."""
        loaders = {"dashboard": (self.dashboard.refresh, self.dashboard.figures_loaded),
                   "devices": (self.devices.refresh, self.devices.model.loaded),
                   "revocation": (self.revocation.refresh, self.revocation.revoked.loaded),
                   "audit": (self.audit.refresh, self.audit.model.loaded)}
        self.settings_page.load()
        first = loaders.get(self.current_page)

        def the_others() -> None:
            for refresh, _ in (loader for key, loader in loaders.items() if loader is not first):
                refresh()

        if first is None or self.session.ca_info is None:
            the_others()
            return
        refresh, loaded = first
        loaded.connect(the_others, Qt.ConnectionType.SingleShotConnection)
        refresh()

    def refresh(self) -> None:
        """F5: re-read settings and the CA, then every page."""
        self.session.reload()
        self.settings_page.load()
        self.statusBar().showMessage(self.tr("Refreshed."), 3000)

    def open_wizard(self) -> FirstRunWizard:
        wizard = FirstRunWizard(self.session, self)
        wizard.finished.connect(wizard.deleteLater)
        wizard.open()
        return wizard

    def focus_search(self) -> None:
        self.show_page("devices")
        self.devices.focus_search()

    def _show_status(self, status: str) -> None:
        self.show_page("devices")
        self.devices.show_status([status])

    def issue(self, device_id: str = "", renew: bool = False) -> IssueDialog:
        dialog = IssueDialog(self.session, self, device_id=device_id, renew=renew)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    def pair_device(self) -> None:
        self.show_page("pairing")
        self.pairing.open_for_next()

    def bulk_issue(self) -> BulkDialog:
        dialog = BulkDialog(self.session, self)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    def show_details(self, device_id: str) -> DeviceDetailsDialog:
        dialog = DeviceDetailsDialog(self.session, device_id, self)
        dialog.renew_requested.connect(lambda d: self.issue(d, renew=True))
        dialog.revoke_requested.connect(lambda d: self.revoke_devices([d]))
        gate_details(self.roles, dialog)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    def details_of_current(self) -> None:
        ids = self.devices.selected_device_ids()
        if ids and len(ids) == 1:
            self.show_details(ids[0])

    def renew_current(self) -> None:
        ids = self.devices.selected_device_ids()
        if ids and len(ids) == 1:
            self.issue(ids[0], renew=True)

    def revoke_selected(self) -> None:
        if self.current_page != "devices":
            return
        ids = self.devices.selected_device_ids()
        if not ids:
            self.statusBar().showMessage(self.tr("Select the devices to revoke first (scroll to load them)."), 5000)
            return
        self.revoke_devices(ids, places=self.devices.places())

    def revoke_devices(self, device_ids: Sequence[str], reason: str | None = None,
                       places: dict[str, str] | None = None) -> RevokeDialog | None:
        if len(device_ids) > MAX_REVOKE_AT_ONCE:
            self.statusBar().showMessage(arg(self.tr("Revoke at most %1 devices at once."), MAX_REVOKE_AT_ONCE), 5000)
            return None
        if places is None:
            places = device_places(self.session, device_ids)
        dialog = RevokeDialog(device_ids, self, chosen=reason, places=places)
        dialog.accepted.connect(lambda: self._revoke(dialog.device_ids, dialog.reason or ""))
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    def _revoke(self, device_ids: list[str], reason: str) -> None:
        store, now = self.session.store, self.session.now()

        def work(unlocked: UnlockedCa | None, _job: Job) -> RevocationOutcome:
            return revoke_and_publish(store, unlocked, device_ids, reason, now=now)

        if self.session.has_operators and not self.roles.allows(Operation.CA_UNLOCK):  # an officer: no CA key
            self.session.tasks.start(lambda job: work(None, job), done=self._revoked, owner=self)
            return
        run_with_ca(self, self.session, work, self._revoked,
                    reason=self.tr("Revoking signs a new CRL with the CA key."))

    def _revoked(self, outcome: RevocationOutcome) -> None:
        self.session.data_changed.emit()
        parts = []
        if outcome.revoked:
            parts.append(arg(self.tr("Revoked %1 (%2)."), ", ".join(r.subject for r in outcome.revoked),
                             reason_label(outcome.revoked[0].reason)))
        problems = [f"{target}: {self.session.errors.message(error)}" for target, error in outcome.refused]
        signed = outcome.signed
        if signed is None and outcome.revoked:
            parts.append(self.tr("Revoked, CRL pending: OCSP answers “revoked” now, and the provisioning service "
                                 "signs the next CRL within a minute."))
        if signed is not None:
            parts.append(arg(self.tr("CRL %1 now lists %2 certificates."), signed.crl.number, signed.crl.entries))
            if signed.publication.published and signed.publication.folder is not None:
                parts.append(arg(self.tr("Published to %1."), signed.publication.folder))
            if signed.publication.error is not None:
                message = self.session.errors.message(signed.publication.error)
                parts.append(arg(self.tr("Not published: %1"), message))
                problems.append(message)
        self.statusBar().showMessage(" ".join(parts), 15000)
        if problems:
            title = (self.tr("Some devices were not revoked") if outcome.refused
                     else self.tr("The new CRL was not published"))
            box = QMessageBox(QMessageBox.Icon.Warning, title, " ".join(parts) + "\n\n" + "\n".join(problems),
                              QMessageBox.StandardButton.Ok, self)
            box.setObjectName("revokeOutcome")
            box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            box.open()

    def unlock(self) -> None:
        if self.session.ca_info is None or not self.session.locked:
            return
        dialog = UnlockDialog(self.session, self)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    def about(self) -> None:
        box = QMessageBox(QMessageBox.Icon.Information, self.tr("About the Z Monitor Console"), arg(self.tr(
            "<b>zmconsole %1</b><br>Provisioning console and platform certificate authority for Z Monitor bedside "
            "monitors.<br>Data folder: %2"), __version__, self.session.home), QMessageBox.StandardButton.Ok, self)
        box.setIconPixmap(icon("app").pixmap(64, 64))
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    # --- closing --------------------------------------------------------------------------------------------

    def save_view_state(self) -> None:
        self.view_state.save_window(self.saveGeometry(), self.saveState())
        self.view_state.page = self.current_page
        self.devices.save_state()
        self.view_state.sync()

    def quit(self) -> QMessageBox | None:
        """Ctrl+Q: close, after asking if that stops the provisioning service or ends a pending pairing."""
        losses = []
        if self.service.state is ServiceState.RUNNING:
            losses.append(self.tr("The provisioning service this console runs stops: devices cannot fetch "
                                  "certificates from it until it is started again."))
        if self.pairing.pending and self.pairing.request is not None:
            losses.append(arg(self.tr("The pairing of %1 is still waiting for the monitor; its code leaves the "
                                      "screen."), self.pairing.request.device_id))
        if not losses:
            self.close()
            return None
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("Quit the console?"), "\n\n".join(losses),
                          QMessageBox.StandardButton.Cancel, self)
        box.setObjectName("quitQuestion")
        quit_button = box.addButton(self.tr("&Quit"), QMessageBox.ButtonRole.AcceptRole)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.buttonClicked.connect(lambda button: self.close() if button is quit_button else None)
        box.open()
        return box

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_view_state()
        self.pairing.shut_down()
        self.service.shut_down()  # before the session closes the store
        super().closeEvent(event)

"""Which core operation each action and button of the console does, and the one place that disables those the
signed-in operator may not do, with the core's reason (``roles.why_not``) as their tooltip and status tip.

The table is :func:`gate_window` (and :func:`gate_details` for the device dialog): an action or button is
named once, with its :class:`~zmconsole.core.roles.Operation`. :meth:`RoleActions.apply` asks the core again
at each sign-in and sign-out (and when the CA changes), so a role changed by an admin elsewhere shows at the
next sign-in. The core still checks every operation: a refusal that comes back anyway shows the core's message.

Disabling by role must not fight the pages' own enabling (Revoke needs a selection, Save needs a change):

- an action joins a non-exclusive :class:`QActionGroup` per operation; a disabled group keeps its actions
  disabled whatever ``setEnabled`` the window calls, and gives them their own state back when enabled again;
- a button is put inside a holder widget, in its place in the layout; disabling the holder disables the
  button in the same way. A widget outside any layout (a scroll area's content) is disabled directly.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QChildEvent, QEvent, QObject, Qt
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QHBoxLayout, QMenu, QWidget

from zmconsole.core import roles
from zmconsole.core.roles import Operation
from zmconsole.gui.session import Session

if TYPE_CHECKING:
    from zmconsole.gui.dialogs.device_details import DeviceDetailsDialog
    from zmconsole.gui.main_window import MainWindow


@dataclass
class _Tips:
    tool_tip: str
    status_tip: str


class RoleActions:
    """The actions and buttons of one window, by the operation each one does."""

    def __init__(self, session: Session, owner: QWidget) -> None:
        self.session = session
        self.owner = owner
        self._groups: dict[Operation, QActionGroup] = {}
        self._actions: dict[QAction, Operation] = {}
        self._widgets: list[tuple[QWidget, QWidget, Operation]] = []  # (the widget, what is disabled, operation)
        self._tips: dict[object, _Tips] = {}
        self.reasons: dict[Operation, str | None] = {}
        self.menus: QObject | None = None  # the pages' context menus (gate_window)

    # --- naming them -------------------------------------------------------------------------------------

    def action(self, action: QAction, operation: Operation) -> QAction:
        group = self._groups.get(operation)
        if group is None:
            group = QActionGroup(self.owner)
            group.setExclusionPolicy(QActionGroup.ExclusionPolicy.None_)
            group.setObjectName(f"role-{operation.value}")
            self._groups[operation] = group
        group.addAction(action)
        self._actions[action] = operation
        self._tips[action] = _Tips(action.toolTip(), action.statusTip())
        return action

    def widget(self, widget: QWidget, operation: Operation) -> QWidget:
        self._widgets.append((widget, _holder(widget), operation))
        self._tips[widget] = _Tips(widget.toolTip(), widget.statusTip())
        return widget

    # --- asking the core ---------------------------------------------------------------------------------

    def reason(self, operation: Operation) -> str | None:
        """Why the signed-in operator may not do ``operation`` (None: they may), as of the last :meth:`apply`."""
        if operation not in self.reasons:
            self.reasons[operation] = roles.why_not(self.session.store, operation)
        return self.reasons[operation]

    def allows(self, operation: Operation) -> bool:
        return self.reason(operation) is None

    def apply(self) -> None:
        """Ask the core again, once per operation, and disable (with the reason) what is refused."""
        self.reasons.clear()
        for operation, group in self._groups.items():
            reason = self.reason(operation)
            group.setEnabled(reason is None)
            for action in group.actions():
                tips = self._tips[action]
                action.setToolTip(tips.tool_tip if reason is None else reason)
                action.setStatusTip(tips.status_tip if reason is None else reason)
        for widget, holder, operation in self._widgets:
            reason = self.reason(operation)
            holder.setEnabled(reason is None)
            tips = self._tips[widget]
            widget.setToolTip(tips.tool_tip if reason is None else reason)
            widget.setStatusTip(tips.status_tip if reason is None else reason)


class _MenuGate(QObject):
    """The pages' context menus are built anew at each right-click: each one is gated as it pops up, by the
    object names of its entries (``revoke-<reason>``, ``menuRenew``)."""

    PREFIXES = (("revoke-", Operation.REVOKE), ("menuRenew", Operation.DEVICE_ISSUE))

    def __init__(self, gate: RoleActions, pages: list[QWidget]) -> None:
        super().__init__(gate.owner)
        self.gate = gate
        for page in pages:
            page.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Polished as it pops up, once its entries are in (at ChildAdded it is not a QMenu yet).
        if event.type() == QEvent.Type.ChildPolished and isinstance(event, QChildEvent):
            child = event.child()
            if isinstance(child, QMenu):
                self.opening(child)
        return False

    def opening(self, menu: QMenu) -> None:
        menu.setToolTipsVisible(True)
        for action in menu.actions():
            operation = next((op for prefix, op in self.PREFIXES if action.objectName().startswith(prefix)), None)
            reason = None if operation is None else self.gate.reason(operation)
            if reason is not None:
                action.setEnabled(False)
                action.setToolTip(reason)


class _Holder(QWidget):
    """Holds one widget in its place in a layout, shown and hidden with it; disabled when the role refuses."""

    def __init__(self, widget: QWidget, parent: QWidget) -> None:
        super().__init__(parent)
        self.held = widget
        self.setObjectName(f"{widget.objectName() or 'widget'}-holder")
        self.setSizePolicy(widget.sizePolicy())

    def hold(self) -> None:
        held = self.held
        hidden = held.isHidden() and held.testAttribute(Qt.WidgetAttribute.WA_WState_ExplicitShowHide)
        inner = QHBoxLayout(self)
        inner.setContentsMargins(0, 0, 0, 0)
        inner.addWidget(held)
        self.setVisible(not hidden)
        held.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.held and event.type() in (QEvent.Type.ShowToParent, QEvent.Type.HideToParent):
            self.setVisible(event.type() == QEvent.Type.ShowToParent)
        return False


def _holder(widget: QWidget) -> QWidget:
    """A holder put in ``widget``'s place in its layout, holding it; the widget itself if it is in none."""
    parent = widget.parentWidget()
    layout = parent.layout() if parent is not None else None
    if parent is None or layout is None:
        return widget
    holder = _Holder(widget, parent)
    if layout.replaceWidget(widget, holder) is None:  # searches the nested layouts too
        holder.deleteLater()
        return widget
    holder.hold()
    return holder


# --- the table --------------------------------------------------------------------------------------------


def gate_window(window: MainWindow) -> RoleActions:
    """Every action and button of the main window with the operation it does."""
    gate = RoleActions(window.session, window)
    o = Operation
    for action, operation in (
        (window.issue_action, o.DEVICE_ISSUE), (window.bulk_action, o.DEVICE_ISSUE),
        (window.renew_action, o.DEVICE_ISSUE), (window.revoke_action, o.REVOKE),
        (window.details_action, o.VIEW), (window.search_action, o.VIEW), (window.refresh_action, o.VIEW),
        (window.unlock_action, o.CA_UNLOCK), (window.publish_action, o.CRL_GENERATE),
        (window.regenerate_action, o.CRL_GENERATE), (window.setup_action, o.CA_CREATE),
        (window.report_csv_action, o.REPORT_EXPORT), (window.report_pdf_action, o.REPORT_EXPORT),
        (window.audit_export_action, o.AUDIT_EXPORT), (window.pair_action, o.PAIRING_PREPARE),
    ):
        gate.action(action, operation)
    for page_action in window.page_actions():
        gate.action(page_action, o.VIEW)
    pairing, revocation, audit, settings = window.pairing, window.revocation, window.audit, window.settings_page
    settings_fields = settings.scroll_area.widget()
    assert settings_fields is not None
    for widget, operation in (
        (window.dashboard.export_csv, o.REPORT_EXPORT), (window.dashboard.export_pdf, o.REPORT_EXPORT),
        (revocation.regenerate, o.CRL_GENERATE), (revocation.publish, o.CRL_GENERATE),
        (revocation.change_folder, o.SETTINGS_CHANGE),
        (audit.verify, o.AUDIT_VERIFY), (audit.export, o.AUDIT_EXPORT),
        (settings_fields, o.SETTINGS_CHANGE), (settings.save, o.SETTINGS_CHANGE),
        (settings.revert, o.SETTINGS_CHANGE),
        (pairing.form.pair_button, o.PAIRING_PREPARE), (pairing.form.console_key, o.DEVICE_ISSUE),
        (pairing.ticket_view.cancel_button, o.PAIRING_CANCEL),
        (pairing.service_panel.button, o.CA_UNLOCK),  # the console's own service opens the CA key
    ):
        gate.widget(widget, operation)
    for menu in window.menuBar().findChildren(QMenu):
        menu.setToolTipsVisible(True)  # a disabled entry says why
    gate.menus = _MenuGate(gate, [window.devices, window.dashboard])
    return gate


def gate_details(gate: RoleActions, dialog: DeviceDetailsDialog) -> None:
    """The device dialog's Renew and Revoke, disabled with the reason where the role does not allow them."""
    for widget, operation in ((dialog.renew, Operation.DEVICE_ISSUE), (dialog.revoke, Operation.REVOKE)):
        holder = _holder(widget)
        reason = gate.reason(operation)
        holder.setEnabled(reason is None)
        if reason is not None:
            widget.setToolTip(reason)

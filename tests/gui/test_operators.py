"""The console on a store with operators (issue 13): the sign-in screen (right, wrong and throttled passwords),
each role's actions disabled with the core's reason, a pairing prepared with no CA passphrase, and signing out
on idle with the pairing's code taken off the screen."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QMessageBox, QWizard
from pytestqt.qtbot import QtBot

from tests.conftest import PASSPHRASE
from tests.gui.conftest import FakeFiles, find_window, make_window, settle
from tests.gui.test_layout import SIZES, check, sized
from zmconsole.core import audit, inventory, operators, revocation, roles
from zmconsole.core.ca import UnlockedCa
from zmconsole.core.errors import WrongPassphraseError
from zmconsole.core.pairing import tickets
from zmconsole.core.pairing.protocol import KeyMode
from zmconsole.core.pairing.state import PairingState
from zmconsole.core.roles import Operation, Role
from zmconsole.core.status import Status
from zmconsole.core.store import Store
from zmconsole.gui.dialogs.device_details import DeviceDetailsDialog
from zmconsole.gui.dialogs.unlock import UnlockDialog
from zmconsole.gui.dialogs.wizard import FirstRunWizard
from zmconsole.gui.main_window import MainWindow
from zmconsole.gui.session import Session
from zmconsole.gui.view_state import ViewState

PASSWORDS = {"alice": "alice's long password", "bob": "bob's long password", "carol": "carol's long password"}
NAME_OF = {Role.ADMIN: "alice", Role.PAIRING: "bob", Role.OFFICER: "carol"}


@pytest.fixture
def staffed(store: Store, unlocked: UnlockedCa, devices: list[str]) -> Store:
    """The CA, twelve devices, and alice (admin), bob (pairing) and carol (officer); nobody signed in."""
    operators.create_first_admin(store, unlocked, "alice", PASSWORDS["alice"])
    operators.add(store, unlocked, "bob", "pairing", PASSWORDS["bob"])
    operators.add(store, unlocked, "carol", "officer", PASSWORDS["carol"])
    operators.sign_out(store)
    return store


@pytest.fixture
def staffed_session(qapp: QApplication, staffed: Store, home: Path, files: FakeFiles) -> Iterator[Session]:
    opened = Session(staffed, home=home, files=files)  # type: ignore[arg-type]
    yield opened
    opened.close()


@pytest.fixture
def staffed_window(qtbot: QtBot, staffed_session: Session, view_state: ViewState) -> Iterator[MainWindow]:
    opened = make_window(qtbot, staffed_session, view_state)
    yield opened
    opened.close()


def type_in(qtbot: QtBot, window: MainWindow, name: str, password: str) -> None:
    """Name, Tab, password, Enter: as a person signs in."""
    view = window.gate.sign_in
    qtbot.waitUntil(lambda: QApplication.focusWidget() is view.name)
    qtbot.keyClicks(view.name, name)  # type: ignore[no-untyped-call]
    qtbot.keyClick(view.name, Qt.Key.Key_Tab)  # type: ignore[no-untyped-call]
    assert QApplication.focusWidget() is view.password
    qtbot.keyClicks(view.password, password)  # type: ignore[no-untyped-call]
    qtbot.keyClick(view.password, Qt.Key.Key_Return)  # type: ignore[no-untyped-call]


def sign_in(qtbot: QtBot, window: MainWindow, name: str) -> None:
    type_in(qtbot, window, name, PASSWORDS[name])
    qtbot.waitUntil(lambda: window.session.operator is not None, timeout=20_000)
    settle(qtbot, window.session)


def showing_sign_in(window: MainWindow) -> bool:
    return window.gate.screens.currentWidget() is window.gate.sign_in and window.gate.sign_in.isVisible()


def test_nothing_but_the_sign_in_screen_until_someone_signs_in(qtbot: QtBot, staffed_window: MainWindow,
                                                                staffed_session: Session, staffed: Store) -> None:
    window = staffed_window
    assert showing_sign_in(window) and not window.devices.isVisible()
    assert not window.menuBar().isVisible() and not window.toolbar.isVisible()
    enabled = [a.objectName() or a.text() for a in window.actions() if a.isEnabled() and not a.shortcut().isEmpty()
               and a not in (window.quit_action, window.lock_action)]
    assert enabled == [], "shortcuts that still work while nobody is signed in"
    assert window.gate.who.isHidden() and window.gate.sign_out_button.isHidden()
    assert audit.entries(staffed, action_prefix="operator.refused") == []  # no page asked the core for data

    sign_in(qtbot, window, "bob")
    assert not showing_sign_in(window) and window.menuBar().isVisible() and window.toolbar.isVisible()
    assert window.gate.who.isVisible() and "bob" in window.gate.who.text() and "pairing" in window.gate.who.text()
    assert window.devices.model.total == 12 or window.dashboard.isVisible()  # the pages loaded for bob
    signed = audit.entries(staffed, action_prefix="operator.signed_in")
    assert [e.subject for e in signed][-1:] == ["bob"]

    window.gate.sign_out_button.click()
    assert showing_sign_in(window) and staffed_session.operator is None and staffed.operator is None
    assert "signed out" in window.gate.sign_in.message.text
    assert window.gate.sign_in.name.text() == "" and window.gate.sign_in.password.text() == ""
    assert [e.subject for e in audit.entries(staffed, action_prefix="operator.signed_out")] == ["bob"]


def test_a_wrong_password_shows_the_core_message_and_stays_on_the_sign_in_screen(
        qtbot: QtBot, staffed_window: MainWindow, staffed: Store) -> None:
    window = staffed_window
    view = window.gate.sign_in
    view.sign_in_button.click()
    assert "Type your operator name and your password" in view.message.text  # said without asking the core
    type_in(qtbot, window, "bob", "not bob's password")
    qtbot.waitUntil(lambda: "cannot sign in" in view.message.text, timeout=20_000)
    assert "Traceback" not in view.message.text and "wrong" in view.message.text
    assert showing_sign_in(window) and staffed.operator is None
    assert view.password.text() == "" and QApplication.focusWidget() is view.password
    assert [e.subject for e in audit.entries(staffed, action_prefix="operator.password_wrong")] == ["bob"]
    qtbot.keyClicks(view.password, PASSWORDS["bob"])  # type: ignore[no-untyped-call]
    qtbot.keyClick(view.password, Qt.Key.Key_Return)  # type: ignore[no-untyped-call]
    qtbot.waitUntil(lambda: not showing_sign_in(window), timeout=20_000)
    assert staffed.operator is not None and staffed.operator.name == "bob"


def test_too_many_wrong_passwords_say_when_to_try_again(qtbot: QtBot, staffed_window: MainWindow,
                                                         staffed: Store) -> None:
    for _ in range(operators.FREE_ATTEMPTS):  # someone tried before, at this cart or another
        with pytest.raises(WrongPassphraseError):
            operators.sign_in(staffed, "carol", "guess", sleep=lambda _s: None)
    view = staffed_window.gate.sign_in
    type_in(qtbot, staffed_window, "carol", PASSWORDS["carol"])  # even the right password waits
    qtbot.waitUntil(lambda: "Too many wrong passwords" in view.message.text, timeout=20_000)
    assert "try again in" in view.message.text and showing_sign_in(staffed_window)
    assert staffed.operator is None
    assert audit.entries(staffed, action_prefix="operator.sign_in_throttled")


def _gated_actions(window: MainWindow) -> dict[str, tuple[QAction, Operation]]:
    return {action.objectName() or action.text(): (action, op) for action, op in window.roles._actions.items()}


@pytest.mark.parametrize("role", list(Role), ids=[r.value for r in Role])
def test_each_role_sees_what_it_may_not_do_disabled_with_the_reason(
        qtbot: QtBot, staffed_window: MainWindow, staffed: Store, role: Role) -> None:
    window = staffed_window
    sign_in(qtbot, window, NAME_OF[role])
    window.show_page("devices")
    window.devices.table.selectRow(0)
    settle(qtbot, window.session)
    checked = 0
    for name, (action, operation) in _gated_actions(window).items():
        if roles.allows(role, operation):
            continue
        assert not action.isEnabled(), f"{name} is enabled for {role}"
        action.setEnabled(True)  # what the window does when the selection changes: the role still wins
        assert not action.isEnabled(), f"{name} came back for {role}"
        reason = roles.why_not(staffed, operation)
        assert reason is not None and action.toolTip() == reason and action.statusTip() == reason
        assert f"has the role {role}" in reason
        checked += 1
    for widget, holder, operation in window.roles._widgets:
        allowed = roles.allows(role, operation)
        assert holder.isEnabled() is allowed, f"{widget.objectName()} for {role}"
        if not allowed:
            assert widget.toolTip() == roles.why_not(staffed, operation)
            checked += 1
    expected = {Role.PAIRING: True, Role.OFFICER: True, Role.ADMIN: False}[role]
    assert (checked > 0) is expected
    if role is Role.PAIRING:  # what a bedside nurse can still do: pair, cancel, look
        assert window.pair_action.isEnabled() and window.pairing.form.pair_button.isEnabled()
        assert not window.issue_action.isEnabled() and not window.revoke_action.isEnabled()
        assert not window.pairing.form.console_key.isEnabled()
    if role is Role.OFFICER:
        assert window.revoke_action.isEnabled() and window.audit.verify.isEnabled()
        assert not window.settings_page.save.isEnabled() and not window.issue_action.isEnabled()
    window.devices._context_menu(window.devices.table.visualRect(window.devices.model.index(0, 0)).center())
    menu = window.devices.context_menu
    assert menu is not None
    entries = {a.objectName(): a for a in menu.actions() if a.objectName()}
    assert entries["menuRenew"].isEnabled() is roles.allows(role, Operation.DEVICE_ISSUE)
    assert entries["revoke-lost"].isEnabled() is roles.allows(role, Operation.REVOKE)
    if not roles.allows(role, Operation.REVOKE):
        assert entries["revoke-lost"].toolTip() == roles.why_not(staffed, Operation.REVOKE)
    menu.close()
    details = window.show_details(window.devices.selected_device_ids()[0])  # type: ignore[index]
    assert isinstance(details, DeviceDetailsDialog)
    assert details.revoke.isEnabled() is roles.allows(role, Operation.REVOKE)
    assert details.renew.isEnabled() is roles.allows(role, Operation.DEVICE_ISSUE)
    details.close()


def test_switching_operators_gives_the_next_role_its_own_actions(qtbot: QtBot, staffed_window: MainWindow) -> None:
    window = staffed_window
    sign_in(qtbot, window, "bob")
    assert not window.issue_action.isEnabled()
    window.session.sign_out()
    sign_in(qtbot, window, "alice")
    assert window.issue_action.isEnabled() and window.setup_action.isEnabled() is False  # the CA exists already
    assert window.issue_action.toolTip().startswith("Issue certificate")


def test_a_pairing_operator_pairs_without_any_ca_passphrase(qtbot: QtBot, staffed_window: MainWindow,
                                                             staffed_session: Session, staffed: Store) -> None:
    window = staffed_window
    sign_in(qtbot, window, "bob")
    bob = staffed.operator
    assert bob is not None and bob.signer is not None
    window.pair_action.trigger()
    page = window.pairing
    page.form.device_id.setText("ZM-601")
    qtbot.keyClick(page.form.device_id, Qt.Key.Key_Return)  # type: ignore[no-untyped-call]
    qtbot.waitUntil(lambda: page.ticket is not None, timeout=20_000)
    assert not [w for w in QApplication.topLevelWidgets() if isinstance(w, UnlockDialog) and w.isVisible()]
    assert staffed_session.locked  # nobody opened the CA key
    prepared = audit.entries(staffed, action_prefix="pairing.prepared")[-1]
    assert prepared.details["signer"] == bob.signer.serial  # the QR names bob's own signer
    assert page.ticket.key_mode is KeyMode.DEVICE_KEY  # type: ignore[union-attr]
    settle(qtbot, staffed_session)


def test_a_refusal_from_the_core_shows_the_core_message(qtbot: QtBot, staffed_window: MainWindow) -> None:
    window = staffed_window
    sign_in(qtbot, window, "bob")
    window.revocation.regenerate_crl()  # not through the disabled button: the core refuses all the same
    dialog = find_window(qtbot, UnlockDialog)
    dialog.passphrase.setText("any passphrase")
    dialog.unlock_button.click()
    qtbot.waitUntil(lambda: "may not unlock the CA key" in dialog.message.text, timeout=20_000)
    dialog.close()


def test_the_idle_lock_signs_the_operator_out_and_takes_the_code_off_the_screen(
        qtbot: QtBot, staffed_window: MainWindow, staffed_session: Session, staffed: Store) -> None:
    window = staffed_window
    sign_in(qtbot, window, "bob")
    page = window.pairing
    window.show_page("pairing")
    page.form.device_id.setText("ZM-602")
    qtbot.keyClick(page.form.device_id, Qt.Key.Key_Return)  # type: ignore[no-untyped-call]
    qtbot.waitUntil(lambda: page.ticket is not None, timeout=20_000)
    pairing_id = page.ticket.pairing_id  # type: ignore[union-attr]
    details = window.show_details("ZM-001")  # a dialog left open goes too
    assert staffed_session.idle.armed
    staffed_session.set_idle_timeout(150)
    with qtbot.waitSignal(staffed_session.operator_changed, timeout=5_000):
        pass  # nobody touches the console...
    assert showing_sign_in(window) and staffed.operator is None
    assert page.ticket is None and not page.ticket_view.qr.showing
    assert not details.isVisible()
    status = tickets.status_of(staffed, pairing_id)
    assert status is not None and status.state is PairingState.CANCELLED
    assert [e.subject for e in audit.entries(staffed, action_prefix="operator.signed_out")] == ["bob"]
    assert not staffed_session.idle.armed  # nothing left to lock until someone signs in
    settle(qtbot, staffed_session)
    assert audit.entries(staffed, action_prefix="operator.refused") == []


def test_a_store_without_operators_shows_no_sign_in(window: MainWindow, session: Session) -> None:
    assert not session.has_operators and not showing_sign_in(window)
    assert window.gate.who.isHidden() and not window.gate.sign_out_action.isEnabled()
    assert window.issue_action.isEnabled() and window.issue_action.toolTip().startswith("Issue certificate")


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_the_sign_in_screen_and_a_pairing_operators_pages_fit(qtbot: QtBot, staffed_window: MainWindow,
                                                               size: tuple[int, int]) -> None:
    window = staffed_window
    sized(qtbot, window, size)
    check(window, size, "the sign-in screen")
    type_in(qtbot, window, "bob", "not bob's password")
    qtbot.waitUntil(lambda: window.gate.sign_in.message.isVisible(), timeout=20_000)
    qtbot.wait(10)
    check(window, size, "the sign-in screen after a wrong password")
    window.gate.sign_in.password.clear()
    qtbot.keyClicks(window.gate.sign_in.password, PASSWORDS["bob"])  # type: ignore[no-untyped-call]
    qtbot.keyClick(window.gate.sign_in.password, Qt.Key.Key_Return)  # type: ignore[no-untyped-call]
    qtbot.waitUntil(lambda: not showing_sign_in(window), timeout=20_000)
    for page in ("dashboard", "devices", "pairing", "settings"):
        window.show_page(page)
        settle(qtbot, window.session)
        sized(qtbot, window, size)
        check(window, size, f"{page}, signed in as a pairing operator")


def test_the_wizard_creates_the_first_admin_and_signs_them_in(qtbot: QtBot, empty_session: Session,
                                                               view_state: ViewState, store: Store) -> None:
    window = make_window(qtbot, empty_session, view_state)
    wizard = find_window(qtbot, FirstRunWizard)
    wizard.next()
    page = wizard.subject_page
    page.key_type.setCurrentIndex(page.key_type.findData("ec-p384"))
    for key, value in (("country", "US"), ("org", "Hospital"), ("cn", "Z-Monitor-CA")):
        page.fields[key].setText(value)
    page.dns_domain.setText("devices.stmarys.example")
    wizard.next()
    words = wizard.passphrase_page
    words.first.setText(PASSPHRASE)
    words.second.setText(PASSPHRASE)
    assert words.isComplete() and not words.admin.isChecked()  # optional: a single-person site skips it
    words.admin.setChecked(True)
    assert not words.isComplete()
    words.admin.name.setText("Alice Smith")
    words.admin.password.setText(PASSWORDS["alice"])
    assert "is not allowed" in words.admin.hint.text() and not words.isComplete()  # the core's rule, inline
    words.admin.name.setText("alice")
    words.admin.again.setText(PASSWORDS["alice"] + "x")
    assert "differ" in words.admin.hint.text() and not words.isComplete()
    words.admin.again.setText(PASSWORDS["alice"])
    assert words.isComplete()
    wizard.next()
    qtbot.waitUntil(lambda: wizard.work_page.isComplete(), timeout=30_000)
    assert "signed in as alice" in wizard.work_page.summary.text()
    wizard.button(QWizard.WizardButton.FinishButton).click()
    assert empty_session.has_operators and store.operator is not None and store.operator.name == "alice"
    assert [(o.name, o.role) for o in operators.list_operators(store)] == [("alice", Role.ADMIN)]
    assert window.gate.who.isVisible() and "alice" in window.gate.who.text() and not showing_sign_in(window)
    assert window.issue_action.isEnabled()
    window.session.sign_out()
    assert showing_sign_in(window)
    window.close()


def test_an_admin_adds_disables_and_sets_passwords_of_operators(qtbot: QtBot, staffed_window: MainWindow,
                                                                 staffed: Store, unlocked: UnlockedCa) -> None:
    window = staffed_window
    sign_in(qtbot, window, "alice")
    window.session.set_unlocked(unlocked)  # as after the passphrase: adding issues the new operator's signer
    dialog = window.gate.open_operators()
    assert [o.name for o in dialog.model.rows] == ["alice", "bob", "carol"]
    form = dialog.add()
    form.name.setText("dave")
    form.role.setCurrentIndex(form.role.findData("officer"))
    form.passwords.first.setText("dave's long password")
    form.passwords.second.setText("dave's long passwordx")
    form.ok_button.click()
    assert "differ" in form.message.text and form.isVisible()
    form.passwords.second.setText("dave's long password")
    form.ok_button.click()
    qtbot.waitUntil(lambda: len(dialog.model.rows) == 4, timeout=20_000)
    assert "dave added as officer" in dialog.message.text
    dialog.table.selectRow(1)  # bob
    box = dialog.disable()
    assert box is not None
    box.button(QMessageBox.StandardButton.Cancel).click()
    assert not operators.info(staffed, "bob").disabled
    box = dialog.disable()
    assert box is not None
    next(b for b in box.buttons() if b.text() == "&Disable").click()
    qtbot.waitUntil(lambda: operators.info(staffed, "bob").disabled, timeout=20_000)
    settle(qtbot, window.session)
    dialog.table.selectRow(1)
    assert not dialog.disable_button.isEnabled()  # already disabled
    dialog.table.selectRow(2)  # carol
    reset = dialog.set_password()
    assert reset is not None and reset.name.text() == "carol" and reset.name.isReadOnly()
    reset.passwords.first.setText("carol's new long password")
    reset.passwords.second.setText("carol's new long password")
    reset.ok_button.click()
    qtbot.waitUntil(lambda: "carol has a new password" in dialog.message.text, timeout=20_000)
    dialog.close()
    window.session.sign_out()
    with pytest.raises(WrongPassphraseError):
        operators.sign_in(staffed, "bob", PASSWORDS["bob"], sleep=lambda _s: None)
    assert operators.sign_in(staffed, "carol", "carol's new long password").role is Role.OFFICER


def test_an_officer_revokes_without_any_ca_passphrase_and_sees_crl_pending(
        qtbot: QtBot, staffed_window: MainWindow, staffed_session: Session, staffed: Store) -> None:
    window = staffed_window
    sign_in(qtbot, window, "carol")
    crl_before = revocation.latest_crl(staffed)
    dialog = window.revoke_devices(["ZM-003"])
    assert dialog is not None
    dialog.buttons_by_reason["lost"].click()
    dialog.revoke_button.click()
    qtbot.waitUntil(lambda: "CRL pending" in window.statusBar().currentMessage(), timeout=20_000)
    assert not [w for w in QApplication.topLevelWidgets() if isinstance(w, UnlockDialog) and w.isVisible()]
    assert staffed_session.locked and revocation.latest_crl(staffed) == crl_before  # nothing signed here
    assert inventory.device(staffed, staffed_session.settings, "ZM-003")[0].status is Status.REVOKED
    window.show_page("devices")
    window.devices.model.set_filter(search="ZM-003")
    qtbot.waitUntil(lambda: window.devices.model.rowCount() == 1 and not window.devices.model.loading,
                    timeout=20_000)
    model = window.devices.model
    status = next(i for i, c in enumerate(model.columns) if c.status is not None)
    assert model.index(0, status).data() == "Revoked, CRL pending"
    settle(qtbot, staffed_session)

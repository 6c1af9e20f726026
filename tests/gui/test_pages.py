"""The revocation, audit, settings and dashboard pages, through their buttons."""

from __future__ import annotations

import csv
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from PySide6.QtWidgets import QMessageBox, QSpinBox
from pytestqt.qtbot import QtBot
from sqlalchemy import update

from tests.conftest import build_csr
from tests.gui.conftest import FakeFiles, find_window, settle, unlock_with
from tests.support import storestate
from zmconsole.core import audit, issuance, revocation, schema, settings
from zmconsole.core.ca import UnlockedCa
from zmconsole.core.store import Store
from zmconsole.gui.errors import ErrorReporter
from zmconsole.gui.main_window import MainWindow
from zmconsole.gui.session import Session
from zmconsole.gui.views.settings import setting_groups
from zmconsole.gui.widgets import Kind


def test_publish_the_crl(qtbot: QtBot, devices: list[str], window: MainWindow, session: Session, store: Store,
                         files: FakeFiles, tmp_path: Path) -> None:
    revocation.revoke(store, "ZM-004", "compromised")
    settle(qtbot, session)
    page = window.revocation
    with qtbot.waitSignal(session.errors.shown) as shown:
        page.publish.click()  # no folder yet: said before asking for the passphrase
    assert "No CRL publish folder is set" in shown.args[1]
    window.show_page("settings")
    files.folders = [tmp_path / "www"]
    for button in window.settings_page.findChildren(type(window.settings_page.save)):
        if button.text() == "Browse…":
            button.click()
    window.settings_page.save.click()
    unlock_with(qtbot)  # changing a setting needs the CA unlocked; publishing then signs without asking again
    qtbot.waitUntil(lambda: session.settings.crl_publish_dir == str(tmp_path / "www"))
    page.publish.click()
    qtbot.waitUntil(lambda: "published" in page.message.text, timeout=20_000)
    settle(qtbot, session)
    assert page.message.kind is Kind.OK and "published" in page.message.text
    crl = x509.load_der_x509_crl((tmp_path / "www" / "crl.der").read_bytes())
    assert len(list(crl)) == 1 and page.entries.text() == "1" and page.number.text() == "1"
    assert x509.load_pem_x509_crl((tmp_path / "www" / "crl.pem").read_bytes()) == crl
    assert audit.entries(store, action_prefix="crl.published")[0].details["number"] == 1

    files.save_paths = [tmp_path / "copy.der"]
    page.save_as.click()
    assert (tmp_path / "copy.der").read_bytes() == (tmp_path / "www" / "crl.der").read_bytes()


def test_regenerate_while_unlocked(qtbot: QtBot, window: MainWindow, session: Session, unlocked: UnlockedCa) -> None:
    session.set_unlocked(unlocked)
    window.revocation.regenerate.click()
    qtbot.waitUntil(lambda: "CRL 1 signed with 0 entries" in window.revocation.message.text, timeout=10_000)
    settle(qtbot, session)
    assert window.revocation.number.text() == "1"


def test_audit_verify_and_export(qtbot: QtBot, devices: list[str], window: MainWindow, session: Session,
                                 store: Store, files: FakeFiles, tmp_path: Path) -> None:
    settle(qtbot, session)
    page = window.audit
    page.verify.click()
    qtbot.waitUntil(lambda: page.report is not None, timeout=10_000)
    assert page.result.kind is Kind.OK and "13 entries" in page.result.text

    with store.write() as conn:  # someone edits an entry behind the console's back
        conn.execute(update(schema.audit_log).where(schema.audit_log.c.seq == 5).values(subject="ZM-999"))
    page.report = None
    page.verify.click()
    qtbot.waitUntil(lambda: page.report is not None, timeout=10_000)
    assert page.result.kind is Kind.ERROR and "entry 5" in page.result.text and "changed" in page.result.text

    files.save_paths = [tmp_path / "audit.csv"]
    page.export.click()
    qtbot.waitUntil(lambda: (tmp_path / "audit.csv").exists() and "written" in page.result.text, timeout=10_000)
    rows = list(csv.reader((tmp_path / "audit.csv").open(encoding="utf-8")))
    assert rows[0][:5] == ["seq", "time_utc", "os_user", "action", "subject"] and len(rows) == 14
    settle(qtbot, session)
    with qtbot.waitSignal(page.model.loaded):
        page.action.setCurrentIndex(page.action.findData("audit."))
    assert page.model.total == 1  # the export itself was audited


def test_settings_saved_and_refused(qtbot: QtBot, window: MainWindow, session: Session, store: Store) -> None:
    page = window.settings_page
    assert page.location.isReadOnly() and page.location.text() == str(session.home)
    page.fields["idle_lock_minutes"].setValue(3)  # type: ignore[union-attr]
    page.fields["crl_url"].setText("http://pki.hospital.example/zm.crl")  # type: ignore[union-attr]
    page.save.click()
    unlock_with(qtbot)  # the CA was locked: changing settings asks for the passphrase
    qtbot.waitUntil(lambda: settings.load(store).idle_lock_minutes == 3)
    assert session.idle.interval_ms == 3 * 60_000
    assert audit.entries(store, action_prefix="settings.")[0].details == {
        "idle-lock-minutes": {"old": 10, "new": 3},
        "crl-url": {"old": "", "new": "http://pki.hospital.example/zm.crl"}}

    page.fields["threshold_soon"].setValue(120)  # type: ignore[union-attr]
    with qtbot.waitSignal(session.errors.shown) as shown:
        page.save.click()
    assert "thresholds must fall from warn to urgent" in shown.args[1]
    assert page.message.kind is Kind.ERROR
    assert settings.load(store).threshold_soon == 30  # nothing saved
    page.fields["provisioning_url"].setText("ftp://x")  # type: ignore[union-attr]
    page.fields["threshold_soon"].setValue(30)  # type: ignore[union-attr]
    with qtbot.waitSignal(session.errors.shown) as shown:
        page.save.click()
    assert "provisioning-url must be an https URL" in shown.args[1]
    page.revert.click()
    assert page.fields["provisioning_url"].text() == settings.Settings().provisioning_url  # type: ignore[union-attr]


def test_the_settings_page_is_the_core_table(qtbot: QtBot, window: MainWindow, session: Session, store: Store,
                                             home: Path) -> None:
    """Every setting of the core's table, within its bounds; a bad value refused with the reason, nothing saved."""
    page = window.settings_page
    assert list(page.fields) == [item.name for _, rows in setting_groups() for item in rows]
    assert sorted(page.fields) == sorted(item.name for item in settings.FIELDS)
    ttl = page.fields["pairing_ttl_seconds"]
    assert isinstance(ttl, QSpinBox) and (ttl.minimum(), ttl.maximum()) == (60, 24 * 3600)
    assert ttl.value() == 1800 and "24 hours" in ttl.toolTip()
    hours = page.fields["crl_next_update_hours"]
    assert isinstance(hours, QSpinBox) and hours.maximum() == 8760
    before = storestate.snapshot(home)
    for name, value, words in (("crl_url", "http://a b/crl", "not a valid URL"),
                               ("device_dns_domain", "bad domain", "not a valid DNS name"),
                               ("device_dns_domain", "", "device-dns-domain is empty")):
        page.revert.click()
        page.fields[name].setText(value)  # type: ignore[union-attr]
        with qtbot.waitSignal(session.errors.shown) as shown:
            page.save.click()
        assert words in shown.args[1] and words in page.message.text
        assert storestate.snapshot(home) == before
    page.revert.click()
    ttl.setValue(7200)
    page.save.click()
    unlock_with(qtbot)  # a bad value is refused before the passphrase is asked; a good one needs it
    qtbot.waitUntil(lambda: settings.load(store).pairing_ttl_seconds == 7200 == session.settings.pairing_ttl_seconds)


def test_dashboard_report_exports(qtbot: QtBot, devices: list[str], window: MainWindow, session: Session,
                                  files: FakeFiles, tmp_path: Path) -> None:
    settle(qtbot, session)
    page = window.dashboard
    assert page.chart.accessibleDescription().startswith("12 certificates expire in the next 12 months")
    files.save_paths = [tmp_path / "report.csv", tmp_path / "report.pdf"]
    page.export_csv.click()
    page.export_pdf.click()
    qtbot.waitUntil(lambda: (tmp_path / "report.pdf").exists(), timeout=20_000)
    settle(qtbot, session)
    rows = list(csv.reader((tmp_path / "report.csv").open(encoding="utf-8")))
    assert rows[0][:4] == ["kind", "name", "ward", "location"]  # one table; the counts are in the PDF
    pdf = (tmp_path / "report.pdf").read_bytes()
    assert pdf.startswith(b"%PDF-") and len(pdf) > 5_000 and b"Certificate expiry report" in pdf


def test_error_dialogs(qtbot: QtBot, window: MainWindow, session: Session, home: Path) -> None:
    reporter: ErrorReporter = session.errors
    try:
        {}["missing"]
    except KeyError as error:
        bug = error
    with qtbot.waitSignal(reporter.shown) as shown:
        reporter.show(window, bug)
    title, text = shown.args
    assert title == "Internal error" and "This is a bug" in text and "KeyError" not in text
    log = (home / "zmconsole-errors.log").read_text()
    assert "KeyError: 'missing'" in log and "Traceback" in log
    box = find_window(qtbot, QMessageBox, lambda b: b.objectName() == "errorDialog")
    assert box.text() == text


def test_dashboard_keeps_devices_that_renew_themselves_apart(qtbot: QtBot, store: Store, unlocked: UnlockedCa,
                                                             window: MainWindow, session: Session) -> None:
    """Seed §7: a paired device 6.5 days from expiry renews itself; one issued by the console needs action."""
    issued_at = datetime.now(UTC) - timedelta(days=365 - 6.5)
    for device_id, made_by in (("ZM-201", "paired"), ("ZM-202", None)):
        issuance.issue_device(store, unlocked, device_id, csr=build_csr(device_id), now=issued_at, made_by=made_by)
    page = window.dashboard
    page.refresh()
    settle(qtbot, session)
    assert [page.items.item(row).name for row in range(page.items.rowCount())] == ["ZM-202"]
    assert [page.renewing.item(row).name for row in range(page.renewing.rowCount())] == ["ZM-201"]

"""Every page, and the Pair page in every state it can show, at three screen sizes: nothing clipped, nothing
scrolling sideways, the QR code large enough to scan from a metre (see :mod:`tests.gui.layout_check`)."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from tests.gui.conftest import settle
from tests.gui.layout_check import layout_problems
from tests.gui.test_pairing import Device, PinnedClock, read_qr, shown_code, wrong
from zmconsole.core.ca import UnlockedCa
from zmconsole.core.pairing.answers import PairingRefused, enroll
from zmconsole.core.store import Store
from zmconsole.gui.main_window import MainWindow
from zmconsole.gui.session import Session

SIZES = [(1024, 700), (1366, 768), (1920, 1080)]
MIN_QR = 300  # pixels: scannable from a metre at a cart
PAGES = ["dashboard", "devices", "pairing", "revocation", "audit", "settings"]


def sized(qtbot: QtBot, window: MainWindow, size: tuple[int, int]) -> None:
    qtbot.wait(20)
    window.layout().activate()  # the window's minimum is the page on screen's now, not the page before it
    window.resize(*size)
    qtbot.wait(20)


def check(window: MainWindow, size: tuple[int, int], what: str) -> None:
    problems = layout_problems(window)
    if (window.width(), window.height()) != size:
        needs = window.minimumSizeHint()
        problems.insert(0, f"the window is {window.width()}×{window.height()} "
                           f"(it needs {needs.width()}×{needs.height()})")
    assert not problems, f"{what} at {size[0]}×{size[1]}:\n" + "\n".join(problems)


KNOWN: dict[tuple[str, int], pytest.MarkDecorator] = {}  # (page, width) -> a mark, for a known defect


def _page_cases() -> list[object]:
    cases: list[object] = []
    for page in PAGES:
        for size in SIZES:
            known = KNOWN.get((page, size[0]))
            marks = [known] if known is not None else []
            cases.append(pytest.param(page, size, marks=marks, id=f"{page}-{size[0]}x{size[1]}"))
    return cases


@pytest.mark.parametrize(("page", "size"), _page_cases())
def test_every_page_fits(qtbot: QtBot, window: MainWindow, session: Session, devices: list[str], page: str,
                         size: tuple[int, int]) -> None:
    window.show_page(page)
    settle(qtbot, session)
    sized(qtbot, window, size)
    check(window, size, page)


# --- the Pair page in each of its states ----------------------------------------------------------------------


def _start(qtbot: QtBot, window: MainWindow, device_id: str, *, console_key: bool = False) -> None:
    page = window.pairing
    window.show_page("pairing")
    page.form.console_key.setChecked(console_key)
    page.form.device_id.setText(device_id)
    qtbot.keyClick(page.form.device_id, Qt.Key.Key_Return)  # type: ignore[no-untyped-call]
    qtbot.waitUntil(lambda: page.ticket is not None, timeout=20_000)


def _status(qtbot: QtBot, window: MainWindow, starts: str) -> None:
    qtbot.waitUntil(lambda: window.pairing.ticket_view.status_label.text().startswith(starts), timeout=20_000)


def waiting(qtbot: QtBot, window: MainWindow, store: Store, ca: UnlockedCa, clock: PinnedClock) -> None:
    _start(qtbot, window, "ZM-301")


def wrong_code(qtbot: QtBot, window: MainWindow, store: Store, ca: UnlockedCa, clock: PinnedClock) -> None:
    _start(qtbot, window, "ZM-302")
    guesser = Device(read_qr(window.pairing.ticket_view.qr), wrong(shown_code(window.pairing)))
    with pytest.raises(PairingRefused):
        enroll(store, ca, guesser.enrollment())
    qtbot.waitUntil(lambda: "wrong pairing code" in window.pairing.ticket_view.status_label.text(), timeout=20_000)


def paired(qtbot: QtBot, window: MainWindow, store: Store, ca: UnlockedCa, clock: PinnedClock) -> None:
    _start(qtbot, window, "ZM-303")
    enroll(store, ca, Device(read_qr(window.pairing.ticket_view.qr), shown_code(window.pairing)).enrollment())
    _status(qtbot, window, "Paired")


def failed(qtbot: QtBot, window: MainWindow, store: Store, ca: UnlockedCa, clock: PinnedClock) -> None:
    _start(qtbot, window, "ZM-304")
    guesser = Device(read_qr(window.pairing.ticket_view.qr), wrong(shown_code(window.pairing)))
    for _ in range(5):
        with pytest.raises(PairingRefused):
            enroll(store, ca, guesser.enrollment())
    _status(qtbot, window, "Failed")


def cancelled(qtbot: QtBot, window: MainWindow, store: Store, ca: UnlockedCa, clock: PinnedClock) -> None:
    _start(qtbot, window, "ZM-305")
    window.pairing.ticket_view.cancel_button.click()
    qtbot.waitUntil(lambda: window.pairing.ticket is None, timeout=20_000)


def expired(qtbot: QtBot, window: MainWindow, store: Store, ca: UnlockedCa, clock: PinnedClock) -> None:
    _start(qtbot, window, "ZM-306")
    clock.moment += timedelta(hours=1)
    qtbot.waitUntil(lambda: window.pairing.ticket is None, timeout=20_000)


def console_key(qtbot: QtBot, window: MainWindow, store: Store, ca: UnlockedCa, clock: PinnedClock) -> None:
    _start(qtbot, window, "ZM-307", console_key=True)


def qr_saved(qtbot: QtBot, window: MainWindow, store: Store, ca: UnlockedCa, clock: PinnedClock) -> None:
    _start(qtbot, window, "ZM-309")
    folder = Path(tempfile.mkdtemp(prefix="zmconsole-layout-")) / "a-long-folder-name-for-the-qr-codes"
    folder.mkdir()
    window.session.files.save_paths.append(folder / "qr.png")  # type: ignore[attr-defined]  # FakeFiles
    window.pairing.ticket_view.save_qr_button.click()
    assert "QR code saved to" in window.pairing.ticket_view.message.text  # the long path wraps, nothing cut


State = Callable[[QtBot, MainWindow, Store, UnlockedCa, PinnedClock], None]
STATES: list[State] = [waiting, wrong_code, paired, failed, cancelled, expired, console_key, qr_saved]


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
@pytest.mark.parametrize("state", STATES, ids=[s.__name__ for s in STATES])
def test_every_pairing_state_fits(qtbot: QtBot, window: MainWindow, session: Session, store: Store,
                                  unlocked: UnlockedCa, state: State, size: tuple[int, int]) -> None:
    clock = PinnedClock()
    window.pairing.clock = clock
    session.set_unlocked(unlocked)
    window.show_page("pairing")
    sized(qtbot, window, size)
    state(qtbot, window, store, unlocked, clock)
    settle(qtbot, session)
    qtbot.wait(10)
    check(window, size, f"Pair page, {state.__name__}")
    qr = window.pairing.ticket_view.qr
    assert qr.isVisible() and min(qr.width(), qr.height()) >= MIN_QR, f"QR area {qr.width()}×{qr.height()}"

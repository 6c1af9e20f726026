"""What to do, in the console's words (issue 7 item 6): ErrorReporter renders every Hint kind as a menu path or a
page, never a command-line flag, and each menu path it names is a real menu entry of the window."""

from __future__ import annotations

import pytest

from zmconsole.core.errors import HTTP_LISTENER, HTTPS_LISTENER, Hint, HintKind, NotFoundError
from zmconsole.gui.main_window import MainWindow

GUI_WORDS = [
    (Hint(HintKind.CREATE_CA), "Create or import one with CA > Set up the CA…."),
    (Hint(HintKind.CHOOSE_HOME),
     "To use another data directory, quit the console and start it again with ZMCONSOLE_HOME set to that directory."),
    (Hint(HintKind.FIND_DEVICE), "Check the ID on the Devices page."),
    (Hint(HintKind.ISSUE_CERTIFICATE, "ZM-001"), "Issue one with Devices > Issue certificate…."),
    (Hint(HintKind.LISTEN_ADDRESS, HTTPS_LISTENER), "stop it and press Start again"),
    (Hint(HintKind.LISTEN_ADDRESS, HTTP_LISTENER), "stop it and press Start again"),
    (Hint(HintKind.REPLACE_FILE), "To replace it, save again and confirm when asked."),
    (Hint(HintKind.DELIVER_HELD_KEY, "ZM-001"), "Deliver it with Devices > Details… > Save PKCS#12"),
    (Hint(HintKind.EXPORT_CERTIFICATE, "ZM-001"), "Deliver the certificate with Devices > Details… > Save certificate"),
    (Hint(HintKind.SIGN_IN), "Sign in as an operator whose role allows it."),
]
MENU_PATHS = {HintKind.CREATE_CA: ("CA", "Set up the CA…"),
              HintKind.ISSUE_CERTIFICATE: ("Devices", "Issue certificate…"),
              HintKind.DELIVER_HELD_KEY: ("Devices", "Details…"),
              HintKind.EXPORT_CERTIFICATE: ("Devices", "Details…")}


def _menu_entries(window: MainWindow) -> set[tuple[str, str]]:
    entries = set()
    for top in window.menuBar().actions():
        menu = top.menu()
        if menu is None:
            continue
        for action in menu.actions():
            entries.add((top.text().replace("&", ""), action.text().replace("&", "")))
    return entries


def test_every_hint_kind_has_console_words() -> None:
    assert {hint.kind for hint, _words in GUI_WORDS} == set(HintKind)


@pytest.mark.parametrize(("hint", "words"), GUI_WORDS)
def test_a_hint_is_said_as_a_menu_path_or_a_page(hint: Hint, words: str, window: MainWindow) -> None:
    said = window.session.errors.hint_words(hint)
    assert words in said
    assert "--" not in said and "`zmconsole ca" not in said and "`zmconsole device" not in said
    if hint.kind in MENU_PATHS:
        assert MENU_PATHS[hint.kind] in _menu_entries(window)
        assert " > ".join(MENU_PATHS[hint.kind]) in said


def test_the_dialog_says_the_core_message_then_the_hint(window: MainWindow) -> None:
    error = NotFoundError("No device 'ZM-404' is known.", hint=Hint(HintKind.FIND_DEVICE))
    assert window.session.errors.message(error) == "No device 'ZM-404' is known. Check the ID on the Devices page."

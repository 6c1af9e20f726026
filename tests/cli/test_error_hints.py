"""What to do, in command-line words (issue 7 item 6): a core error carries its fix as a Hint, and
zmconsole.cli.errors renders every kind as a command or a flag; the core's own message names none."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support import cli
from zmconsole.cli import errors as cli_errors
from zmconsole.core import inventory, paths, settings
from zmconsole.core.errors import HTTP_LISTENER, HTTPS_LISTENER, Hint, HintKind, NotFoundError, StoreError, ZmError
from zmconsole.core.store import Store

CLI_WORDS = [
    (Hint(HintKind.CREATE_CA), "Create one with `zmconsole ca init` or import one with `zmconsole ca import`."),
    (Hint(HintKind.CHOOSE_HOME), "To use another data directory, give --home DIR (or set ZMCONSOLE_HOME)."),
    (Hint(HintKind.FIND_DEVICE), "Check the ID with `zmconsole device list`."),
    (Hint(HintKind.ISSUE_CERTIFICATE, "ZM-001"), "Issue one with `zmconsole device issue ZM-001`."),
    (Hint(HintKind.LISTEN_ADDRESS, HTTPS_LISTENER),
     "Choose another address with --listen, or stop the program using it."),
    (Hint(HintKind.LISTEN_ADDRESS, HTTP_LISTENER),
     "Choose another address with --http-listen, or stop the program using it."),
    (Hint(HintKind.REPLACE_FILE), "To replace it, add --force."),
    (Hint(HintKind.DELIVER_HELD_KEY, "ZM-001"),
     "Deliver it with `zmconsole device export ZM-001 --format p12 --out FILE`."),
    (Hint(HintKind.EXPORT_CERTIFICATE, "ZM-001"),
     "Deliver the certificate with `zmconsole device export ZM-001 --format pem --out FILE`."),
    (Hint(HintKind.SIGN_IN), "Sign in with `zmconsole --operator NAME COMMAND` (or set ZMCONSOLE_OPERATOR); the "
     "password comes from a prompt, --operator-password-file FILE or ZMCONSOLE_OPERATOR_PASSWORD."),
]


def test_every_hint_kind_has_command_line_words() -> None:
    assert {hint.kind for hint, _words in CLI_WORDS} == set(HintKind)


@pytest.mark.parametrize(("hint", "words"), CLI_WORDS)
def test_a_hint_is_said_as_a_command_or_a_flag(hint: Hint, words: str) -> None:
    assert cli_errors.hint_words(hint) == words
    assert cli_errors.text(ZmError("Something happened.", hint=hint)) == f"Something happened. {words}"


def test_an_error_without_a_hint_is_its_message() -> None:
    assert cli_errors.text(ZmError("The CRL number is already taken: try again.")) == (
        "The CRL number is already taken: try again.")


def test_core_errors_carry_the_fix_as_data_not_as_command_line(store: Store, tmp_path: Path) -> None:
    with pytest.raises(NotFoundError) as unknown:
        inventory.device(store, settings.load(store), "ZM-404")
    assert unknown.value.hint == Hint(HintKind.FIND_DEVICE)
    assert str(unknown.value) == "No device 'ZM-404' is known."
    assert cli_errors.text(unknown.value) == "No device 'ZM-404' is known. Check the ID with `zmconsole device list`."

    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    with pytest.raises(StoreError) as no_home:
        paths.ensure_home(blocker / "home")
    assert no_home.value.hint == Hint(HintKind.CHOOSE_HOME)
    assert "--home" not in str(no_home.value) and "ZMCONSOLE_HOME" not in str(no_home.value)
    assert cli_errors.text(no_home.value).endswith("give --home DIR (or set ZMCONSOLE_HOME).")


def test_the_one_error_line_carries_the_hint(tmp_path: Path) -> None:
    ran = cli.run(tmp_path / "empty-home", "ca", "show")
    cli.assert_clean_error(ran, "There is no platform CA yet. Create one with `zmconsole ca init` or import one "
                                "with `zmconsole ca import`.")

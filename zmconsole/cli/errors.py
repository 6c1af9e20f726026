"""The command line's words for what the core says to do: a :class:`~zmconsole.core.errors.Hint` becomes a
command or a flag here, and only here; the window has its own words (``zmconsole/gui/errors.py``).

:func:`text` is the one line a :class:`~zmconsole.core.errors.ZmError` becomes on stderr: the core's message,
then the hint in command-line words.
"""

from __future__ import annotations

from zmconsole.core.errors import HTTP_LISTENER, HTTPS_LISTENER, Hint, HintKind, ZmError

_LISTEN_OPTIONS = {HTTPS_LISTENER: "--listen", HTTP_LISTENER: "--http-listen"}


def hint_words(hint: Hint) -> str:
    """What to do, as a command or a flag."""
    match hint.kind:
        case HintKind.CREATE_CA:
            return "Create one with `zmconsole ca init` or import one with `zmconsole ca import`."
        case HintKind.CHOOSE_HOME:
            return "To use another data directory, give --home DIR (or set ZMCONSOLE_HOME)."
        case HintKind.FIND_DEVICE:
            return "Check the ID with `zmconsole device list`."
        case HintKind.ISSUE_CERTIFICATE:
            return f"Issue one with `zmconsole device issue {hint.subject or 'ID'}`."
        case HintKind.LISTEN_ADDRESS:
            option = _LISTEN_OPTIONS.get(hint.subject, "--listen or --http-listen")
            return f"Choose another address with {option}, or stop the program using it."
        case HintKind.REPLACE_FILE:
            return "To replace it, add --force."
        case HintKind.DELIVER_HELD_KEY:
            return f"Deliver it with `zmconsole device export {hint.subject or 'ID'} --format p12 --out FILE`."
        case HintKind.EXPORT_CERTIFICATE:
            return (f"Deliver the certificate with `zmconsole device export {hint.subject or 'ID'} --format pem "
                    "--out FILE`.")
        case HintKind.SIGN_IN:
            return ("Sign in with `zmconsole --operator NAME COMMAND` (or set ZMCONSOLE_OPERATOR); the password "
                    "comes from a prompt, --operator-password-file FILE or ZMCONSOLE_OPERATOR_PASSWORD.")


def text(error: ZmError) -> str:
    """The whole message for ``error`` as the command line says it."""
    return str(error) if error.hint is None else f"{error} {hint_words(error.hint)}"

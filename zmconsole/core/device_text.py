"""The free text a device carries: its ward (the certificate's OU) and its location (issue 8 item 11).

Both are typed by people (a CSV, ``--ou``, a form) and end up in certificates, terminals and reports, so
they must be printable text within RFC 5280's upper bounds (Appendix A.1: ``ub-organizational-unit-name``
64, ``ub-locality-name`` 128, counted in characters). A control character (NUL, ESC, a newline), a
formatting character such as a bidirectional override, or an over-long value is refused with the reason,
never shortened or cleaned silently.
"""

from __future__ import annotations

import unicodedata

from zmconsole.core.errors import InputError

MAX_WARD = 64  # RFC 5280 ub-organizational-unit-name
MAX_LOCATION = 128  # RFC 5280 ub-locality-name: the location is kept in the store, but held to the same kind of bound


def _unprintable(text: str) -> list[str]:
    """The code points that are not printable text: every Unicode "other" category (Cc, Cf, Cs, Co, Cn)."""
    return [f"U+{ord(ch):04X}" for ch in text if unicodedata.category(ch).startswith("C")]


def _checked(value: str | None, *, what: str, limit: int, where: str) -> str | None:
    if value is None:
        return None
    text = value.strip()
    if not text:
        return None
    bad = _unprintable(text)
    if bad:
        shown = ", ".join(dict.fromkeys(bad[:5]))
        raise InputError(f"The {what} \"{for_terminal(text[:80])}\"{where} holds control or formatting characters "
                         f"({shown}): use printable text only.")
    if len(text) > limit:
        raise InputError(f"The {what}{where} is {len(text)} characters long: at most {limit} are allowed "
                         f"(RFC 5280), so shorten it.")
    return text


def ward(value: str | None, *, where: str = "") -> str | None:
    """The ward as it will be stored and put in the certificate's OU, or None when empty; refused if bad."""
    return _checked(value, what="ward (certificate OU)", limit=MAX_WARD, where=where)


def location(value: str | None, *, where: str = "") -> str | None:
    """The location as it will be stored, or None when empty; refused if bad."""
    return _checked(value, what="location", limit=MAX_LOCATION, where=where)


def for_terminal(text: str) -> str:
    """``text`` with every control and formatting character escaped (``\\x1b``, ``\\u202e``), so printing a
    value written by an older version, or taken from a CSR, cannot move a terminal's cursor or recolour it."""
    if not _unprintable(text):
        return text
    out = []
    for ch in text:
        if unicodedata.category(ch).startswith("C"):
            code = ord(ch)
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}")
        else:
            out.append(ch)
    return "".join(out)

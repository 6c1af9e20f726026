"""How strong a new CA passphrase is, for the hint shown while it is typed.

The estimate is zxcvbn's (dictionaries, common passwords, names, keyboard patterns, dates, l33t
substitutions): "password1" is a common password, not 9 random characters, so it is Weak. The levels are
the guesses an offline attacker with the encrypted CA key file needs (log10): below 10^8 weak, below 10^10
fair, below 10^12 good, else strong. The hard rule (the minimum length) stays in
:func:`zmconsole.core.ca.check_new_passphrase`; this only helps a person choose better than the minimum.
"""

from __future__ import annotations

from zxcvbn import zxcvbn

#: The shortest CA passphrase accepted (ca.check_new_passphrase); the strength hint starts there.
MIN_PASSPHRASE = 8

_LEVELS = (8.0, 10.0, 12.0)  # log10 of the guesses needed
_CHECKED_CHARACTERS = 100  # zxcvbn's time grows with the length; a longer tail adds nothing to the hint
TOO_SHORT, WEAK, FAIR, GOOD, STRONG = range(5)


def guesses_log10(passphrase: str) -> float:
    """log10 of the guesses zxcvbn estimates an attacker needs."""
    if not passphrase:
        return 0.0
    return float(zxcvbn(passphrase[:_CHECKED_CHARACTERS])["guesses_log10"])


def strength(passphrase: str) -> int:
    """TOO_SHORT (below the minimum, refused), then WEAK, FAIR, GOOD or STRONG."""
    if len(passphrase) < MIN_PASSPHRASE:
        return TOO_SHORT
    guesses = guesses_log10(passphrase)
    return WEAK + sum(guesses >= level for level in _LEVELS)

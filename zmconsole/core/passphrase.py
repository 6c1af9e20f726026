"""How strong a new CA passphrase looks, for the hint shown while it is typed.

A rough estimate, not a guarantee: the bits of a random string drawn from the
character classes used, capped for repetition. The hard rule (the minimum
length) stays in :func:`zmconsole.core.ca.check_new_passphrase`; this only
helps a person choose better than the minimum.
"""

from __future__ import annotations

import math
import string

#: The shortest CA passphrase accepted (ca.check_new_passphrase); the strength hint starts there.
MIN_PASSPHRASE = 8

# Score boundaries in estimated bits: < 40 weak, < 60 fair, < 80 good, else strong.
_LEVELS = (40.0, 60.0, 80.0)
TOO_SHORT, WEAK, FAIR, GOOD, STRONG = range(5)


def estimated_bits(passphrase: str) -> float:
    if not passphrase:
        return 0.0
    pool = 0
    for chars, size in ((string.ascii_lowercase, 26), (string.ascii_uppercase, 26), (string.digits, 10)):
        if any(c in chars for c in passphrase):
            pool += size
    if any(c in string.punctuation or c == " " for c in passphrase):
        pool += 33
    if any(ord(c) > 127 for c in passphrase):
        pool += 100
    distinct = len(set(passphrase))
    # "aaaaaaaaaaaa" is not 12 random characters: count at most twice the distinct characters.
    effective = min(len(passphrase), 2 * distinct)
    return effective * math.log2(max(pool, 2))


def strength(passphrase: str) -> int:
    """TOO_SHORT (below the minimum, refused), then WEAK, FAIR, GOOD or STRONG."""
    if len(passphrase) < MIN_PASSPHRASE:
        return TOO_SHORT
    bits = estimated_bits(passphrase)
    return WEAK + sum(bits >= level for level in _LEVELS)

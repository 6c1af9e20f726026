"""The passphrase strength hint: below the minimum is refused, longer and more varied scores higher."""

from __future__ import annotations

import pytest

from zmconsole.core import passphrase


@pytest.mark.parametrize(("text", "expected"), [
    ("", passphrase.TOO_SHORT),
    ("abc1234", passphrase.TOO_SHORT),
    ("password", passphrase.WEAK),
    ("aaaaaaaaaaaaaaaaaaaa", passphrase.WEAK),
    ("password1", passphrase.WEAK),  # a common password, whatever its length and classes
    ("Hospital2024!", passphrase.FAIR),
    ("Tr0ub4dor&3", passphrase.GOOD),
    ("correct horse battery staple", passphrase.STRONG),
])
def test_strength(text: str, expected: int) -> None:
    assert passphrase.strength(text) == expected


def test_repetition_does_not_count_as_length() -> None:
    assert passphrase.guesses_log10("ab" * 20) < passphrase.guesses_log10("x7Qp!e92Lw")

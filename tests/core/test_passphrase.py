"""The passphrase strength hint: below the minimum is refused, longer and more varied scores higher."""

from __future__ import annotations

import pytest

from zmconsole.core import passphrase


@pytest.mark.parametrize(("text", "expected"), [
    ("", passphrase.TOO_SHORT),
    ("abc1234", passphrase.TOO_SHORT),
    ("password", passphrase.WEAK),
    ("aaaaaaaaaaaaaaaaaaaa", passphrase.WEAK),
    ("Tr0ub4dor&3", passphrase.GOOD),
    ("correct horse battery staple", passphrase.STRONG),
])
def test_strength(text: str, expected: int) -> None:
    assert passphrase.strength(text) == expected


def test_repetition_does_not_count_as_length() -> None:
    assert passphrase.estimated_bits("ab" * 20) < passphrase.estimated_bits("abcdefghij")

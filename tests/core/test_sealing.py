"""Held keys sealed under the CA key (zmconsole.core.sealing): they open only with that CA, for that serial,
unchanged; and the sealed blob never holds the key in the clear."""

from __future__ import annotations

import pytest

from zmconsole.core import keys, sealing
from zmconsole.core.errors import InputError


def test_a_sealed_key_opens_with_its_ca_and_label() -> None:
    ca_key, key = keys.generate("ec-p384"), keys.generate("ec-p256")
    blob = sealing.seal(key, ca_key, label="4F00AA")
    assert keys.plain_pkcs8(key) not in blob
    assert keys.spki(sealing.unseal(blob, ca_key, label="4F00AA")) == keys.spki(key)


@pytest.mark.parametrize("change", ["another CA", "another label", "a changed byte"])
def test_anything_else_is_refused(change: str) -> None:
    ca_key, key = keys.generate("ec-p384"), keys.generate("ec-p256")
    blob, label = sealing.seal(key, ca_key, label="4F00AA"), "4F00AA"
    if change == "another CA":
        ca_key = keys.generate("ec-p384")
    elif change == "another label":
        label = "4F00AB"
    else:
        blob = blob[:-1] + bytes([blob[-1] ^ 1])
    with pytest.raises(InputError, match=f"held key for {label} does not open with this CA"):
        sealing.unseal(blob, ca_key, label=label)

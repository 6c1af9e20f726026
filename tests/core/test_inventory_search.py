"""Device search: a case-insensitive substring over ID, ward, location and serial; wildcards are literal."""

from __future__ import annotations

from tests.conftest import CsrFactory
from zmconsole.core import ca, inventory, issuance, settings
from zmconsole.core.store import Store


def test_search_ignores_case_and_treats_wildcards_literally(store: Store, unlocked: ca.UnlockedCa,
                                                           make_csr: CsrFactory) -> None:
    issuance.issue_device(store, unlocked, "ZM-001", csr=make_csr("ZM-001", ou="ICU"), ward="ICU",
                          location="Room 12_a")
    second = issuance.issue_device(store, unlocked, "ZM-002", csr=make_csr("ZM-002", ou="Cardiology"),
                                   ward="Cardiology", location="Room 100%")
    current = settings.load(store)

    def found(text: str) -> list[str]:
        rows = inventory.list_devices(store, current, search=text)
        assert inventory.count_devices(store, current, search=text) == len(rows)
        return [r.device_id for r in rows]

    assert found("zm-00") == ["ZM-001", "ZM-002"]
    assert found("icu") == ["ZM-001"]
    assert found("cardio") == ["ZM-002"]
    assert found(second.serial[-6:].lower()) == ["ZM-002"]
    assert found("12_a") == ["ZM-001"] and found("2_") == ["ZM-001"] and found("1_") == []
    assert found("100%") == ["ZM-002"] and found("%") == ["ZM-002"]
    assert found("nothing") == []

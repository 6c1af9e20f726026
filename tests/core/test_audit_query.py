"""Audit entries filtered and paged in the database, for the console's audit table."""

from __future__ import annotations

from zmconsole.core import audit
from zmconsole.core.store import Store


def test_search_offset_and_count(store: Store) -> None:
    for number in range(1, 8):
        audit.record(store, "cert.issued" if number % 2 else "settings.changed", f"ZM-00{number}",
                     {"note": "odd" if number % 2 else "even"})
    assert audit.count(store) == 7
    assert audit.count(store, action_prefix="cert.") == 4
    assert audit.count(store, search="zm-003") == 1
    assert audit.count(store, search="even") == 3
    page = audit.entries(store, limit=3, offset=2)
    assert [e.seq for e in page] == [5, 4, 3]
    assert [e.subject for e in audit.entries(store, search="odd", limit=2, offset=1)] == ["ZM-005", "ZM-003"]
    # A "_" or "%" in a prefix is literal, not a wildcard.
    assert audit.count(store, action_prefix="cert_") == 0

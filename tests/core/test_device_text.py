"""Ward (certificate OU) and location are printable text within RFC 5280's bounds (issue 8 item 11), refused
with a clear message and an unchanged store on every path: the core, the CSV import, ``--ou``/``--location``,
and a CSR's own OU; ``device list`` escapes control characters it finds in older stores."""

from __future__ import annotations

from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.x509.oid import NameOID

from tests.conftest import CsrFactory
from tests.support import referees, storestate
from zmconsole.core import bulk, ca, device_text, issuance
from zmconsole.core.errors import InputError
from zmconsole.core.store import Store

BAD_WARDS = {
    "NUL": "ICU\x00",
    "ESC": "\x1b[31mICU",
    "newline": "ICU\nWard 2",
    "tab": "ICU\tA",
    "bidi override": "ICU\u202e",
    "65 characters": "W" * 65,
    "100 characters": "W" * 100,
}


@pytest.mark.parametrize("ward", list(BAD_WARDS.values()), ids=list(BAD_WARDS))
def test_a_bad_ward_is_refused_by_the_core(store: Store, home: Path, unlocked: ca.UnlockedCa, ward: str) -> None:
    before, actions = storestate.snapshot(home), storestate.audit_actions(home)
    with pytest.raises(InputError, match=r"ward \(certificate OU\)") as raised:
        issuance.issue_device(store, unlocked, "ZM-001", generate="ec-p256", ward=ward)
    message = str(raised.value)
    assert "\x1b" not in message and "\x00" not in message and "\n" not in message
    assert "printable text" in message or "at most 64" in message
    assert storestate.snapshot(home) == before and storestate.audit_actions(home) == actions


@pytest.mark.parametrize("location", ["Bed\x1b4", "Bed\n4", "L" * 129])
def test_a_bad_location_is_refused_by_the_core(store: Store, home: Path, unlocked: ca.UnlockedCa,
                                               location: str) -> None:
    before = storestate.snapshot(home)
    with pytest.raises(InputError, match="location"):
        issuance.issue_device(store, unlocked, "ZM-001", generate="ec-p256", location=location)
    assert storestate.snapshot(home) == before


def test_a_csr_whose_own_ou_is_too_long_is_refused(store: Store, home: Path, unlocked: ca.UnlockedCa,
                                                    make_csr: CsrFactory) -> None:
    before = storestate.snapshot(home)
    csr = make_csr("ZM-001", ou="U" * 65)
    with pytest.raises(InputError, match="at most 64"):
        issuance.issue_device(store, unlocked, "ZM-001", csr=csr)
    assert storestate.snapshot(home) == before


def test_a_maximal_valid_ward_passes_pkilint(store: Store, unlocked: ca.UnlockedCa, tmp_path: Path) -> None:
    ward = ("Intensive Care Unit, Building 7 - North Wing Level 3 (Paeds) é" + "x" * 64)
    ward = ward[:device_text.MAX_WARD]
    assert len(ward) == 64
    issued = issuance.issue_device(store, unlocked, "ZM-001", generate="ec-p256", ward=ward)
    assert issued.certificate.subject.get_attributes_for_oid(NameOID.ORGANIZATIONAL_UNIT_NAME)[0].value == ward
    path = tmp_path / "zm-001.crt.pem"
    path.write_bytes(issued.certificate.public_bytes(serialization.Encoding.PEM))
    assert referees.serious(referees.lint_certificate(path)) == []


def test_csv_rows_with_bad_text_are_refused_before_anything_is_issued() -> None:
    text = ("device_id,ward,location\n"
            "ZM-001,ICU,Bed 1\n"
            "ZM-002,\"ICU\x1b[2J\",Bed 2\n"
            f"ZM-003,{'W' * 100},Bed 3\n"
            "ZM-004,ICU,\"Bed\x004\"\n")
    rows, rejected = bulk.parse(text)
    assert [r.device_id for r in rows] == ["ZM-001"]
    assert [(r.device_id, r.line) for r in rejected] == [("ZM-002", 3), ("ZM-003", 4), ("ZM-004", 5)]
    assert "printable text" in rejected[0].reason and "at most 64" in rejected[1].reason
    assert "location" in rejected[2].reason
    assert all("\x1b" not in r.reason and "\x00" not in r.reason for r in rejected)

"""Bulk issuance from CSV (issue 2 "Certificates"): good rows are issued, each bad row is reported with its
line number and reason and changes nothing, progress is reported, and the file's shape is checked first."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support import pki, referees, storestate
from zmconsole.core import bulk, ca, exports, issuance, output_files
from zmconsole.core.errors import InputError
from zmconsole.core.pairing import tickets
from zmconsole.core.store import Store

PASSWORD = "bulk delivery password"


def test_parse_reports_malformed_rows_with_line_numbers() -> None:
    rows, rejected = bulk.parse(pki.data("bulk_mixed.csv").decode())
    assert [(r.line, r.device_id, r.ward, r.location) for r in rows] == [
        (2, "ZM-101", "ICU", "Bed 1"), (4, "ZM-103", "ICU", "Bed 3"), (7, "monitor-7", "ICU", "Bed 6"),
        (8, "ZM-108", "Ward B", "Bed 8"),
    ]
    assert [(r.line, r.device_id) for r in rejected] == [(3, "ZM-102"), (5, ""), (6, "ZM-101")]
    reasons = {r.line: r.reason for r in rejected}
    assert reasons[3] == "it has 2 fields but the header has 3"
    assert reasons[5] == "device_id is empty"
    assert reasons[6] == "ZM-101 is listed twice (first on line 2)"


def test_good_rows_are_issued_and_bad_rows_change_nothing(store: Store, home: Path, unlocked: ca.UnlockedCa,
                                                          tmp_path: Path) -> None:
    issuance.issue_device(store, unlocked, "ZM-103", generate="ec-p256")  # already active: line 4 is refused
    rows, _ = bulk.parse(pki.data("bulk_mixed.csv").decode())
    seen: list[tuple[int, int, str]] = []
    out = tmp_path / "out"
    result = bulk.issue_rows(store, unlocked, rows, out_dir=out, password=PASSWORD, key_type="ec-p256",
                             progress=lambda done, total, what: seen.append((done, total, what)))
    assert [(line, i.common_name) for line, i in result.issued] == [(2, "ZM-101"), (8, "ZM-108")]
    refused = {r.line: r.reason for r in result.rejected}
    assert set(refused) == {4, 7}
    assert "ZM-103 already has an active certificate" in refused[4]
    assert "does not match the site pattern" in refused[7]
    assert not result.ok and not result.cancelled
    assert seen == [(1, 4, "ZM-101 issued"), (2, 4, "ZM-103 refused"), (3, 4, "monitor-7 refused"),
                    (4, 4, "ZM-108 issued")]
    devices = {r["device_id"]: r for r in storestate.rows(home, "devices")}
    assert set(devices) == {"ZM-101", "ZM-103", "ZM-108"}
    assert (devices["ZM-108"]["ward"], devices["ZM-108"]["location"]) == ("Ward B", "Bed 8")
    assert storestate.audit_actions(home).count("cert.issued") == 3
    # Each issued key is delivered encrypted, and opens with the batch password.
    for name in ("ZM-101", "ZM-108"):
        assert (out / f"{name}.crt.pem").exists() and (out / f"{name}.p12").exists()
        key = out / f"{name}.key.pem"
        assert key.read_bytes().startswith(b"-----BEGIN ENCRYPTED PRIVATE KEY-----")
        assert referees.open_key(key, pki.write_text(tmp_path / "pw", PASSWORD)).returncode == 0
    assert not (out / "monitor-7.crt.pem").exists()


def test_cancelling_stops_between_rows(store: Store, home: Path, unlocked: ca.UnlockedCa, tmp_path: Path) -> None:
    rows, _ = bulk.parse("device_id\nZM-001\nZM-002\nZM-003\n")
    calls = iter([False, True])
    result = bulk.issue_rows(store, unlocked, rows, out_dir=tmp_path, password=PASSWORD, key_type="ec-p256",
                             cancelled=lambda: next(calls))
    assert result.cancelled and [i.common_name for _, i in result.issued] == ["ZM-001"]
    assert [r["device_id"] for r in storestate.rows(home, "devices")] == ["ZM-001"]


@pytest.mark.parametrize(("text", "words"), [
    ("", "empty"),
    ("ward,location\nICU,Bed 1\n", "no device_id column"),
    ("device_id,room\nZM-001,12\n", "unknown columns room"),
])
def test_a_bad_file_is_refused_as_a_whole(text: str, words: str) -> None:
    with pytest.raises(InputError, match=words):
        bulk.parse(text)


def test_header_case_bom_blank_lines_and_column_order(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_bytes("\ufeffLocation, Device_ID ,Ward\r\nBed 1,ZM-001,ICU\r\n\r\n,ZM-002,\r\n".encode())
    rows, rejected = bulk.parse(bulk.read(path))
    assert rejected == []
    assert [(r.line, r.device_id, r.ward, r.location) for r in rows] == [(2, "ZM-001", "ICU", "Bed 1"),
                                                                         (4, "ZM-002", None, None)]


def test_unreadable_files(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="Cannot read the CSV file"):
        bulk.read(tmp_path / "missing.csv")
    latin = tmp_path / "latin.csv"
    latin.write_bytes("device_id,location\nZM-001,Salle \xe9\n".encode("latin-1"))
    with pytest.raises(InputError, match="not UTF-8"):
        bulk.read(latin)


def test_a_short_batch_password_is_refused_before_anything(store: Store, home: Path, unlocked: ca.UnlockedCa,
                                                           tmp_path: Path) -> None:
    rows, _ = bulk.parse("device_id\nZM-001\n")
    before = storestate.snapshot(home)
    with pytest.raises(InputError, match="too short"):
        bulk.issue_rows(store, unlocked, rows, out_dir=tmp_path, password="short")
    assert storestate.snapshot(home) == before


def test_a_rerun_delivers_a_key_a_killed_run_issued_and_still_holds(store: Store, home: Path,
                                                                    unlocked: ca.UnlockedCa, tmp_path: Path) -> None:
    """The state a kill between the commit and the rename leaves: certificate active, key held, files complete
    under temporary names. The rerun delivers it under its own password and clears the leftovers."""
    out = tmp_path / "out"
    staged: list[output_files.Staged] = []
    issuance.issue_device(store, unlocked, "ZM-001", generate="ec-p256", hold_key=True,
                          before_commit=lambda issued: staged.extend(
                              exports.stage_issued(issued, out, password="the killed run's password")))
    assert {p.name for p in out.iterdir()} == {p.temp.name for p in staged if p.temp is not None}
    rows, _ = bulk.parse("device_id\nZM-001\nZM-002\n")
    result = bulk.issue_rows(store, unlocked, rows, out_dir=out, password=PASSWORD, key_type="ec-p256")
    assert result.ok
    assert [(r.device_id, r.delivered) for r in result.resumed] == [("ZM-001", True)]
    assert [i.common_name for _, i in result.issued] == ["ZM-002"]
    assert sorted(p.name for p in out.iterdir()) == ["ZM-001.crt.pem", "ZM-001.key.pem", "ZM-001.p12",
                                                     "ZM-002.crt.pem", "ZM-002.key.pem", "ZM-002.p12", "ca.crt.pem"]
    assert referees.open_key(out / "ZM-001.key.pem", pki.write_text(tmp_path / "pw", PASSWORD)).returncode == 0
    assert storestate.rows(home, "held_keys") == []
    assert len(storestate.rows(home, "certificates")) == 2
    # A third run finds everything delivered: nothing refused, nothing issued again.
    again = bulk.issue_rows(store, unlocked, rows, out_dir=out, password=PASSWORD, key_type="ec-p256")
    assert again.ok and not again.issued
    assert [(r.device_id, r.delivered) for r in again.resumed] == [("ZM-001", False), ("ZM-002", False)]


def test_a_pairings_held_key_is_never_delivered_into_a_folder(store: Store, home: Path, unlocked: ca.UnlockedCa,
                                                              tmp_path: Path) -> None:
    tickets.prepare(store, unlocked, "ZM-001", console_key=True, url="https://127.0.0.1:8443")
    rows, _ = bulk.parse("device_id\nZM-001\n")
    result = bulk.issue_rows(store, unlocked, rows, out_dir=tmp_path / "out", password=PASSWORD,
                             key_type="ec-p256")
    assert not result.resumed and "already has an active certificate" in result.rejected[0].reason
    assert not (tmp_path / "out" / "ZM-001.key.pem").exists()
    assert len(storestate.rows(home, "held_keys")) == 1

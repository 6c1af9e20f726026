"""``--ou`` and ``--location`` are checked like every other path (issue 8 item 11), and what ``device list`` and
``device show`` print cannot drive the terminal, even from values an older version stored."""

from __future__ import annotations

from contextlib import closing
from pathlib import Path

from tests.support import cli, storestate


def test_the_cli_refuses_a_bad_ou_and_location(ca_home: Path, tmp_path: Path) -> None:
    before = storestate.snapshot(ca_home)
    for option, value in (("--ou", "ICU\x1b[31m"), ("--ou", "W" * 65), ("--location", "Bed\x07")):
        result = cli.run(ca_home, "device", "issue", "ZM-001", "--generate-key", "--key", "ec-p256",
                         option, value, "--out", tmp_path / "out")
        line = cli.assert_clean_error(result, "printable text" if "\x1b" in value or "\x07" in value
                                      else "at most 64")
        assert "\x1b" not in line and "\x07" not in line
    assert storestate.snapshot(ca_home) == before


def test_device_list_escapes_control_characters_from_an_older_store(ca_home: Path, tmp_path: Path) -> None:
    cli.ok(ca_home, "device", "issue", "ZM-001", "--generate-key", "--key", "ec-p256", "--ou", "ICU",
           "--out", tmp_path / "out")
    with closing(storestate.connect(ca_home)) as conn:
        conn.execute("UPDATE devices SET ward = ?, location = ? WHERE device_id = 'ZM-001'",
                     ("\x1b[2J\x1b[31mICU", "Bed\r\n4"))
        conn.commit()
    listed = cli.ok(ca_home, "device", "list")
    assert "\x1b" not in listed.stdout and "\\x1b[2J" in listed.stdout
    shown = cli.ok(ca_home, "device", "show", "ZM-001")
    assert "\x1b" not in shown.stdout and "\r" not in shown.stdout and "Bed\\x0d\\x0a4" in shown.stdout

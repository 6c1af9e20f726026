"""The daily check and the device list on the command line (issue 2 "Expiry status"): monitoring-plugin exit
codes 0/1/2/3, ``--json`` output, ``device list --json`` fields and ``--status``.

The command uses the real clock, so the states are built by issuing through the core API with ``now=`` in the
past under a CA made two years ago.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import PASSPHRASE
from tests.support import cli, postgres, storestate
from zmconsole.core import ca, issuance, paths, revocation, schema, utc
from zmconsole.core.store import Store

DAY = timedelta(days=1)
NOW = datetime.now(UTC).replace(microsecond=0)


class Aged:
    """A data directory with a CA from two years ago, and a way to add a device that expires in N days."""

    def __init__(self, home: Path, store: Store, unlocked: ca.UnlockedCa) -> None:
        self.home, self.store, self.unlocked = home, store, unlocked

    def device(self, device_id: str, days_left: float, *, days: int = 365, made_by: str | None = None
               ) -> issuance.Issued:
        issued_at = NOW + timedelta(days=days_left) - timedelta(days=days)
        return issuance.issue_device(self.store, self.unlocked, device_id, generate="ec-p256", days=days,
                                     now=issued_at, made_by=made_by)

    def check(self, *extra: str) -> cli.Result:
        return cli.run(self.home, "check-expiry", *extra, passphrase=None)


@pytest.fixture
def aged(tmp_path: Path, ca_subject: Any) -> Iterator[Aged]:
    home = paths.ensure_home(tmp_path / "home")
    store = Store.open(home)
    unlocked = ca.create(store, subject=ca_subject, passphrase=PASSPHRASE, key_type="ec-p384", now=NOW - DAY * 730)
    yield Aged(home, store, unlocked)
    store.dispose()


def summary(result: cli.Result) -> str:
    return result.stdout.splitlines()[0]


def test_exit_codes_follow_the_monitoring_plugin_convention(aged: Aged) -> None:
    empty = aged.check()
    assert empty.returncode == 0, empty
    assert empty.stdout == ("ZMCONSOLE EXPIRY OK - nothing within 90 days | expiring_7=0 expiring_30=0 expired=0 "
                            "expiring_90=0\n")

    aged.device("ZM-001", 300)
    assert aged.check().returncode == 0

    aged.device("ZM-002", 60.5)
    warning = aged.check()
    assert warning.returncode == 1, warning
    assert summary(warning) == "ZMCONSOLE EXPIRY WARNING - 1 expiring-90"

    aged.device("ZM-003", 20.5)
    assert aged.check().returncode == 1

    aged.device("ZM-004", 3.5)
    critical = aged.check()
    assert critical.returncode == 2, critical
    assert summary(critical) == "ZMCONSOLE EXPIRY CRITICAL - 1 expiring-7, 1 expiring-30, 1 expiring-90"
    # The summary first, the list, and last the performance data as Nagios and Icinga read it after a list.
    *lines, perf = critical.stdout.splitlines()[1:]
    assert perf == "| expiring_7=1 expiring_30=1 expired=0 expiring_90=1"
    assert [line.split()[:3] for line in lines] == [["expiring-7", "device", "ZM-004"],
                                                     ["expiring-30", "device", "ZM-003"],
                                                     ["expiring-90", "device", "ZM-002"]]
    assert critical.stderr == ""


def test_an_expired_certificate_is_critical(aged: Aged) -> None:
    aged.device("ZM-005", -3)
    result = aged.check()
    assert result.returncode == 2, result
    assert "1 expired" in summary(result)


def test_revoked_and_replaced_certificates_are_not_reported(aged: Aged) -> None:
    aged.device("ZM-006", 2.5)
    revocation.revoke(aged.store, "ZM-006", "decommissioned")
    old = aged.device("ZM-007", 5.5)
    issuance.issue_device(aged.store, aged.unlocked, "ZM-007", generate="ec-p256", renew=True)
    result = aged.check("--json")
    assert result.returncode == 0, result
    assert json.loads(result.stdout)["items"] == []
    assert old.serial not in result.stdout


def test_server_certificates_and_the_ca_are_checked_too(aged: Aged) -> None:
    issuance.issue_server(aged.store, aged.unlocked, "telemetry.hospital.example", generate="ec-p256", days=365,
                          now=NOW - DAY * 350)
    result = aged.check("--json")
    assert result.returncode == 1
    assert [(i["kind"], i["name"], i["device_id"]) for i in json.loads(result.stdout)["items"]] == [
        ("server", "telemetry.hospital.example", None)]


def test_json_output(aged: Aged) -> None:
    device = aged.device("ZM-004", 3.5)
    aged.device("ZM-002", 60.5)
    result = aged.check("--json")
    assert result.returncode == 2
    data = json.loads(result.stdout)
    assert data["status"] == "CRITICAL" and data["exit_code"] == 2
    assert data["thresholds_days"] == [90, 30, 7]
    assert list(data)[-2:] == ["counts", "items"]  # the summary before the list
    assert data["counts"] == {"expired": 0, "expiring-7": 1, "expiring-30": 0, "expiring-90": 1}
    assert datetime.fromisoformat(data["checked_at"]).utcoffset() == timedelta(0)
    first = data["items"][0]
    assert first == {"kind": "device", "name": "ZM-004", "device_id": "ZM-004", "ward": None, "location": None,
                     "serial": device.serial,
                     "not_after": device.certificate.not_valid_after_utc.isoformat(), "days_left": 4,
                     "status": "expiring-7", "renewal": "needs-action"}
    assert [i["status"] for i in data["items"]] == ["expiring-7", "expiring-90"]


def test_an_expiring_ca_is_counted_and_listed_first(tmp_path: Path, ca_subject: Any) -> None:
    home = paths.ensure_home(tmp_path / "home")
    store = Store.open(home)
    unlocked = ca.create(store, subject=ca_subject, passphrase=PASSPHRASE, key_type="ec-p384", days=3650,
                         now=NOW - DAY * 3630)
    issuance.issue_device(store, unlocked, "ZM-001", generate="ec-p256", days=365, now=NOW - DAY * 300)
    store.dispose()
    result = cli.run(home, "check-expiry", "--json", passphrase=None)
    assert result.returncode == 1, result
    data = json.loads(result.stdout)
    assert data["counts"] == {"expired": 0, "expiring-7": 0, "expiring-30": 2, "expiring-90": 0}
    assert [(i["kind"], i["status"]) for i in data["items"]] == [("ca", "expiring-30"), ("device", "expiring-30")]


def test_thresholds_come_from_the_settings(aged: Aged) -> None:
    aged.device("ZM-002", 60.5)
    cli.ok(aged.home, "config", "set", "threshold-warn", "45", passphrase=None)
    result = aged.check("--json")
    assert result.returncode == 0, result
    assert json.loads(result.stdout)["thresholds_days"] == [45, 30, 7]


def test_could_not_check_is_3(aged: Aged, monkeypatch: pytest.MonkeyPatch) -> None:
    aged.device("ZM-004", 3.5)
    aged.store.dispose()
    if postgres.wanted():  # the database server is down (nothing listens on port 1)
        monkeypatch.setenv("ZMCONSOLE_DATABASE_URL", "postgresql+psycopg://zmtest@127.0.0.1:1/zm")
        words = "cannot be reached"
    else:  # the database file is damaged
        db = aged.home / storestate.DB_FILENAME
        db.write_bytes(os.urandom(db.stat().st_size))
        words = "damaged"
    result = aged.check("--json")
    cli.assert_clean_error(result, words, code=3)
    assert result.stdout == ""


def test_device_list_json_fields_and_status_filter(aged: Aged) -> None:
    expected = {"ZM-001": "active", "ZM-002": "expiring-90", "ZM-003": "expiring-30", "ZM-004": "expiring-7",
                "ZM-005": "expired", "ZM-006": "revoked", "ZM-007": "not-yet-valid"}
    for device_id, days_left in (("ZM-001", 300), ("ZM-002", 60.5), ("ZM-003", 20.5), ("ZM-004", 3.5),
                                 ("ZM-005", -3), ("ZM-006", 200)):
        aged.device(device_id, days_left)
    revocation.revoke(aged.store, "ZM-006", "lost")
    issuance.issue_device(aged.store, aged.unlocked, "ZM-007", generate="ec-p256", now=NOW + DAY * 3)

    rows = json.loads(cli.ok(aged.home, "device", "list", "--json", passphrase=None).stdout)
    assert {r["device_id"]: r["status"] for r in rows} == expected
    for row in rows:
        assert {"device_id", "serial", "not_before", "not_after", "days_left", "status"} <= set(row)
        assert int(row["serial"], 16) > 0 and row["serial"] == row["serial"].upper()
        for key in ("not_before", "not_after"):
            assert datetime.fromisoformat(row[key]).utcoffset() == timedelta(0), row[key]
            assert row[key].endswith("+00:00")
        assert isinstance(row["days_left"], int)
    by_id = {r["device_id"]: r for r in rows}
    assert by_id["ZM-002"]["days_left"] == 61 and by_id["ZM-004"]["days_left"] == 4
    assert by_id["ZM-005"]["days_left"] <= 0

    for status in ("expiring-7", "revoked", "not-yet-valid"):
        filtered = json.loads(cli.ok(aged.home, "device", "list", "--status", status, "--json",
                                     passphrase=None).stdout)
        assert [r["device_id"] for r in filtered] == [d for d, s in expected.items() if s == status]
    assert json.loads(cli.ok(aged.home, "device", "list", "--status", "superseded", "--json",
                             passphrase=None).stdout) == []


def test_a_device_that_renews_itself_needs_action_only_once_overdue_or_failed(aged: Aged) -> None:
    """Seed §7: a paired device renews at 7 days left; with renewal-overdue-days 2 it is overdue below 5."""
    aged.device("ZM-010", 6.5, made_by="paired")  # inside the threshold a day: renewing automatically
    aged.device("ZM-011", 20.5, made_by="paired")
    result = aged.check("--json")
    data = json.loads(result.stdout)
    assert result.returncode == 0, result.stdout
    assert data["counts"] == {"expired": 0, "expiring-7": 0, "expiring-30": 0, "expiring-90": 0}
    assert data["renewing_automatically"] == {"expired": 0, "expiring-7": 1, "expiring-30": 1, "expiring-90": 0}
    assert [(i["name"], i["renewal"]) for i in data["items"]] == [("ZM-010", "automatic"), ("ZM-011", "automatic")]
    assert "nothing needs action; 2 renewing automatically" in aged.check().stdout

    aged.device("ZM-012", 4.5, made_by="paired")  # three days inside: overdue
    aged.device("ZM-013", 6.5)  # issued by the console: the officer renews it
    with aged.store.write() as conn:  # the service refused ZM-011's last renewal
        conn.execute(schema.devices.update().where(schema.devices.c.device_id == "ZM-011")
                     .values(renewal_failed_at=utc.to_epoch(NOW), renewal_failure="policy_refused"))
    result = aged.check("--json")
    data = json.loads(result.stdout)
    assert result.returncode == 2
    assert data["counts"] == {"expired": 0, "expiring-7": 2, "expiring-30": 1, "expiring-90": 0}
    assert {i["name"]: i["renewal"] for i in data["items"]} == {
        "ZM-010": "automatic", "ZM-011": "needs-action", "ZM-012": "needs-action", "ZM-013": "needs-action"}


def test_the_list_is_bounded_and_says_how_many_more(aged: Aged) -> None:
    """Summary first, then the worst --limit items, then how many are not listed; the counts, exit status and
    performance data stay those of everything found."""
    for number, days_left in enumerate((-3, 2.5, 20.5, 60.5), start=1):
        aged.device(f"ZM-00{number}", days_left)
    text = aged.check("--limit", "2")
    assert text.returncode == 2, text
    lines = text.stdout.splitlines()
    assert lines[0] == "ZMCONSOLE EXPIRY CRITICAL - 1 expired, 1 expiring-7, 1 expiring-30, 1 expiring-90"
    assert [line.split()[2] for line in lines[1:3]] == ["ZM-001", "ZM-002"]
    assert lines[3:] == ["... and 2 more (zmconsole check-expiry --limit 0 lists every one)",
                         "| expiring_7=1 expiring_30=1 expired=1 expiring_90=1"]

    data = json.loads(aged.check("--json", "--limit", "2").stdout)
    assert [i["device_id"] for i in data["items"]] == ["ZM-001", "ZM-002"]
    assert (data["limit"], data["not_listed"]) == (2, 2)
    assert data["counts"] == {"expired": 1, "expiring-7": 1, "expiring-30": 1, "expiring-90": 1}

    everything = json.loads(aged.check("--json", "--limit", "0").stdout)
    assert len(everything["items"]) == 4 and (everything["limit"], everything["not_listed"]) == (None, 0)
    assert "more" not in aged.check("--limit", "0").stdout


def test_the_default_limit_and_a_bad_one() -> None:
    from zmconsole.cli.main import CHECK_LIST_LIMIT, build_parser

    assert CHECK_LIST_LIMIT == 50
    assert build_parser().parse_args(["check-expiry"]).limit == CHECK_LIST_LIMIT
    with pytest.raises(SystemExit):
        build_parser().parse_args(["check-expiry", "--limit", "-1"])


def test_a_store_with_operators_is_checked_by_a_signed_in_operator(aged: Aged, tmp_path: Path) -> None:
    """The quick read path is for a store without operators; with operators the check signs in like any command:
    without --operator it cannot check (3, UNKNOWN) and says why; a pairing operator may (the role table's VIEW)."""
    from zmconsole.core import operators

    aged.device("ZM-004", 3.5)
    operators.add(aged.store, aged.unlocked, "alice", "admin", "admin password one")
    operators.sign_in(aged.store, "alice", "admin password one")
    operators.add(aged.store, aged.unlocked, "bob", "pairing", "pairing password one")
    refused = aged.check()
    cli.assert_clean_error(refused, "only a signed-in operator", code=3)
    assert refused.stdout == ""
    password = tmp_path / "bob.pw"
    password.write_text("pairing password one\n")
    checked = cli.run(aged.home, "--operator", "bob", "--operator-password-file", str(password), "check-expiry",
                      passphrase=None)
    assert checked.returncode == 2, checked
    assert checked.stdout.splitlines()[0] == "ZMCONSOLE EXPIRY CRITICAL - 1 expiring-7"

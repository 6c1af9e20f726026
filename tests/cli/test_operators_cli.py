"""Operators on the command line (issue 13): ``ca init --admin``, ``operator add|list|disable|password``, signing in
with ``--operator`` and the password from a file or the environment (never the command line), refusals."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.conftest import CA_INIT
from tests.support import cli, storestate

ADMIN_PW, PAIRING_PW, OFFICER_PW = "admin password one", "pairing password one", "officer password one"


def secret(tmp_path: Path, name: str, value: str) -> Path:
    path = tmp_path / f"{name}.pw"
    path.write_text(value + "\n")
    return path


def as_(name: str, password_file: Path) -> tuple[str, ...]:
    return ("--operator", name, "--operator-password-file", str(password_file))


@pytest.fixture
def staffed(tmp_path: Path) -> Path:
    """A store made by ``ca init --admin alice``; bob (pairing) and carol (officer) added by alice."""
    home = tmp_path / "home"
    made = cli.ok(home, *CA_INIT, "--admin", "alice", "--admin-password-file", secret(tmp_path, "alice", ADMIN_PW))
    assert "alice (admin)" in made.stdout
    alice = as_("alice", tmp_path / "alice.pw")
    cli.ok(home, *alice, "operator", "add", "bob", "--role", "pairing", "--password-file",
           secret(tmp_path, "bob", PAIRING_PW))
    cli.ok(home, *alice, "operator", "add", "carol", "--role", "officer", "--password-file",
           secret(tmp_path, "carol", OFFICER_PW))
    return home


def test_a_store_without_operators_says_so_and_needs_no_sign_in(ca_home: Path) -> None:
    shown = cli.ok(ca_home, "ca", "show")
    assert "operators:   none: a single-person store" in shown.stdout
    assert json.loads(cli.ok(ca_home, "ca", "show", "--json").stdout)["operators"] is False
    # A name in the environment is not needed there, and not refused.
    cli.ok(ca_home, "device", "list", env={"ZMCONSOLE_OPERATOR": "alice"})


def test_operators_are_listed_as_json(staffed: Path, tmp_path: Path) -> None:
    listed = json.loads(cli.ok(staffed, *as_("alice", tmp_path / "alice.pw"), "operator", "list", "--json").stdout)
    assert [(o["name"], o["role"], o["disabled"]) for o in listed] == [
        ("alice", "admin", False), ("bob", "pairing", False), ("carol", "officer", False)]
    assert json.loads(cli.ok(staffed, *as_("alice", tmp_path / "alice.pw"), "ca", "show", "--json").stdout)[
        "operators"] is True


def test_every_command_needs_a_signed_in_operator_once_there_are_operators(staffed: Path) -> None:
    before = storestate.snapshot(staffed)
    refused = cli.run(staffed, "device", "list")
    line = cli.assert_clean_error(refused, "only a signed-in operator", "--operator NAME", code=4)
    assert "ZMCONSOLE_OPERATOR" in line
    assert storestate.snapshot(staffed) == before
    assert storestate.audit_actions(staffed)[-1] == "operator.refused"


def test_the_password_comes_from_the_environment(staffed: Path) -> None:
    listed = cli.ok(staffed, "device", "list", env={"ZMCONSOLE_OPERATOR": "carol",
                                                    "ZMCONSOLE_OPERATOR_PASSWORD": OFFICER_PW})
    assert "0 device(s)" in listed.stderr


def test_a_role_that_may_not_is_refused_with_a_message_an_entry_and_no_change(staffed: Path, tmp_path: Path) -> None:
    before = storestate.snapshot(staffed)
    refused = cli.run(staffed, *as_("bob", tmp_path / "bob.pw"), "config", "set", "crl-url", "http://127.0.0.1/crl")
    cli.assert_clean_error(refused, "bob has the role pairing, which may not change settings", code=4)
    refused = cli.run(staffed, *as_("carol", tmp_path / "carol.pw"), "operator", "add", "dave", "--role", "pairing",
                      "--password-file", tmp_path / "bob.pw")
    cli.assert_clean_error(refused, "carol has the role officer, which may not manage operators", code=4)
    assert storestate.snapshot(staffed) == before
    rows = storestate.rows(staffed, "audit_log")[-2:]
    assert [(r["action"], r["operator"]) for r in rows] == [("operator.refused", "bob"), ("operator.refused", "carol")]


def test_a_wrong_password_is_audited_and_counted(staffed: Path, tmp_path: Path) -> None:
    wrong = secret(tmp_path, "wrong", "not the password at all")
    refused = cli.run(staffed, *as_("bob", wrong), "device", "list")
    cli.assert_clean_error(refused, "bob cannot sign in")
    assert storestate.audit_actions(staffed)[-1] == "operator.password_wrong"
    assert [r["failed_attempts"] for r in storestate.rows(staffed, "operators") if r["name"] == "bob"] == [1]
    cli.ok(staffed, *as_("bob", tmp_path / "bob.pw"), "device", "list")  # the right one resets the count
    assert [r["failed_attempts"] for r in storestate.rows(staffed, "operators") if r["name"] == "bob"] == [0]


def test_disable_and_password(staffed: Path, tmp_path: Path) -> None:
    alice = as_("alice", tmp_path / "alice.pw")
    new = secret(tmp_path, "new", "carol's second password")
    cli.ok(staffed, *as_("carol", tmp_path / "carol.pw"), "operator", "password", "carol", "--password-file", new,
           passphrase=None)  # her own: no CA passphrase
    cli.ok(staffed, *as_("carol", new), "device", "list")
    done = cli.ok(staffed, *alice, "operator", "disable", "carol")
    assert "signer" in done.stdout and "revoked" in done.stdout
    cli.assert_clean_error(cli.run(staffed, *as_("carol", new), "device", "list"), "carol cannot sign in")
    listed = json.loads(cli.ok(staffed, *alice, "operator", "list", "--json").stdout)
    assert {o["name"]: o["disabled"] for o in listed} == {"alice": False, "bob": False, "carol": True}
    cli.assert_clean_error(cli.run(staffed, *alice, "operator", "disable", "alice"), "last enabled admin")


def test_a_pairing_operator_cannot_unlock_the_ca_even_with_the_passphrase(staffed: Path, tmp_path: Path) -> None:
    before = storestate.snapshot(staffed)
    refused = cli.run(staffed, *as_("bob", tmp_path / "bob.pw"), "crl", "generate", "--out", tmp_path / "crl.pem")
    cli.assert_clean_error(refused, "bob has the role pairing, which may not unlock the CA key", code=4)
    refused = cli.run(staffed, *as_("bob", tmp_path / "bob.pw"), "device", "issue", "ZM-001", "--generate-key",
                      "--out", tmp_path / "out")
    cli.assert_clean_error(refused, "may not unlock the CA key", code=4)
    assert storestate.snapshot(staffed) == before

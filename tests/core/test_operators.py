"""Operators and roles in the core (issue 13): who may do what, passwords only as scrypt output, wrong passwords
audited and rate-limited across processes, every audit entry naming the operator, and a pairing operator's own
pairing signer (no CA key at the bedside)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec

from tests.conftest import PASSPHRASE
from tests.support import storestate
from zmconsole.core import (
    audit,
    ca,
    exports,
    inventory,
    issuance,
    operators,
    report,
    revocation,
    roles,
    settings,
    store_check,
)
from zmconsole.core.errors import NotPermittedError, WrongPassphraseError, ZmError
from zmconsole.core.pairing import protocol, tickets
from zmconsole.core.pairing.signer import signer_chain
from zmconsole.core.roles import Operation, Role
from zmconsole.core.store import Store

PASSWORDS = {"alice": "alice's long password", "bob": "bob's long password", "carol": "carol's long password"}
ROLE_OF = {Role.ADMIN: "alice", Role.PAIRING: "bob", Role.OFFICER: "carol"}


@pytest.fixture
def staffed(store: Store, unlocked: ca.UnlockedCa, now: datetime) -> Store:
    """A store with a CA, one issued device (ZM-100), and three operators: alice (admin), bob (pairing) and carol
    (officer); alice is signed in."""
    issuance.issue_device(store, unlocked, "ZM-100", generate="ec-p256", now=now)
    operators.create_first_admin(store, unlocked, "alice", PASSWORDS["alice"], now=now)
    operators.add(store, unlocked, "bob", "pairing", PASSWORDS["bob"], now=now)
    operators.add(store, unlocked, "carol", "officer", PASSWORDS["carol"], now=now)
    return store


def as_operator(store: Store, name: str) -> operators.Operator:
    operators.sign_out(store)
    return operators.sign_in(store, name, PASSWORDS[name], sleep=lambda _: None)


@pytest.fixture
def other_handle(home: Path) -> Iterator[Store]:
    """A second handle on the same store, as another process has: nothing signed in, no CA unlocked."""
    opened = Store.open(home)
    yield opened
    opened.dispose()


# --- each role x each operation ------------------------------------------------------------------------------


def _actions(unlocked: ca.UnlockedCa, tmp_path: Path, now: datetime) -> dict[Operation, Callable[[Store], Any]]:
    def prepare(store: Store) -> Any:
        assert store.operator is not None
        return tickets.prepare(store, None, "ZM-200", signer=store.operator.signer, url="https://127.0.0.1:8443/",
                               now=now)

    def certificate_export(store: Store) -> Any:
        record = inventory.certificate(store, settings.load(store), issued_serial(store))
        return exports.export_certificate(store, record, "pem")

    built = report.complete(now, settings.Settings(), {}, [], [])
    return {
        Operation.VIEW: lambda s: inventory.list_devices(s, settings.load(s)),
        Operation.PAIRING_PREPARE: prepare,
        Operation.PAIRING_CANCEL: lambda s: tickets.cancel(s, "ZM-100"),
        Operation.REVOKE: lambda s: revocation.revoke(s, "ZM-100", "lost"),
        Operation.CERTIFICATE_EXPORT: certificate_export,
        Operation.REPORT_EXPORT: lambda s: report.write_csv(built, tmp_path / "report.csv", store=s),
        Operation.AUDIT_VERIFY: lambda s: audit.verify(s),
        Operation.AUDIT_EXPORT: lambda s: audit.export_csv(s, tmp_path / "audit.csv"),
        Operation.CRL_GENERATE: lambda s: revocation.generate_crl(s, unlocked),
        Operation.DEVICE_ISSUE: lambda s: issuance.issue_device(s, unlocked, "ZM-300", generate="ec-p256"),
        Operation.SERVER_ISSUE: lambda s: issuance.issue_server(s, unlocked, "telemetry.hospital.example",
                                                                generate="ec-p256"),
        Operation.CA_CREATE: lambda s: ca.create(s, subject=unlocked.certificate.subject, passphrase=PASSPHRASE,
                                                 key_type="ec-p384"),
        Operation.CA_IMPORT: lambda s: ca.import_existing(s, cert_pem=unlocked.info.pem, key_pem=b"x",
                                                          passphrase=PASSPHRASE),
        Operation.CA_UNLOCK: lambda s: ca.unlock(s, PASSPHRASE),
        Operation.SETTINGS_CHANGE: lambda s: settings.set_value(s, "crl-url", "http://127.0.0.1/crl"),
        Operation.OPERATORS_MANAGE: lambda s: operators.list_operators(s),
        Operation.STORE_MANAGE: lambda s: store_check.check(s),
    }


def issued_serial(store: Store) -> str:
    rows = storestate.rows(store.home or Path(), "certificates")
    return next(str(r["serial"]) for r in rows if r["device_id"] == "ZM-100")


def test_the_table_covers_every_operation_and_ranks_the_roles() -> None:
    assert set(roles.MINIMUM_ROLE) == set(Operation) == set(roles.WORDS)
    assert roles.operations_of("pairing") == [Operation.VIEW, Operation.PAIRING_PREPARE, Operation.PAIRING_CANCEL]
    assert set(roles.operations_of("officer")) == set(roles.operations_of("pairing")) | {
        Operation.REVOKE, Operation.CERTIFICATE_EXPORT, Operation.REPORT_EXPORT, Operation.AUDIT_VERIFY,
        Operation.AUDIT_EXPORT, Operation.CRL_GENERATE}
    assert roles.operations_of("admin") == list(Operation)


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("operation", list(Operation))
def test_each_role_is_allowed_or_refused_each_operation(staffed: Store, unlocked: ca.UnlockedCa, home: Path,
                                                        tmp_path: Path, now: datetime, role: Role,
                                                        operation: Operation) -> None:
    name = ROLE_OF[role]
    as_operator(staffed, name)
    action = _actions(unlocked, tmp_path, now)[operation]
    allowed = roles.allows(role, operation)
    assert (roles.why_not(staffed, operation) is None) is allowed
    before = storestate.snapshot(home)
    entries = len(storestate.audit_actions(home))
    if allowed:
        try:
            action(staffed)
        except NotPermittedError as error:  # pragma: no cover - the failure message
            pytest.fail(f"{name} ({role}) was refused {operation}: {error}")
        except ZmError:
            pass  # allowed, then refused by the state (a second CA, a key file that is not one)
        return
    with pytest.raises(NotPermittedError) as refused:
        action(staffed)
    assert name in str(refused.value) and roles.WORDS[operation] in str(refused.value)
    assert storestate.snapshot(home) == before  # nothing but the audit entry
    logged = audit.entries(staffed, limit=1)[0]
    assert storestate.audit_actions(home)[entries:] == ["operator.refused"]
    assert logged.operator == name and logged.details["operation"] == operation.value
    assert logged.details["needs"] == roles.MINIMUM_ROLE[operation].value


def test_a_store_with_operators_refuses_anyone_not_signed_in(staffed: Store, other_handle: Store, home: Path) -> None:
    before = storestate.snapshot(home)
    with pytest.raises(NotPermittedError, match="only a signed-in operator may revoke certificates") as refused:
        revocation.revoke(other_handle, "ZM-100", "lost")
    assert refused.value.hint is not None and refused.value.hint.kind.value == "sign-in"
    assert storestate.snapshot(home) == before
    assert audit.entries(staffed, limit=1)[0].action == "operator.refused"


def test_a_store_without_operators_allows_everything(store: Store, unlocked: ca.UnlockedCa) -> None:
    assert not roles.has_operators(store)
    assert all(roles.why_not(store, operation) is None for operation in Operation)
    assert roles.require(store, Operation.OPERATORS_MANAGE) is None


def test_a_disabled_operator_is_refused_at_the_next_operation(staffed: Store, other_handle: Store) -> None:
    as_operator(other_handle, "carol")
    operators.disable(staffed, "carol")  # by alice, in another "process"
    with pytest.raises(NotPermittedError, match="carol is disabled"):
        revocation.revoke(other_handle, "ZM-100", "lost")


# --- passwords ------------------------------------------------------------------------------------------------


def test_passwords_are_kept_only_as_scrypt_output_with_its_parameters(staffed: Store, home: Path) -> None:
    rows = {r["name"]: r for r in storestate.rows(home, "operators")}
    assert set(rows) == {"alice", "bob", "carol"}
    for name, row in rows.items():
        assert (row["kdf"], row["kdf_n"], row["kdf_r"], row["kdf_p"]) == ("scrypt", 2**15, 8, 1)
        assert len(row["salt"]) == 16 and len(row["password_hash"]) == 32
        assert row["role"] == {"alice": "admin", "bob": "pairing", "carol": "officer"}[name]
    assert len({r["salt"] for r in rows.values()}) == 3
    for password in PASSWORDS.values():
        assert not any(password.encode() in value for _, _, value in storestate.cells(home))


def test_a_wrong_password_is_audited_slowed_and_rate_limited_across_processes(staffed: Store, other_handle: Store,
                                                                             home: Path, now: datetime) -> None:
    slept: list[float] = []
    for attempt in range(1, operators.FREE_ATTEMPTS + 1):
        with pytest.raises(WrongPassphraseError, match="cannot sign in"):
            operators.sign_in(other_handle, "bob", "not bob's password", now=now, sleep=slept.append)
        assert audit.entries(staffed, limit=1)[0].details == {"failed_attempts": attempt}
    assert slept == [operators.WRONG_PASSWORD_DELAY] * operators.FREE_ATTEMPTS
    assert storestate.audit_actions(home)[-operators.FREE_ATTEMPTS:] == ["operator.password_wrong"] * 3
    # A fresh handle (another process) shares the count: even the right password waits for the back-off.
    third = Store.open(home)
    try:
        with pytest.raises(operators.SignInThrottled, match=r"try again in 3[01] seconds") as throttled:
            operators.sign_in(third, "bob", PASSWORDS["bob"], now=now + timedelta(seconds=1), sleep=slept.append)
        assert throttled.value.retry_after <= operators.BACKOFF
        assert third.operator is None
        assert audit.entries(staffed, limit=1)[0].action == "operator.sign_in_throttled"
        later = now + operators.BACKOFF + timedelta(seconds=1)
        assert operators.sign_in(third, "bob", PASSWORDS["bob"], now=later).role is Role.PAIRING
        assert [r["failed_attempts"] for r in storestate.rows(home, "operators") if r["name"] == "bob"] == [0]
    finally:
        third.dispose()


def test_the_back_off_doubles_and_has_a_ceiling() -> None:
    assert operators._backoff(operators.FREE_ATTEMPTS - 1) == timedelta(0)
    assert operators._backoff(operators.FREE_ATTEMPTS + 1) == 2 * operators.BACKOFF
    assert operators._backoff(100) == operators.MAX_BACKOFF


def test_unknown_and_disabled_operators_are_refused_like_a_wrong_password(staffed: Store, other_handle: Store
                                                                          ) -> None:
    slept: list[float] = []
    with pytest.raises(WrongPassphraseError, match="cannot sign in"):
        operators.sign_in(other_handle, "mallory", "whatever it is", sleep=slept.append)
    operators.disable(staffed, "bob")
    with pytest.raises(WrongPassphraseError, match="cannot sign in"):
        operators.sign_in(other_handle, "bob", PASSWORDS["bob"], sleep=slept.append)
    assert len(slept) == 2
    refused = audit.entries(staffed, action_prefix="operator.sign_in_refused")
    assert [(e.subject, e.details["why"]) for e in refused] == [("bob", "disabled"), ("mallory", "unknown")]


def test_names_passwords_and_the_first_operator_are_checked(store: Store, unlocked: ca.UnlockedCa) -> None:
    with pytest.raises(ZmError, match="first operator must be an admin"):
        operators.add(store, unlocked, "bob", "pairing", PASSWORDS["bob"])
    with pytest.raises(ZmError, match="not allowed"):
        operators.add(store, unlocked, "Bob Smith", "admin", PASSWORDS["bob"])
    with pytest.raises(ZmError, match="too short"):
        operators.add(store, unlocked, "bob", "admin", "short")
    with pytest.raises(ZmError, match="Unknown role"):
        operators.add(store, unlocked, "bob", "nurse", PASSWORDS["bob"])
    assert not roles.has_operators(store)


def test_the_last_admin_cannot_be_disabled_and_names_are_not_reused(staffed: Store, unlocked: ca.UnlockedCa) -> None:
    with pytest.raises(ZmError, match="last enabled admin"):
        operators.disable(staffed, "alice")
    operators.disable(staffed, "carol")
    with pytest.raises(ZmError, match="already exists"):
        operators.add(staffed, unlocked, "carol", "officer", PASSWORDS["carol"])
    listed = {o.name: o for o in operators.list_operators(staffed)}
    assert listed["carol"].disabled and not listed["bob"].disabled
    assert listed["carol"].as_json()["disabled"] is True and listed["carol"].as_json()["role"] == "officer"


def test_an_operator_changes_their_own_password_and_keeps_their_signer(staffed: Store, other_handle: Store) -> None:
    bob = as_operator(other_handle, "bob")
    assert bob.signer is not None
    operators.set_password(other_handle, "bob", "bob's new long password")
    assert other_handle.operator is not None and other_handle.operator.signer is not None
    assert other_handle.operator.signer.serial == bob.signer.serial  # sealed again, not replaced
    operators.sign_out(other_handle)
    with pytest.raises(WrongPassphraseError):
        operators.sign_in(other_handle, "bob", PASSWORDS["bob"], sleep=lambda _: None)
    again = operators.sign_in(other_handle, "bob", "bob's new long password")
    assert again.signer is not None and again.signer.key_id == bob.signer.key_id


def test_an_admin_resetting_a_password_issues_a_new_signer(staffed: Store, other_handle: Store,
                                                           unlocked: ca.UnlockedCa, now: datetime) -> None:
    old = as_operator(other_handle, "bob").signer
    assert old is not None
    with pytest.raises(ZmError, match="unlock the CA"):
        operators.set_password(staffed, "bob", "a password bob is told")
    operators.set_password(staffed, "bob", "a password bob is told", ca=unlocked, now=now)
    assert signer_chain(staffed, old.key_id, now=now) is None  # the old one is revoked
    operators.sign_out(other_handle)
    new = operators.sign_in(other_handle, "bob", "a password bob is told").signer
    assert new is not None and new.serial != old.serial
    assert signer_chain(staffed, new.key_id, now=now) is not None


# --- the audit names the operator ------------------------------------------------------------------------------


def test_every_audit_entry_names_the_operator_and_the_chain_verifies(staffed: Store, other_handle: Store,
                                                                     home: Path) -> None:
    as_operator(other_handle, "carol")
    revocation.revoke(other_handle, "ZM-100", "lost")
    logged = audit.entries(staffed, limit=1)[0]
    assert (logged.action, logged.operator, logged.os_user) == ("cert.revoked", "carol", audit.os_user())
    before = [e for e in audit.entries(staffed, newest_first=False) if e.action == "cert.issued"]
    assert before and before[0].operator is None  # written before there were operators
    as_operator(staffed, "alice")
    assert audit.verify(staffed).ok
    with storestate.connect(home) as raw:  # a forger who renames the operator breaks the chain
        raw.execute("UPDATE audit_log SET operator = 'alice' WHERE operator = 'carol'")
        raw.commit()
    assert any("was changed after it was written" in p for p in audit.verify(staffed).problems)


# --- a pairing operator's own signer ---------------------------------------------------------------------------


def test_a_pairing_operator_prepares_a_pairing_with_no_ca_key(staffed: Store, other_handle: Store,
                                                              unlocked: ca.UnlockedCa, now: datetime) -> None:
    bob = as_operator(other_handle, "bob")
    assert bob.signer is not None
    ticket = tickets.prepare(other_handle, None, "ZM-200", signer=bob.signer, url="https://127.0.0.1:8443/", now=now)
    payload = protocol.decode_payload(ticket.qr_text)
    assert payload.signer_key_id == bob.signer.key_id
    chain = signer_chain(other_handle, payload.signer_key_id, now=now)
    assert chain is not None
    certificate = x509.load_pem_x509_certificates(chain)[0]
    assert str(certificate.subject.get_attributes_for_oid(x509.NameOID.COMMON_NAME)[0].value).endswith(": bob")
    public = certificate.public_key()
    assert isinstance(public, ec.EllipticCurvePublicKey)
    protocol.verify_payload(payload, public, expected_device_id="ZM-200", now=now)
    logged = audit.entries(staffed, subject="ZM-200", limit=1)[0]
    assert logged.operator == "bob" and logged.details["signer"] == bob.signer.serial
    # Console key mode without the CA: the key holder issues at pull time, so bob may prepare it...
    deferred = tickets.prepare(other_handle, None, "ZM-201", signer=bob.signer, console_key=True,
                               url="https://127.0.0.1:8443/", now=now)
    assert deferred.serial is None
    with pytest.raises(NotPermittedError):  # ...but issuing now, from the console, needs an admin and the CA
        tickets.prepare(other_handle, unlocked, "ZM-202", signer=bob.signer, console_key=True, now=now)


def test_disabling_an_operator_revokes_their_signer_and_ends_their_pairings(staffed: Store, other_handle: Store,
                                                                            home: Path, now: datetime) -> None:
    bob = as_operator(other_handle, "bob")
    assert bob.signer is not None
    ticket = tickets.prepare(other_handle, None, "ZM-200", signer=bob.signer, url="https://127.0.0.1:8443/", now=now)
    operators.disable(staffed, "bob", now=now)
    assert signer_chain(staffed, bob.signer.key_id, now=now) is None
    status = tickets.status_of(staffed, ticket.pairing_id, now=now)
    assert status is not None and status.outcome == "failed"
    signer_row = next(r for r in storestate.rows(home, "certificates") if r["serial"] == bob.signer.serial)
    assert signer_row["revoked_at"] is not None and signer_row["kind"] == "operator-signer"
    assert next(r for r in storestate.rows(home, "operators") if r["name"] == "bob")["signer_sealed"] is None


def test_docs_security_names_every_role_and_the_pending_status() -> None:
    from zmconsole.core import crl_policy

    text = (Path(__file__).parents[2] / "docs" / "security.md").read_text()
    for role in roles.ROLES:
        assert f"| `{role}` |" in text
    assert crl_policy.REVOKED_CRL_PENDING in text and "exit status 4" in text

"""Who may do what: the one table of operation → minimum role, and the one check every core operation calls.

Roles are ranked: ``pairing`` < ``officer`` < ``admin``, and each role may do everything the ones below it
may. The check lives in the core operations themselves (``tickets.prepare``, ``revocation.revoke``,
``ca.unlock``...), not in a front end, so the command line, the console and a notebook are held to the same
table. A store without operators is a single-person site: every operation is allowed, as before operators
existed. Once a store has an operator, an operation needs a signed-in operator (``store.operator``, set by
:func:`zmconsole.core.operators.sign_in`) whose role, read again from the store at each check, is high
enough and who is not disabled. A refusal is a :class:`NotPermittedError` and an ``operator.refused`` audit
entry, written before anything else is changed.

The console asks :func:`why_not` for each action it shows: None means enabled, a string is the reason to
show beside the disabled action.
"""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING

from zmconsole.core.errors import Hint, HintKind, NotPermittedError, StoreError
from zmconsole.core.store import Snapshot, Store

if TYPE_CHECKING:
    from zmconsole.core.operators import Operator


class Role(enum.StrEnum):
    """An operator's role, as stored in ``operators.role``."""

    PAIRING = "pairing"  # bedside staff: prepare and cancel pairings, see devices and status
    OFFICER = "officer"  # security officers: also revoke, export reports, verify and export the audit
    ADMIN = "admin"  # administrators: also CAs, server certificates, settings and operators

    @property
    def rank(self) -> int:
        return _RANKS.index(self)


_RANKS = (Role.PAIRING, Role.OFFICER, Role.ADMIN)
ROLES = tuple(role.value for role in _RANKS)


class Operation(enum.StrEnum):
    """Everything an operator can ask the core to do, by what it is."""

    VIEW = "view"  # devices, certificates, their status and history, the CA, settings, the expiry check
    PAIRING_PREPARE = "pairing.prepare"
    PAIRING_CANCEL = "pairing.cancel"
    REVOKE = "certificate.revoke"
    CERTIFICATE_EXPORT = "certificate.export"  # a device's certificate (PEM/DER) or its held key (PKCS#12)
    REPORT_EXPORT = "report.export"
    AUDIT_VERIFY = "audit.verify"
    AUDIT_EXPORT = "audit.export"
    CRL_GENERATE = "crl.generate"
    DEVICE_ISSUE = "device.issue"  # from the console (a pairing's issuance is authorised by the pairing)
    SERVER_ISSUE = "server.issue"
    CA_CREATE = "ca.create"
    CA_IMPORT = "ca.import"
    CA_UNLOCK = "ca.unlock"  # open the CA key: issue, sign CRLs, run the provisioning service
    SETTINGS_CHANGE = "settings.change"
    OPERATORS_MANAGE = "operators.manage"
    STORE_MANAGE = "store.manage"  # backup, restore, upgrade, check


#: The one table: the lowest role allowed each operation.
MINIMUM_ROLE: dict[Operation, Role] = {
    Operation.VIEW: Role.PAIRING,
    Operation.PAIRING_PREPARE: Role.PAIRING,
    Operation.PAIRING_CANCEL: Role.PAIRING,
    Operation.REVOKE: Role.OFFICER,
    Operation.CERTIFICATE_EXPORT: Role.OFFICER,
    Operation.REPORT_EXPORT: Role.OFFICER,
    Operation.AUDIT_VERIFY: Role.OFFICER,
    Operation.AUDIT_EXPORT: Role.OFFICER,
    Operation.CRL_GENERATE: Role.OFFICER,
    Operation.DEVICE_ISSUE: Role.ADMIN,
    Operation.SERVER_ISSUE: Role.ADMIN,
    Operation.CA_CREATE: Role.ADMIN,
    Operation.CA_IMPORT: Role.ADMIN,
    Operation.CA_UNLOCK: Role.ADMIN,
    Operation.SETTINGS_CHANGE: Role.ADMIN,
    Operation.OPERATORS_MANAGE: Role.ADMIN,
    Operation.STORE_MANAGE: Role.ADMIN,
}

#: Each operation in words, for messages ("... may not revoke certificates").
WORDS: dict[Operation, str] = {
    Operation.VIEW: "see devices and their status",
    Operation.PAIRING_PREPARE: "prepare pairings",
    Operation.PAIRING_CANCEL: "cancel pairings",
    Operation.REVOKE: "revoke certificates",
    Operation.CERTIFICATE_EXPORT: "export certificates and held keys",
    Operation.REPORT_EXPORT: "export reports",
    Operation.AUDIT_VERIFY: "verify the audit log",
    Operation.AUDIT_EXPORT: "export the audit log",
    Operation.CRL_GENERATE: "sign CRLs",
    Operation.DEVICE_ISSUE: "issue device certificates from the console",
    Operation.SERVER_ISSUE: "issue server certificates",
    Operation.CA_CREATE: "create a CA",
    Operation.CA_IMPORT: "import a CA",
    Operation.CA_UNLOCK: "unlock the CA key",
    Operation.SETTINGS_CHANGE: "change settings",
    Operation.OPERATORS_MANAGE: "manage operators",
    Operation.STORE_MANAGE: "back up, restore, upgrade or check the store",
}


def allows(role: Role | str, operation: Operation) -> bool:
    """Whether ``role`` may do ``operation`` (the table alone; :func:`why_not` also reads the store)."""
    return Role(role).rank >= MINIMUM_ROLE[operation].rank


def operations_of(role: Role | str) -> list[Operation]:
    """What ``role`` may do, in the table's order (for ``docs/security.md`` and the console's help)."""
    return [operation for operation in Operation if allows(role, operation)]


def has_operators(store: Store) -> bool:
    """Whether the store has any operator (disabled ones count): from then on everyone signs in."""
    with store.snapshot() as snapshot:
        return has_operators_in(snapshot)


def has_operators_in(snapshot: Snapshot) -> bool:
    """:func:`has_operators`, in portable SQL: the monitoring check asks it without importing SQLAlchemy."""
    return bool(snapshot.rows("SELECT name FROM operators LIMIT 1"))


def why_not(store: Store, operation: Operation) -> str | None:
    """Why the operator signed in on ``store`` may not do ``operation`` now, or None when they may.

    Reads the operator's row again, so a role changed or an operator disabled by an admin elsewhere takes
    effect at the next operation, in a long-lived console as in a new command.
    """
    return _refusal(store, operation)[0]


def _refusal(store: Store, operation: Operation) -> tuple[str | None, Hint | None]:
    from sqlalchemy import select

    from zmconsole.core import schema

    operator = store.operator
    o = schema.operators
    if operator is None:
        if not has_operators(store):
            return None, None
        return (f"This store has operators, so only a signed-in operator may {WORDS[operation]}.",
                Hint(HintKind.SIGN_IN))
    with store.read() as conn:
        row = conn.execute(select(o.c.role, o.c.disabled_at).where(o.c.name == operator.name)).first()
    if row is None or row.disabled_at is not None:
        return (f"The operator {operator.name} is disabled (or no longer exists) and may not {WORDS[operation]}: "
                "an admin can add a new operator.", Hint(HintKind.SIGN_IN))
    if allows(row.role, operation):
        return None, None
    needed = MINIMUM_ROLE[operation]
    return (f"The operator {operator.name} has the role {row.role}, which may not {WORDS[operation]} (the role "
            f"{needed} or higher may): nothing was changed; ask someone with that role.", None)


def require(store: Store, operation: Operation, subject: str = "") -> Operator | None:
    """Refuse ``operation`` unless the signed-in operator may do it; returns that operator (None: no operators).

    Call it before the operation's own transaction: a refusal is audited in a transaction of its own
    (``operator.refused``), and nothing else is written.
    """
    reason, hint = _refusal(store, operation)
    if reason is None:
        return store.operator
    from zmconsole.core import audit  # not for the many checks that pass (the monitoring check loads no audit)

    who = None if store.operator is None else store.operator.name
    try:
        audit.record(store, "operator.refused", subject or operation.value,
                     {"operation": operation.value, "operator": who, "needs": MINIMUM_ROLE[operation].value})
    except StoreError:
        pass  # a read-only store: nothing can be changed there anyway, and the refusal stands
    raise NotPermittedError(reason, hint=hint)

"""``store check``: everything that can vouch for a store, in one report.

The database's own checks (SQLite's page-level ``integrity_check`` and ``foreign_key_check``; PostgreSQL
guards its own pages, so there every table is read end to end), the audit hash chain with its signed
checkpoint (:func:`audit.verify`), every certificate's DER against its row (serial, validity, fingerprint and
the issuing CA's signature: a row edited to hide or extend a certificate no longer matches what was signed),
and, when the passphrase is given, that the CA key opens and pairs with the CA certificate.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from sqlalchemy import func, select

from zmconsole.core import audit, ca, profiles, schema
from zmconsole.core.errors import WrongPassphraseError
from zmconsole.core.roles import Operation
from zmconsole.core.roles import require as require_role
from zmconsole.core.store import Store

_BLOCK = 2000
_SHOWN = 20  # certificate problems listed one by one; beyond, only counted


@dataclass
class CheckReport:
    passed: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def _database(store: Store, report: CheckReport) -> None:
    if store.url.startswith("sqlite"):
        damage = store.integrity_problems()
        with store.read() as conn:
            orphans = conn.exec_driver_sql("PRAGMA foreign_key_check").all()
        report.problems += [f"SQLite integrity check: {line}" for line in damage]
        report.problems += [f"a row of {row[0]} names a missing row of {row[2]} (rowid {row[1]})" for row in orphans]
        if not damage and not orphans:
            report.passed.append("SQLite's integrity and foreign-key checks")
        return
    with store.read() as conn:
        tables = schema.metadata.tables.values()
        rows = sum(conn.execute(select(func.count()).select_from(t)).scalar_one() for t in tables)
    report.passed.append(f"every table reads ({rows} rows; the server checks its own pages and constraints)")


def _audit(store: Store, report: CheckReport) -> None:
    result = audit.verify(store)
    if result.ok and not result.damage:
        report.passed.append(f"the audit chain ({result.entries} entries, head {result.head})")
    report.problems += [f"audit: {problem}" for problem in result.problems]


def _row_problems(row: schema.Row, issuers: dict[int, x509.Certificate]) -> list[str]:
    where = f"certificate {row.serial} (row {row.id})"
    try:
        cert = x509.load_der_x509_certificate(row.der)
    except ValueError:
        return [f"{where}: its DER does not parse"]
    problems = []
    if hashlib.sha256(row.der).hexdigest() != row.fingerprint:
        problems.append(f"{where}: the fingerprint in the row is not the DER's")
    if profiles.serial_hex(cert.serial_number) != row.serial:
        problems.append(f"{where}: the DER's serial is {profiles.serial_hex(cert.serial_number)}")
    if (int(cert.not_valid_before_utc.timestamp()) != row.not_before
            or int(cert.not_valid_after_utc.timestamp()) != row.not_after):
        problems.append(f"{where}: the validity in the row is not the DER's")
    issuer = issuers.get(row.ca_id)
    if issuer is None:
        problems.append(f"{where}: its CA (id {row.ca_id}) is not in the store")
    else:
        try:
            cert.verify_directly_issued_by(issuer)
        except (ValueError, TypeError, InvalidSignature):
            problems.append(f"{where}: the CA's signature does not verify")
    return problems


def _certificates(store: Store, report: CheckReport) -> None:
    c = schema.certificates
    found: list[str] = []
    checked = 0
    with store.read() as conn:
        issuers = {row.id: x509.load_der_x509_certificate(row.cert_der)
                   for row in conn.execute(select(schema.cas.c.id, schema.cas.c.cert_der))}
        query = select(c.c.id, c.c.serial, c.c.ca_id, c.c.not_before, c.c.not_after, c.c.fingerprint, c.c.der)
        for rows in conn.execute(query.order_by(c.c.id), execution_options={"yield_per": _BLOCK}).partitions():
            for row in rows:
                checked += 1
                found += _row_problems(row, issuers)
    if found:
        report.problems += found[:_SHOWN]
        if len(found) > _SHOWN:
            report.problems.append(f"... and {len(found) - _SHOWN} more certificate problems")
    else:
        report.passed.append(f"every certificate's DER matches its row and its CA's signature ({checked})")


def _ca_key(store: Store, passphrase: str, report: CheckReport) -> None:
    if ca.current(store) is None:
        report.passed.append("no CA yet, so no CA key to open")
        return
    try:
        ca.unlock(store, passphrase, actor="store check")
    except WrongPassphraseError as error:
        report.problems.append(f"the CA key does not open: {error}")
        return
    report.passed.append("the CA key opens with the passphrase and pairs with the CA certificate")


def check(store: Store, *, passphrase: str | None = None) -> CheckReport:
    require_role(store, Operation.STORE_MANAGE, "check")
    report = CheckReport()
    _database(store, report)
    _audit(store, report)
    _certificates(store, report)
    if passphrase is not None:
        _ca_key(store, passphrase, report)
    return report

"""Revocation and the CRL (seed §2.3, §6.2, §8).

The seed's triggers map to RFC 5280 §5.3.1 reason codes: a lost or
compromised monitor is ``keyCompromise`` (whoever holds it holds the key),
a decommissioned one ``cessationOfOperation``, a replaced certificate
``superseded``. CRL numbers come from the store inside the write transaction,
so they rise strictly across runs and processes. A renewed certificate's
predecessor stays valid for the grace period and is listed (``superseded``)
once that has passed (seed §2.2 step 5).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from sqlalchemy import Connection, and_, func, or_, select, update

from zmconsole.core import audit, checkpoints, crl_continuity, schema, utc
from zmconsole.core.ca import UnlockedCa, require
from zmconsole.core.errors import ConflictError, Hint, HintKind, InputError, NotFoundError
from zmconsole.core.keys import signature_hash
from zmconsole.core.roles import Operation
from zmconsole.core.roles import require as require_role
from zmconsole.core.settings import Settings
from zmconsole.core.settings import load as load_settings
from zmconsole.core.store import Store

#: The default grace window (renewal-grace-days); each superseded certificate stores its own end of grace.
GRACE = timedelta(days=Settings().renewal_grace_days)

REASONS: dict[str, x509.ReasonFlags] = {
    "lost": x509.ReasonFlags.key_compromise,
    "compromised": x509.ReasonFlags.key_compromise,
    "decommissioned": x509.ReasonFlags.cessation_of_operation,
    "superseded": x509.ReasonFlags.superseded,
}


def _entry_builder(flag: x509.ReasonFlags) -> x509.RevokedCertificateBuilder:
    builder = x509.RevokedCertificateBuilder()
    if flag is not x509.ReasonFlags.unspecified:  # RFC 5280 §5.3.1: omit rather than "unspecified"
        builder = builder.add_extension(x509.CRLReason(flag), critical=False)
    return builder


#: Reasons stored only for an issuing CA a root revoked (hierarchy.REVOKE_REASONS), never for a device.
CA_REASONS: dict[str, x509.ReasonFlags] = {"ca-compromised": x509.ReasonFlags.ca_compromise}


# Builders are immutable: one per reason, already carrying its CRLReason, so each CRL entry only adds its
# serial and date. Re-adding the same extension per entry cost a third of a 100,000-entry CRL (benchmarks/).
# Keyed by the operator's word as stored, so an entry costs one string lookup (an enum member's hash runs
# Python code).
_ENTRY_BUILDERS = {reason: _entry_builder(flag) for reason, flag in {**REASONS, **CA_REASONS}.items()}
_UNSPECIFIED = _entry_builder(x509.ReasonFlags.unspecified)  # a stored reason this version does not know
_SUPERSEDED = _ENTRY_BUILDERS["superseded"]  # a renewed certificate's predecessor, once its grace has passed
# CRL rows per fetch. Small enough that each block's rows die young: blocks of 10,000 lived long enough for the
# cyclic GC to promote them, which cost a full collection over everything alive (100,000 entries: 21 second-
# generation and 1 full collection against 8 and none, about 0.06 s of a 0.9 s CRL).
_FETCH_BLOCK = 1_000


@dataclass(frozen=True)
class Revoked:
    serials: tuple[str, ...]
    subject: str
    reason: str  # the operator's word: lost, compromised...
    at: datetime


@dataclass(frozen=True)
class CrlInfo:
    number: int
    this_update: datetime
    next_update: datetime
    entries: int
    der: bytes
    ca_id: int = 0  # the store row of the CA that signed it (0: the active one)

    @property
    def pem(self) -> bytes:
        return x509.load_der_x509_crl(self.der).public_bytes(serialization.Encoding.PEM)


def revoke(store: Store, target: str, reason: str, *, now: datetime | None = None,
           actor: str | None = None) -> Revoked:
    """Revoke a device's certificates (by device ID) or one certificate (by serial).

    For a device, every certificate that is still unexpired and unrevoked is revoked: a lost monitor's
    superseded-but-in-grace certificate must die with the current one. Needs no CA key: the revocation is
    recorded at once (OCSP answers from the rows) and the key holder signs the next CRL (``crl_policy``).
    """
    require_role(store, Operation.REVOKE, target)
    if reason not in REASONS:
        raise InputError(f"Unknown revocation reason {reason!r}: use one of {', '.join(REASONS)}.")
    now = utc.now(now)
    c, d = schema.certificates, schema.devices
    with store.write() as conn:
        is_device = conn.execute(select(d.c.device_id).where(d.c.device_id == target)).first() is not None
        if is_device:
            rows = conn.execute(select(c.c.id, c.c.serial).where(and_(
                c.c.device_id == target, c.c.revoked_at.is_(None), c.c.not_after > utc.to_epoch(now)))).all()
            if not rows:
                last = conn.execute(select(c.c.serial, c.c.revoked_at, c.c.revocation_reason)
                                    .select_from(d.join(c, c.c.id == d.c.current_certificate_id))
                                    .where(d.c.device_id == target)).first()
                if last is not None and last.revoked_at is not None:
                    when = utc.from_epoch(last.revoked_at)
                    raise ConflictError(f"{target} is already revoked (serial {last.serial}, {last.revocation_reason}"
                                        f", {when:%Y-%m-%d %H:%M} UTC): nothing to do.")
                raise ConflictError(f"{target} has no valid certificate to revoke (it has expired): nothing to do.")
            subject = target
        else:
            serial = target.upper().removeprefix("0X").replace(":", "")
            row = conn.execute(select(c.c.id, c.c.serial, c.c.common_name, c.c.revoked_at, c.c.revocation_reason)
                               .where(c.c.serial.in_([serial, serial.lstrip("0"), "0" + serial]))).first()
            if row is None:
                raise NotFoundError(f"No device or certificate {target!r} is known: check the device ID or the "
                                    "serial.", hint=Hint(HintKind.FIND_DEVICE))
            if row.revoked_at is not None:
                raise ConflictError(f"Certificate {row.serial} ({row.common_name}) is already revoked "
                                    f"({row.revocation_reason}): nothing to do.")
            rows = [row]  # type: ignore[list-item]
            subject = row.common_name
        ids = [r.id for r in rows]
        conn.execute(update(c).where(c.c.id.in_(ids)).values(revoked_at=utc.to_epoch(now), revocation_reason=reason))
        conn.execute(schema.held_keys.delete().where(schema.held_keys.c.certificate_id.in_(ids)))
        serials = tuple(r.serial for r in rows)
        audit.append(conn, "cert.revoked", subject,
                     {"serials": list(serials), "reason": reason, "rfc5280": REASONS[reason].name},
                     actor=actor, now=now)
    return Revoked(serials, subject, reason, now)


def _revoked_entries(conn: Connection, ca_id: int, now: datetime) -> list[x509.RevokedCertificate]:
    """Unexpired revoked certificates, plus superseded ones whose grace period has ended.

    Read in the transaction that allocates the CRL number: read before it, a revocation committed in between
    would be missing from a CRL numbered after it.
    """
    c = schema.certificates
    # schema.ON_CRL is implied by the last condition; stated, it lets the database answer from the small
    # covering index ix_certificates_crl instead of reading every certificate with its DER.
    query = (select(c.c.serial, c.c.revoked_at, c.c.revocation_reason, schema.GRACE_ENDS)
             .where(and_(c.c.ca_id == ca_id, c.c.not_after > utc.to_epoch(now), schema.ON_CRL,
                         or_(c.c.revoked_at.is_not(None), schema.GRACE_ENDS <= utc.to_epoch(now))))
             .order_by(c.c.id))
    entries = []
    # Fetched in blocks (iterating the result fetched row by row, and .all() holds every row at once).
    for rows in conn.execute(query, execution_options={"yield_per": _FETCH_BLOCK}).partitions():
        for serial, revoked_at, reason, grace_ends in rows:
            if revoked_at is not None:
                builder, when = _ENTRY_BUILDERS.get(reason, _UNSPECIFIED), revoked_at
            else:
                builder, when = _SUPERSEDED, grace_ends
            entries.append(builder.serial_number(int(serial, 16))
                           .revocation_date(utc.from_epoch(when)).build())
    return entries


# A CRL valid for longer than this is a typing error, not a policy (and past it the dates overflow).
MAX_CRL_HOURS = 10 * 366 * 24
_LAST_CRL = select(schema.crls.c.this_update).order_by(schema.crls.c.number.desc()).limit(1)


def generate_crl(store: Store, ca: UnlockedCa, *, now: datetime | None = None, hours: int | None = None,
                 actor: str | None = None) -> CrlInfo:
    """Sign and store a new CRL; ``nextUpdate`` is ``thisUpdate`` + 48 h unless configured otherwise."""
    require_role(store, Operation.CRL_GENERATE)
    now = utc.now(now)
    hours = load_settings(store).crl_next_update_hours if hours is None else hours
    if not 1 <= hours <= MAX_CRL_HOURS:  # nextUpdate must come after thisUpdate (RFC 5280 §5.1.2.5)
        raise InputError(f"The CRL must stay valid for at least 1 hour and at most {MAX_CRL_HOURS} hours (ten "
                         f"years), not {hours}: use for example 48.")
    with store.write() as conn:
        number = int(conn.execute(select(func.coalesce(func.max(schema.crls.c.number), 0))).scalar_one()) + 1
        previous = conn.execute(_LAST_CRL).scalar_one_or_none()
        if previous is not None and utc.to_epoch(now) < previous:
            now = utc.from_epoch(previous)  # a clock that stepped back never dates a newer CRL before an older one
        entries = _revoked_entries(conn, ca.info.id, now)
        crl_continuity.check(conn, ca.key, ca.info.id, number, entries, now, store.home)
        next_update = now + timedelta(hours=hours)
        # The constructor takes the whole list: add_revoked_certificate() per entry is quadratic.
        builder = x509.CertificateRevocationListBuilder(
            issuer_name=ca.issuer.name, last_update=now, next_update=next_update,
            revoked_certificates=entries,
            extensions=[
                x509.Extension(x509.AuthorityKeyIdentifier.oid, False, ca.issuer.key_identifier),
                x509.Extension(x509.CRLNumber.oid, False, x509.CRLNumber(number)),
            ],
        )
        crl = builder.sign(ca.key, signature_hash(ca.key))
        der = crl.public_bytes(serialization.Encoding.DER)
        conn.execute(schema.crls.insert().values(number=number, ca_id=ca.info.id, this_update=utc.to_epoch(now),
                                                 next_update=utc.to_epoch(next_update), entries=len(entries), der=der))
        audit.append(conn, "crl.generated", ca.info.subject,
                     {"number": number, "entries": len(entries), "next_update": next_update.isoformat()},
                     actor=actor, now=now)
        record = checkpoints.write(conn, ca.checkpoint_signer, store.home)  # remembers this CRL's number
    if record is not None:
        record()
    return CrlInfo(number, now, next_update, len(entries), der, ca.info.id)


def latest_crl(store: Store, ca_id: int | None = None) -> CrlInfo | None:
    """The newest CRL of the active CA (or of the CA of store row ``ca_id``), or None if none was generated yet."""
    ca_id = require(store).id if ca_id is None else ca_id
    t = schema.crls
    with store.read() as conn:
        row = conn.execute(select(t).where(t.c.ca_id == ca_id).order_by(t.c.number.desc()).limit(1)).first()
    if row is None:
        return None
    return CrlInfo(row.number, utc.from_epoch(row.this_update),
                   utc.from_epoch(row.next_update), row.entries, row.der, row.ca_id)


def issued_unexpired(store: Store, ca_id: int, now: datetime) -> bool:
    """Whether the CA of store row ``ca_id`` issued a certificate that has not expired: until then an earlier
    issuing CA keeps signing its CRL (issue 12)."""
    c = schema.certificates
    with store.read() as conn:
        return conn.execute(select(c.c.id).where(c.c.ca_id == ca_id, c.c.not_after > utc.to_epoch(now))
                            .limit(1)).first() is not None


CRL_FILE = "crl"


def publish_folder(folder: str | Path) -> Path:
    """The folder CRLs are published to; an unset one is refused (check it before signing anything)."""
    if not str(folder).strip():
        raise InputError("No CRL publish folder is set: choose one in the settings (crl-publish-dir).")
    return Path(folder).expanduser()


def publish_crl(store: Store, crl: CrlInfo, folder: str | Path, *, actor: str | None = None,
                name: str = CRL_FILE) -> tuple[Path, Path]:
    """Write the CRL as ``crl.pem`` and ``crl.der`` (or ``name``.pem and .der: an earlier issuing CA's) into
    ``folder`` (the web server's directory), audited."""
    target = publish_folder(folder)
    written: list[Path] = []
    for suffix, data in (("pem", crl.pem), ("der", crl.der)):
        path = target / f"{name}.{suffix}"
        try:
            target.mkdir(parents=True, exist_ok=True)
            temporary = path.with_name(f".{path.name}.tmp")
            temporary.write_bytes(data)
            temporary.replace(path)  # a web server never serves half a CRL
        except OSError as error:
            raise InputError(f"Cannot write the CRL to {path} ({error.strerror}): check the folder "
                             "(crl-publish-dir) and its permissions.") from error
        written.append(path)
    audit.record(store, "crl.published", str(target), {"number": crl.number, "files": [p.name for p in written]},
                 actor=actor)
    return written[0], written[1]

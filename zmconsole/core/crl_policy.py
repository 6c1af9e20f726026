"""When a CRL is signed and where it goes: the one policy the command line, the console and the service follow.

Revoking signs a new CRL at once, and every new CRL is published to ``crl-publish-dir`` when that is set, so
the copy a web server hands out never falls behind the store (seed §2.3, §8). A CRL is *current* while it
is under a day old (the seed's daily distribution), before its nextUpdate, and lists every revocation
committed since it was signed; the service signs a new one as soon as it is not. Publishing can fail after
the CRL is signed and stored (a full disk, a missing folder): the outcome says so instead of raising, since
the revocation itself is done and must be reported as done.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from pathlib import Path

from cryptography import x509
from sqlalchemy import and_, or_, select

from zmconsole.core import revocation, schema, utc
from zmconsole.core.ca import ISSUING, ROOT, UnlockedCa, require
from zmconsole.core.errors import ConflictError, InputError, NotFoundError, ZmError
from zmconsole.core.revocation import CrlInfo, Revoked
from zmconsole.core.settings import load as load_settings
from zmconsole.core.store import Store

ROOT_CRL_FILE = "root-crl"  # the name a root's CRL is published under in crl-publish-dir
MAX_AGE = timedelta(hours=24)  # the seed's daily distribution (DOC-PROC-023 §8)


class CrlState(StrEnum):
    """Whether a CRL can still be handed out, and if not, why a new one is due."""

    CURRENT = "current"
    MISSING = "missing"  # none was signed yet
    EXPIRED = "expired"  # its nextUpdate has passed
    DUE = "due"  # a day old: the daily one is due
    BEHIND = "behind"  # a revocation (or a renewal's grace end) since it was signed is not on it


def crl_state(store: Store, crl: CrlInfo | None, *, now: datetime | None = None) -> CrlState:
    """Is ``crl`` (the newest, usually) current at ``now``? One answer for every front end."""
    if crl is None:
        return CrlState.MISSING
    now = utc.now(now)
    if crl.next_update <= now:
        return CrlState.EXPIRED
    if now - crl.this_update >= MAX_AGE:
        return CrlState.DUE
    c = schema.certificates
    since, t = utc.to_epoch(crl.this_update), utc.to_epoch(now)
    # What would be new on a CRL signed now: revocations at or after the CRL's second (it may or may not list
    # those of that very second), and superseded certificates whose grace ended since.
    query = select(c.c.serial).where(and_(
        c.c.ca_id == (crl.ca_id or require(store).id), c.c.not_after > t, schema.ON_CRL,
        or_(c.c.revoked_at >= since,
            and_(c.c.revoked_at.is_(None), schema.GRACE_ENDS >= since, schema.GRACE_ENDS <= t))))
    with store.read() as conn:
        serials = conn.execute(query).scalars().all()
    if serials:
        listed = x509.load_der_x509_crl(crl.der)
        if any(listed.get_revoked_certificate_by_serial_number(int(s, 16)) is None for s in serials):
            return CrlState.BEHIND
    return CrlState.CURRENT


#: What the console shows for a certificate revoked but not yet on a CRL (an officer revoked it without the CA
#: key; the key holder, the provisioning service, signs the next CRL within a minute).
REVOKED_CRL_PENDING = "revoked, CRL pending"


def pending_revocations(store: Store, *, now: datetime | None = None) -> set[str]:
    """Serials of the active CA revoked and unexpired that its newest CRL does not list yet.

    OCSP already answers "revoked" for them (it reads the rows); only the CRL is behind.
    """
    now = utc.now(now)
    latest = revocation.latest_crl(store)
    c = schema.certificates
    query = select(c.c.serial).where(and_(c.c.ca_id == require(store).id, c.c.revoked_at.is_not(None),
                                          c.c.not_after > utc.to_epoch(now), schema.ON_CRL))
    if latest is not None:
        query = query.where(c.c.revoked_at >= utc.to_epoch(latest.this_update))
    with store.read() as conn:
        serials = set(conn.execute(query).scalars())
    if latest is None or not serials:
        return serials
    listed = x509.load_der_x509_crl(latest.der)
    return {s for s in serials if listed.get_revoked_certificate_by_serial_number(int(s, 16)) is None}


def shown_status(status: str, serial: str, pending: set[str]) -> str:
    """A certificate's status as the console shows it: ``revoked, CRL pending`` until a CRL lists it."""
    return REVOKED_CRL_PENDING if status == "revoked" and serial in pending else status


@dataclass(frozen=True)
class Publication:
    """Where a newly signed CRL was published, or why it was not."""

    folder: Path | None  # crl-publish-dir; None when it is not set (nothing to publish to)
    files: tuple[Path, ...] = ()  # crl.pem and crl.der, once written
    error: ZmError | None = None  # why writing failed; the CRL is signed and stored all the same

    @property
    def published(self) -> bool:
        return bool(self.files)


@dataclass(frozen=True)
class SignedCrl:
    """A CRL just signed and stored, and what became of publishing it."""

    crl: CrlInfo
    publication: Publication
    #: The CRLs signed at the same time by earlier issuing CAs whose certificates have not all expired.
    older: tuple[SignedCrl, ...] = ()


def publish(store: Store, crl: CrlInfo, folder: str, *, actor: str | None = None,
            name: str = revocation.CRL_FILE) -> Publication:
    """Write ``crl`` to ``folder`` if one is set; a failure is returned, not raised (the CRL is already stored)."""
    if not folder.strip():
        return Publication(None)
    target = revocation.publish_folder(folder)
    try:
        return Publication(target, revocation.publish_crl(store, crl, target, actor=actor, name=name))
    except ZmError as error:
        return Publication(target, error=error)


def sign_and_publish(store: Store, ca: UnlockedCa, *, now: datetime | None = None, hours: int | None = None,
                     actor: str | None = None) -> SignedCrl:
    """Sign and store a new CRL, then publish it where ``crl-publish-dir`` says; an earlier issuing CA whose
    certificates have not all expired signs and publishes its own beside it."""
    now = utc.now(now)
    folder = load_settings(store).crl_publish_dir
    crl = revocation.generate_crl(store, ca, now=now, hours=hours, actor=actor)
    older = []
    for previous in ca.older:
        if revocation.issued_unexpired(store, previous.info.id, now):
            signed = revocation.generate_crl(store, previous, now=now, hours=hours, actor=actor)
            older.append(SignedCrl(signed, publish(store, signed, folder, actor=actor, name=previous.info.crl_name)))
    # A root's CRL is published as root-crl.pem/.der, so that it can sit beside its issuing CA's crl.pem; an
    # issuing CA's also as crl-SERIAL, the name its certificates' distribution point gives (CaInfo.crl_url).
    name = ROOT_CRL_FILE if ca.info.role == ROOT else revocation.CRL_FILE
    publication = publish(store, crl, folder, actor=actor, name=name)
    if ca.info.role == ISSUING and publication.published:
        own = publish(store, crl, folder, actor=actor, name=ca.info.crl_name)
        publication = Publication(publication.folder, publication.files + own.files, own.error)
    return SignedCrl(crl, publication, tuple(older))


@dataclass(frozen=True)
class RevocationOutcome:
    """What revoking did: revoked, refused (each with its error), and the new CRL with its publication."""

    revoked: tuple[Revoked, ...]
    refused: tuple[tuple[str, ZmError], ...]  # (device ID or serial, why)
    signed: SignedCrl | None  # None when nothing was revoked


def revoke_and_publish(store: Store, ca: UnlockedCa | None, targets: Sequence[str], reason: str, *,
                       now: datetime | None = None, actor: str | None = None) -> RevocationOutcome:
    """Revoke each target (each in its own transaction), then sign one CRL and publish it where configured.

    Without ``ca`` (an officer, who holds no CA key) nothing is signed: the revocations are recorded, OCSP
    answers from them at once, and the key holder (the provisioning service) signs the next CRL.

    A target that cannot be revoked (already revoked, expired, unknown) is refused with its error and does
    not stop the others; an unknown ``reason`` refuses the whole request before anything changes.
    """
    if reason not in revocation.REASONS:
        raise InputError(f"Unknown revocation reason {reason!r}: use one of {', '.join(revocation.REASONS)}.")
    now = utc.now(now)
    revoked: list[Revoked] = []
    refused: list[tuple[str, ZmError]] = []
    for target in targets:
        try:
            revoked.append(revocation.revoke(store, target, reason, now=now, actor=actor))
        except (ConflictError, NotFoundError) as error:
            refused.append((target, error))
    signed = sign_and_publish(store, ca, now=now, actor=actor) if revoked and ca is not None else None
    return RevocationOutcome(tuple(revoked), tuple(refused), signed)

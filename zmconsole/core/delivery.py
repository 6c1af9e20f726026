"""Issuing a certificate into a folder, so that it counts as issued only with its files, or with a way to get them.

The order, for ``device issue``, ``server issue`` and every row of a bulk import:

1. inside one transaction: the certificate is signed and recorded, a generated key is sealed in the store
   (``held_keys``), and every file is written in full under a temporary name beside its destination;
2. the commit;
3. the files get their names (:mod:`zmconsole.core.output_files`);
4. the held copy of the key is deleted, and its export audited.

So a full disk or an unwritable folder fails in step 1, and nothing was issued; a kill after step 2 leaves the
key both on disk (complete, encrypted, under a temporary name) and held in the store, so a rerun of the same
bulk import, or exporting the held key as PKCS#12, delivers it; and a failure in step 3 is reported as what it is:
issued, not delivered, and how to deliver it.
"""

from __future__ import annotations

import contextlib
import stat
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from cryptography import x509
from sqlalchemy import and_, exists, select

from zmconsole.core import audit, exports, output_files, schema, sealing, utc
from zmconsole.core.ca import UnlockedCa
from zmconsole.core.errors import Hint, HintKind
from zmconsole.core.issuance import Issued
from zmconsole.core.output_files import OutputError
from zmconsole.core.store import Store

#: Runs the issuance with the given ``before_commit`` (and ``hold_key`` for a generated key).
Issue = Callable[[Callable[[Issued], None]], Issued]


class NotDeliveredError(OutputError):
    """Issued and committed, but its files are not all in place; the message says how to deliver it."""


def issue_into(store: Store, out_dir: Path, issue: Issue, *, what: str, password: str | None, force: bool = False,
               actor: str | None = None) -> tuple[Issued, list[Path]]:
    """Issue (through ``issue``) and deliver into ``out_dir`` in the order above; returns the files written.

    Raises :class:`OutputError` saying nothing was issued when a file cannot be written, and
    :class:`NotDeliveredError` when the certificate was issued but its files could not be given their names.
    """
    staged: list[output_files.Staged] = []

    def before_commit(issued: Issued) -> None:
        staged.extend(exports.stage_issued(issued, out_dir, password=password, force=force))

    try:
        issued = issue(before_commit)
    except OutputError as error:
        exports.discard(staged)
        raise OutputError(f"Nothing was issued for {what}: {error}") from error
    except BaseException:
        exports.discard(staged)
        raise
    return issued, _finish(store, issued, staged, out_dir, actor=actor)


def _finish(store: Store, issued: Issued, staged: Sequence[output_files.Staged], out_dir: Path, *,
            actor: str | None, clean: bool = False) -> list[Path]:
    try:
        written = exports.publish(staged)
    except OutputError as error:
        held = issued.private_key is not None and issued.device_id is not None
        if issued.device_id is not None:
            exports.discard(staged)  # the store has what a later export needs
        raise _not_delivered(issued, out_dir, error, held=held) from error
    if clean:
        _remove_leftovers(written)
    if issued.private_key is not None:
        _release(store, issued, out_dir, actor=actor)
    return written


def _not_delivered(issued: Issued, out_dir: Path, error: OutputError, *, held: bool) -> NotDeliveredError:
    name = issued.common_name
    done = f"{name} was issued (serial {issued.serial}), but its files are not all in {out_dir}: {error}"
    if held:
        return NotDeliveredError(f"{done} The console still holds its key.", hint=Hint(HintKind.DELIVER_HELD_KEY, name))
    if issued.device_id is not None:
        return NotDeliveredError(done, hint=Hint(HintKind.EXPORT_CERTIFICATE, name))
    return NotDeliveredError(f"{done} The complete files are still in {out_dir} under temporary names "
                             f"(.{name}.*.tmp).")


def _release(store: Store, issued: Issued, out_dir: Path, *, actor: str | None) -> None:
    """The key is on disk under its name: delete the held copy and audit the export, in one transaction."""
    h = schema.held_keys
    with store.write() as conn:
        deleted = conn.execute(h.delete().where(h.c.certificate_id == issued.record_id)).rowcount
        details: dict[str, object] = {"serial": issued.serial, "format": "pkcs8+p12", "to": str(out_dir)}
        if deleted:
            details["held_copy"] = "deleted"
        audit.append(conn, "key.exported", issued.common_name, details, actor=actor)


def _remove_leftovers(written: Sequence[Path]) -> None:
    """Temporary files an interrupted delivery of the same files left beside them."""
    for path in written:
        for leftover in path.parent.glob(output_files.temp_pattern(path)):
            with contextlib.suppress(OSError):
                if stat.S_ISREG(leftover.lstat().st_mode):
                    leftover.unlink()


# --- resuming an interrupted delivery ------------------------------------------------------------------------

@dataclass(frozen=True)
class Earlier:
    """A device's usable certificate with a console-generated key, as an earlier run may have left it."""

    record_id: int
    serial: str
    ca_id: int
    device_id: str
    key_type: str
    certificate: x509.Certificate
    sealed: bytes | None  # the held key, if it was never delivered

    def delivered_into(self, out_dir: Path) -> bool:
        """Its certificate file in ``out_dir`` is this certificate: the delivery there got that far."""
        path = out_dir / f"{self.device_id}.crt.pem"
        try:
            return path.is_file() and not path.is_symlink() and path.read_bytes() == exports.certificate_bytes(
                self.certificate, "pem")
        except OSError:
            return False


_c, _d, _h, _p = schema.certificates, schema.devices, schema.held_keys, schema.pairings
_EARLIER = (select(_c.c.id, _c.c.serial, _c.c.ca_id, _c.c.key_type, _c.c.der, _h.c.sealed)
            .select_from(_d.join(_c, _c.c.id == _d.c.current_certificate_id)
                         .outerjoin(_h, _h.c.certificate_id == _c.c.id)))


def earlier(store: Store, device_id: str, now: datetime) -> Earlier | None:
    """The device's usable certificate if its key was generated here and it is not a pairing's (a pairing's
    held key is for the device to pull, never for a folder)."""
    with store.read() as conn:
        row = conn.execute(_EARLIER.where(and_(
            _d.c.device_id == device_id, _c.c.key_source == "generated", _c.c.revoked_at.is_(None),
            _c.c.superseded_at.is_(None), _c.c.not_after > utc.to_epoch(now),
            ~exists().where(_p.c.certificate_id == _c.c.id)))).first()
    if row is None:
        return None
    return Earlier(row.id, row.serial, row.ca_id, device_id, row.key_type, x509.load_der_x509_certificate(row.der),
                   row.sealed)


def deliver_held(store: Store, ca: UnlockedCa, held: Earlier, out_dir: Path, *, password: str,
                 actor: str | None = None) -> list[Path]:
    """Deliver a key an interrupted run issued and still holds, under ``password``; files that run already put
    in ``out_dir`` for this certificate are replaced, its leftover temporary files removed."""
    assert held.sealed is not None
    key = sealing.unseal(held.sealed, ca.key, label=held.serial)
    issued = Issued(held.record_id, held.serial, held.certificate, (ca.certificate,), "device", held.device_id,
                    held.device_id, held.key_type, key, clamped=False)
    staged = exports.stage_issued(issued, out_dir, password=password, force_keys=held.delivered_into(out_dir))
    return _finish(store, issued, staged, out_dir, actor=actor, clean=True)

"""Issuing a certificate into a folder, so that it counts as issued only with its files, or with a way to get them.

The order, for ``device issue``, ``server issue`` and every row of a bulk import:

1. before the write lock: the key is generated, every destination checked, the CA certificate and the
   encrypted key written in full under temporary names beside their destinations, and the disk space of the
   certificate and the PKCS#12 taken (``posix_fallocate``);
2. inside one transaction: the certificate is signed and recorded, a generated key sealed in the store
   (``held_keys``), and the certificate written into its space;
3. the commit;
4. the PKCS#12 is written into its space, and the files get their names (:mod:`zmconsole.core.output_files`);
5. the held copy of the key is deleted, and its export audited.

So a full disk or an unwritable folder fails before the commit, and nothing was issued; a kill after the
commit leaves the key both on disk (complete, encrypted, under a temporary name) and held in the store, so a
rerun of the same bulk import, or exporting the held key as PKCS#12, delivers it; and a failure in step 4 is
reported as what it is: issued, not delivered, and how to deliver it. The slow part, the key's encryption
(600,000 PBKDF2 rounds per file), runs outside the write lock, so the service is not kept waiting.
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

from zmconsole.core import audit, exports, keyfiles, keys, output_files, schema, sealing, utc
from zmconsole.core.ca import UnlockedCa
from zmconsole.core.errors import Hint, HintKind, InputError
from zmconsole.core.issuance import Issued
from zmconsole.core.output_files import OutputError
from zmconsole.core.store import Store

#: Runs the issuance with the key generated for it (or None for a CSR) and the ``before_commit`` to pass on,
#: with ``hold_key`` for a generated key.
Issue = Callable[[keys.PrivateKey | None, Callable[[Issued], None]], Issued]

_CERTIFICATE_SPACE = 8 * 1024  # a leaf certificate in PEM is 1-3 KiB
_PKCS12_SPACE = 16 * 1024  # key, certificate and CA certificate: 3-7 KiB


class NotDeliveredError(OutputError):
    """Issued and committed, but its files are not all in place; the message says how to deliver it."""


class _Files:
    """One delivery's files, prepared before the write lock is taken: every destination checked, the CA
    certificate and the encrypted key written in full (the slow part: 600,000 PBKDF2 rounds), and the disk
    space of the certificate and the PKCS#12 taken, so writing them later cannot meet a full disk."""

    def __init__(self, out_dir: Path, name: str, ca_chain: Sequence[x509.Certificate], *, key: keys.PrivateKey | None,
                 password: str | None, force: bool) -> None:
        self.name, self.key, self.password = name, key, password
        self.reserved: list[output_files.Reserved] = []
        self.staged: dict[str, output_files.Staged] = {}
        try:
            self.certificate = self._reserve(out_dir / f"{name}.crt.pem", private=False, force=force,
                                             size=_CERTIFICATE_SPACE)
            self.staged["ca"] = output_files.stage(out_dir / "ca.crt.pem",
                                                   exports.bundle_bytes(ca_chain), force=force)
            if key is not None:
                if password is None:
                    raise InputError("A generated key needs a password to be written encrypted.")
                exports.check_key_password(password)
                self.staged["key"] = output_files.stage(out_dir / f"{name}.key.pem",
                                                        keyfiles.encrypt_pkcs8(key, password), private=True,
                                                        force=force)
                self.pkcs12 = self._reserve(out_dir / f"{name}.p12", private=True, force=force, size=_PKCS12_SPACE)
        except BaseException:
            self.discard()
            raise

    def _reserve(self, path: Path, *, private: bool, force: bool, size: int) -> output_files.Reserved:
        reserved = output_files.reserve(path, private=private, force=force, size=size)
        self.reserved.append(reserved)
        return reserved

    def write_certificate(self, issued: Issued) -> None:
        """Inside the transaction: the certificate into the space taken for it."""
        self.staged["crt"] = self.certificate.fill(issued.pem)

    def complete(self, issued: Issued) -> list[output_files.Staged]:
        """After the commit: the PKCS#12 into its space; the files in the order they get their names."""
        if self.key is not None:
            assert self.password is not None
            self.staged["p12"] = self.pkcs12.fill(keyfiles.pkcs12(
                self.key, issued.certificate, issued.chain, name=self.name, password=self.password))
        return [self.staged[k] for k in ("crt", "ca", "key", "p12") if k in self.staged]

    def discard(self) -> None:
        for reserved in self.reserved:
            reserved.discard()
        exports.discard(list(self.staged.values()))


def issue_into(store: Store, ca_chain: Sequence[x509.Certificate], out_dir: Path, issue: Issue, *, name: str,
               key_type: str | None, password: str | None, force: bool = False,
               actor: str | None = None) -> tuple[Issued, list[Path]]:
    """Issue (through ``issue``) and deliver into ``out_dir`` in the order above; returns the files written.

    ``key_type`` generates the key here, before the write lock (None: the certificate is for a CSR). Raises
    :class:`OutputError` saying nothing was issued when a file cannot be written, and
    :class:`NotDeliveredError` when the certificate was issued but its files could not be completed.
    """
    if key_type is not None and key_type not in keys.LEAF_KEY_TYPES:
        raise InputError(f"The key type must be one of {', '.join(keys.LEAF_KEY_TYPES)}, not {key_type!r}.")
    key = keys.generate(key_type) if key_type is not None else None
    try:
        files = _Files(out_dir, name, ca_chain, key=key, password=password, force=force)
    except OutputError as error:
        raise OutputError(f"Nothing was issued for {name}: {error}", hint=error.hint) from error
    try:
        issued = issue(key, files.write_certificate)
    except OutputError as error:
        files.discard()
        raise OutputError(f"Nothing was issued for {name}: {error}", hint=error.hint) from error
    except BaseException:
        files.discard()
        raise
    try:
        staged = files.complete(issued)
    except OutputError as error:
        if issued.device_id is not None:
            files.discard()  # the store holds what a later export needs
        raise _not_delivered(issued, out_dir, error) from error
    return issued, _finish(store, issued, staged, out_dir, actor=actor, clean=True)


def _finish(store: Store, issued: Issued, staged: Sequence[output_files.Staged], out_dir: Path, *,
            actor: str | None, clean: bool = False) -> list[Path]:
    try:
        written = exports.publish(staged)
    except OutputError as error:
        if issued.device_id is not None:
            exports.discard(staged)  # the store holds what a later export needs
        raise _not_delivered(issued, out_dir, error) from error
    if clean:
        _remove_leftovers(written)
    if issued.private_key is not None:
        _release(store, issued, out_dir, actor=actor)
    return written


def _not_delivered(issued: Issued, out_dir: Path, error: OutputError) -> NotDeliveredError:
    name = issued.common_name
    done = f"{name} was issued (serial {issued.serial}), but its files are not all in {out_dir}: {error}"
    if issued.private_key is not None and issued.device_id is not None:  # held until delivered
        return NotDeliveredError(f"{done} The console still holds its key.",
                                 hint=Hint(HintKind.DELIVER_HELD_KEY, name))
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
    issued = Issued(held.record_id, held.serial, held.certificate, ca.chain, "device", held.device_id,
                    held.device_id, held.key_type, key, clamped=False)
    staged = exports.stage_issued(issued, out_dir, password=password, force_keys=held.delivered_into(out_dir))
    return _finish(store, issued, staged, out_dir, actor=actor, clean=True)

"""Getting certificates and keys out of the console: PEM, DER, PKCS#12, encrypted PKCS#8.

A private key leaves only encrypted (AES-256), and every export of a key is an
audit event. A key the console generated and held is deleted from the store
once it has been delivered in a PKCS#12: the console keeps it only until then.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from sqlalchemy import select

from zmconsole.core import audit, keyfiles, output_files, schema, sealing
from zmconsole.core.ca import UnlockedCa
from zmconsole.core.errors import InputError, NotFoundError
from zmconsole.core.inventory import CertificateRecord
from zmconsole.core.issuance import Issued
from zmconsole.core.roles import Operation
from zmconsole.core.roles import require as require_role
from zmconsole.core.store import Store

FORMATS = ("pem", "der", "p12")
MIN_KEY_PASSWORD = 8
_MAX_CRL_FILE = 256 * 1024 * 1024


def random_password() -> str:
    """A password for an exported key, to be shown once: 120 bits, no look-alike characters."""
    alphabet = "abcdefghijkmnpqrstuvwxyzACDEFGHJKLMNPQRTUVWXY346789"
    return "-".join("".join(secrets.choice(alphabet) for _ in range(5)) for _ in range(5))


def check_key_password(password: str) -> str:
    if len(password) < MIN_KEY_PASSWORD:
        raise InputError(f"The key password is too short ({len(password)} characters): use at least "
                         f"{MIN_KEY_PASSWORD}.")
    return password


def write_file(path: Path, data: bytes, *, private: bool = False, force: bool = False) -> Path:
    """Write ``data`` to ``path`` in full or not at all; a file holding a (still encrypted) key or a secret is
    0600. Never through a symbolic link, and never over an existing file unless ``force``
    (:mod:`zmconsole.core.output_files`)."""
    return output_files.write(path, data, private=private, force=force)


def is_crl_file(path: Path) -> bool:
    """``path`` is a regular file holding a CRL (PEM or DER): publishing a new CRL replaces it, as it must."""
    try:
        if not path.is_file() or path.is_symlink() or path.stat().st_size > _MAX_CRL_FILE:
            return False
        data = path.read_bytes()
    except OSError:
        return False
    try:
        if data.lstrip().startswith(b"-----BEGIN X509 CRL-----"):
            x509.load_pem_x509_crl(data)
        else:
            x509.load_der_x509_crl(data)
    except ValueError:
        return False
    return True


def certificate_bytes(cert: x509.Certificate, fmt: str) -> bytes:
    if fmt == "pem":
        return cert.public_bytes(serialization.Encoding.PEM)
    if fmt == "der":
        return cert.public_bytes(serialization.Encoding.DER)
    raise InputError(f"Unknown format {fmt!r}: use pem or der (p12 needs the key).")


def bundle_bytes(chain: Sequence[x509.Certificate]) -> bytes:
    """A CA bundle (``ca.crt.pem``): the issuing CA, then the root above it; one certificate for a single CA."""
    return b"".join(certificate_bytes(cert, "pem") for cert in chain)


def has_held_key(store: Store, record_id: int) -> bool:
    with store.read() as conn:
        return conn.execute(select(schema.held_keys.c.certificate_id)
                            .where(schema.held_keys.c.certificate_id == record_id)).first() is not None


def export_pkcs12(store: Store, ca: UnlockedCa, record: CertificateRecord, *, password: str,
                  deliver: Callable[[bytes], object] | None = None, now: datetime | None = None,
                  actor: str | None = None) -> bytes:
    """Deliver a held key with its certificate and the CA chain; the held copy is then deleted.

    The key was sealed by the CA that issued the certificate, which after an issuing CA rolled over is one of
    ``ca.older``; the chain in the PKCS#12 is that CA's, up to the root.

    ``deliver`` (writing the file) runs inside the transaction, before the held copy is deleted: if it
    fails, nothing changes and the console still holds the key, so the export can be run again.
    """
    require_role(store, Operation.CERTIFICATE_EXPORT, record.common_name)
    check_key_password(password)
    h = schema.held_keys
    with store.write() as conn:
        held = conn.execute(select(h.c.sealed, schema.certificates.c.ca_id)
                            .join(schema.certificates, schema.certificates.c.id == h.c.certificate_id)
                            .where(h.c.certificate_id == record.id)).first()
        issuer = None if held is None else ca.by_id(held.ca_id)
        if held is None or issuer is None:
            raise NotFoundError(
                f"The console does not hold the private key of {record.common_name} (serial {record.serial}): "
                "its key was made on the device, or was already delivered (the console keeps a key only until then). "
                "Export PEM or DER instead.")
        key = sealing.unseal(held.sealed, issuer.key, label=record.serial)
        data = keyfiles.pkcs12(key, record.certificate, list(issuer.chain), name=record.common_name,
                               password=password)
        if deliver is not None:
            deliver(data)
        conn.execute(h.delete().where(h.c.certificate_id == record.id))
        audit.append(conn, "key.exported", record.common_name,
                     {"serial": record.serial, "format": "p12", "held_copy": "deleted"}, actor=actor, now=now)
    return data


def export_certificate(store: Store, record: CertificateRecord, fmt: str, *, now: datetime | None = None,
                       actor: str | None = None) -> bytes:
    require_role(store, Operation.CERTIFICATE_EXPORT, record.common_name)
    data = certificate_bytes(record.certificate, fmt)
    audit.record(store, "cert.exported", record.common_name, {"serial": record.serial, "format": fmt},
                 actor=actor, now=now)
    return data


def stage_issued(issued: Issued, out_dir: Path, *, password: str | None, force: bool = False,
                 force_keys: bool = False) -> list[output_files.Staged]:
    """The files ``device issue`` / ``server issue`` leave in DIR, complete under temporary names: the
    certificate, the CA, and, for a generated key, that key encrypted (PKCS#8 and PKCS#12, AES-256) under
    ``password``. Every destination is checked here, before the caller commits; they are published in this
    order, the certificate first, so a certificate file that matches says the key files beside it are this
    delivery's own (``force_keys`` replaces those)."""
    name = issued.common_name
    wanted = [(f"{name}.crt.pem", issued.pem, False), ("ca.crt.pem", bundle_bytes(issued.chain), False)]
    if issued.private_key is not None:
        if password is None:
            raise InputError("A generated key needs a password to be written encrypted.")
        check_key_password(password)
        wanted += [(f"{name}.key.pem", keyfiles.encrypt_pkcs8(issued.private_key, password), True),
                   (f"{name}.p12", keyfiles.pkcs12(issued.private_key, issued.certificate, issued.chain, name=name,
                                                    password=password), True)]
    staged: list[output_files.Staged] = []
    try:
        for filename, data, private in wanted:
            staged.append(output_files.stage(out_dir / filename, data, private=private,
                                             force=force or (private and force_keys)))
    except BaseException:
        discard(staged)
        raise
    return staged


def publish(staged: Sequence[output_files.Staged]) -> list[Path]:
    return [one.publish() for one in staged]


def discard(staged: Sequence[output_files.Staged]) -> None:
    for one in staged:
        one.discard()


def write_issued(store: Store, issued: Issued, out_dir: Path, *, password: str | None = None, force: bool = False,
                 actor: str | None = None) -> list[Path]:
    """Write the files of :func:`stage_issued` for a certificate already issued, and audit a key's export."""
    staged = stage_issued(issued, out_dir, password=password, force=force)
    try:
        written = publish(staged)
    finally:
        discard(staged)
    if issued.private_key is not None:
        audit.record(store, "key.exported", issued.common_name, {"serial": issued.serial, "format": "pkcs8+p12",
                                                                 "to": str(out_dir)}, actor=actor)
    return written

"""A new CRL never un-revokes a certificate, and its number never falls back (issue 8 item 6).

Someone who can write the database can clear a revocation and delete the CRL rows; the next CRL would then
leave the certificate out and restart its numbering. Two things the forger cannot change stop that: the last
CRL number remembered by the signed audit checkpoint (or the external head record), and the previous CRL,
whose signature is the CA's. A certificate may leave the CRL only once it has expired (RFC 5280 §3.3, §5).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from cryptography import x509
from sqlalchemy import Connection, select

from zmconsole.core import checkpoints, keys, profiles, schema
from zmconsole.core.errors import IntegrityError

_RESTORE = ("Nothing was signed. Restore the store from a backup and compare `zmconsole audit verify` with the "
            "head you kept.")


def check(conn: Connection, ca_key: keys.PrivateKey, ca_id: int, number: int,
          entries: list[x509.RevokedCertificate], now: datetime, home: Path | None) -> None:
    """Refuse CRL ``number`` with ``entries`` if the store was changed to drop a revocation or a CRL."""
    remembered = checkpoints.last_signed_crl(conn, home)
    if remembered is not None and number <= remembered[0]:
        raise IntegrityError(f"The store was changed: {remembered[1]} says CRL #{remembered[0]} was already "
                             f"signed, but the store's newest CRL is #{number - 1}, so CRLs were deleted. "
                             + _RESTORE)
    crls = schema.crls
    row = conn.execute(select(crls.c.number, crls.c.der).where(crls.c.ca_id == ca_id)
                       .order_by(crls.c.number.desc()).limit(1)).first()
    if row is None:
        return
    previous = x509.load_der_x509_crl(row.der)
    try:
        stated = previous.extensions.get_extension_for_class(x509.CRLNumber).value.crl_number
    except x509.ExtensionNotFound:
        stated = None
    if stated != row.number or not previous.is_signature_valid(ca_key.public_key()):
        raise IntegrityError(f"The store was changed: the stored CRL #{row.number} is not the one the CA signed. "
                             + _RESTORE)
    kept = {entry.serial_number for entry in entries}
    dropped = [revoked.serial_number for revoked in previous if revoked.serial_number not in kept]
    if not dropped:
        return
    certificates = schema.certificates
    ders = dict(conn.execute(select(certificates.c.serial, certificates.c.der)
                             .where(certificates.c.serial.in_([profiles.serial_hex(s) for s in dropped]))).all())
    for serial in dropped:
        der = ders.get(profiles.serial_hex(serial))
        # The certificate's own (CA-signed) expiry, not the store's copy of it, decides.
        if der is None or x509.load_der_x509_certificate(der).not_valid_after_utc > now:
            raise IntegrityError(f"The store was changed: CRL #{row.number} lists serial "
                                 f"{profiles.serial_hex(serial)}, which has not expired, and the new CRL would "
                                 "drop it (its revocation was removed from the store). " + _RESTORE)

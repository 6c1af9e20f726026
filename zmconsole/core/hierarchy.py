"""A two-level hierarchy: an offline root signs issuing CAs, each issuing CA signs devices (issue 12).

The root's store and the issuing CA's store are different data directories, usually on different machines;
only files cross between them, by hand:

1. the issuing store makes its key and a request (:func:`request_issuing`): the key never leaves it, and
   the store is *pending* until step 3;
2. the root's store signs the request (:func:`sign_issuing`), taking only the subject and the key from it;
3. the issuing store installs the certificate with the root's (:func:`install_issuing`), after checking that
   it is for the pending key and that it chains to that root.

Rolling over is the same three steps again in an issuing store that already has an active CA: the new CA
takes over issuance at step 3, the old one keeps signing the CRL and OCSP answers of its certificates until
they have expired. Devices pin the root, so they never need pairing again for this. The root can revoke an
issuing CA (:func:`revoke_issuing`); its own CRL then lists it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.x509.oid import NameOID
from sqlalchemy import select, update

from zmconsole.core import audit, ca, checkpoints, keys, profiles, schema, token_keys, utc
from zmconsole.core.errors import ConflictError, InputError, NotFoundError, WrongPassphraseError
from zmconsole.core.roles import Operation
from zmconsole.core.roles import require as require_role
from zmconsole.core.settings import load as load_settings
from zmconsole.core.store import Store

#: certificates.kind of an issuing CA signed in a root's store.
ISSUING_KIND = "issuing-ca"
#: How long the root signs an issuing CA for unless told otherwise (clamped to the root's own end).
DEFAULT_ISSUING_DAYS = 3650
#: ``ca revoke-issuing --reason``: the operator's word, and the reason stored (and put on the root's CRL).
REVOKE_REASONS = {"compromised": "ca-compromised", "superseded": "superseded"}
_MAX_FILE = 1024 * 1024


class Shape(StrEnum):
    """What a store is in a hierarchy (``ca show --json``'s ``shape``)."""

    SINGLE = "single"  # one CA that signs devices itself (plain ``ca init`` or ``ca import``)
    ROOT = "root"  # the offline root: signs issuing CAs and its CRL only
    ISSUING = "issuing"  # an issuing CA under a root kept elsewhere (possibly still pending)


@dataclass(frozen=True)
class PendingRequest:
    """An issuing CA's key and request, waiting in its store for the root's certificate."""

    id: int
    subject: str
    key_type: str
    csr: x509.CertificateSigningRequest
    created_at: datetime
    token: token_keys.TokenRef | None = None  # where the key is, when a PKCS#11 token holds it

    @property
    def pem(self) -> bytes:
        return self.csr.public_bytes(serialization.Encoding.PEM)


def pending(store: Store) -> PendingRequest | None:
    t = schema.ca_requests
    with store.read() as conn:
        row = conn.execute(select(t).order_by(t.c.id).limit(1)).first()
    if row is None:
        return None
    return PendingRequest(row.id, row.subject, row.key_type, x509.load_der_x509_csr(row.csr_der),
                          utc.from_epoch(row.created_at),
                          token_keys.TokenRef.decode(row.key_pem) if token_keys.is_reference(row.key_pem) else None)


def shape(store: Store) -> Shape | None:
    """The store's shape, or None when it holds no CA and no pending request."""
    info = ca.current(store)
    if info is not None:
        return Shape(info.role)
    return Shape.ISSUING if pending(store) is not None else None


@dataclass(frozen=True)
class SignedIssuing:
    """An issuing CA certificate the root just signed (recorded in the root's store)."""

    serial: str
    certificate: x509.Certificate
    clamped: bool  # its end was cut to the root's own

    @property
    def pem(self) -> bytes:
        return self.certificate.public_bytes(serialization.Encoding.PEM)


@dataclass(frozen=True)
class IssuedCa:
    """One issuing CA a root signed, as its store records it."""

    serial: str
    subject: str
    not_after: datetime
    revoked_at: datetime | None
    revocation_reason: str | None
    fingerprint: str


# --- 1. the issuing store makes its key and request ------------------------------------------------------

def check_can_request(store: Store) -> ca.CaInfo | None:
    """Refuse a request where it cannot go; returns the active issuing CA a new one would roll over from.

    Front ends call it before asking for a passphrase; :func:`request_issuing` checks again in its transaction.
    """
    current = ca.current(store)
    if current is not None and current.role != ca.ISSUING:
        raise ConflictError(f"This store holds a {current.role} CA ({current.subject}): an issuing CA needs a data "
                            "directory of its own, on the issuing host. Nothing was created.")
    waiting = pending(store)
    if waiting is not None:
        raise ConflictError(f"This store already waits for the certificate of its issuing CA {waiting.subject} "
                            f"(requested {waiting.created_at:%Y-%m-%d %H:%M} UTC): install that certificate first. "
                            "Nothing was created.")
    if current is None:
        ca.check_absent(store)
    return current


def request_issuing(store: Store, *, subject: x509.Name, passphrase: str, key_type: str = "rsa4096",
                    now: datetime | None = None, actor: str | None = None,
                    token: token_keys.TokenSpec | None = None) -> PendingRequest:
    """Make an issuing CA key in this store (or in ``token``) and the request the root signs; the store is
    pending until :func:`install_issuing`. In a store that already has an issuing CA (rolling over),
    ``passphrase`` (the token's PIN for a token key) must be that CA's: every CA key of a store opens with the
    one secret."""
    require_role(store, Operation.CA_CREATE)
    if token is None:
        ca.check_new_passphrase(passphrase)
    ca.check_key_type(key_type)
    current = check_can_request(store)
    if current is not None:
        _check_store_passphrase(store, current, passphrase if token is None else token.pin)
    now = utc.now(now)
    key, key_pem = ca.new_key(key_type, passphrase, token)
    try:
        return _store_request(store, key, key_pem, subject, key_type, current, now, actor)
    except BaseException:
        ca.discard_key(key)  # nothing was stored: a token is left as it was
        raise


def _store_request(store: Store, key: keys.PrivateKey, key_pem: bytes, subject: x509.Name, key_type: str,
                   current: ca.CaInfo | None, now: datetime, actor: str | None) -> PendingRequest:
    csr = profiles.issuing_request(key, subject)
    t = schema.ca_requests
    with store.write() as conn:
        if conn.execute(select(t.c.id)).first() is not None:  # another process got here first
            raise ConflictError("This store already waits for the certificate of an issuing CA: install that "
                                "certificate first. Nothing was created.")
        active = conn.execute(select(schema.cas.c.role).where(schema.cas.c.active.is_(True))).scalar_one_or_none()
        if active not in (None, ca.ISSUING):
            raise ConflictError(f"This store holds a {active} CA: an issuing CA needs a data directory of its own.")
        conn.execute(t.insert().values(subject=subject.rfc4514_string(), key_type=key_type, key_pem=key_pem,
                                       csr_der=csr.public_bytes(serialization.Encoding.DER),
                                       created_at=utc.to_epoch(now)))
        audit.append(conn, "ca.issuing_requested", subject.rfc4514_string(),
                     {"key_type": key_type, "rolls_over": None if current is None else current.fingerprint},
                     actor=actor, now=now)
    made = pending(store)
    assert made is not None
    return made


def _check_store_passphrase(store: Store, current: ca.CaInfo, passphrase: str) -> None:
    with store.read() as conn:
        key_pem = conn.execute(select(schema.cas.c.key_pem).where(schema.cas.c.id == current.id)).scalar_one()
    try:
        ca.open_key(key_pem, passphrase)
    except WrongPassphraseError as error:
        raise WrongPassphraseError(f"The passphrase does not open the active CA of this store ({current.subject}): "
                                   "a new issuing CA's key is kept under the same passphrase, so give that one. "
                                   "Nothing was created.") from error


# --- 2. the root signs it --------------------------------------------------------------------------------

def _require_root(unlocked: ca.UnlockedCa) -> None:
    if unlocked.info.role != ca.ROOT:
        raise ConflictError(f"This store holds a {unlocked.info.role} CA ({unlocked.info.subject}), not a root: "
                            "issuing CAs are signed and revoked in the root's store. Nothing was changed.")


def _load_csr(data: bytes) -> x509.CertificateSigningRequest:
    try:
        csr = x509.load_pem_x509_csr(data) if b"-----BEGIN" in data else x509.load_der_x509_csr(data)
        csr.subject  # noqa: B018 - decoded on access: fail here, where it can be explained
    except (ValueError, x509.InvalidVersion) as error:
        raise InputError("The issuing CA request cannot be read (it is not a PEM or DER certificate request, or "
                         "it is truncated): copy the .csr file made in the issuing store again. Nothing was "
                         "signed.") from error
    if not csr.is_signature_valid:
        raise InputError("The issuing CA request's signature does not verify (the file was altered or damaged): "
                         "copy it again from the issuing store. Nothing was signed.")
    return csr


def _check_request(csr: x509.CertificateSigningRequest, root: ca.CaInfo) -> keys.PublicKey:
    public = csr.public_key()
    if not isinstance(public, keys.PublicKey) or keys.describe(public) not in keys.CA_KEY_TYPES:
        raise InputError(f"The issuing CA request's key is not one a CA may have (use one of "
                         f"{', '.join(keys.CA_KEY_TYPES)}): make the request again. Nothing was signed.")
    names = {oid: csr.subject.get_attributes_for_oid(oid) for oid in (NameOID.COMMON_NAME, NameOID.ORGANIZATION_NAME)}
    if any(len(found) != 1 for found in names.values()):
        raise InputError(f"The issuing CA request's subject ({csr.subject.rfc4514_string() or 'empty'}) needs "
                         "exactly one common name (CN) and one organisation (O). Nothing was signed.")
    if csr.subject == root.certificate.subject:
        raise InputError("The issuing CA request has the root's own name: give the issuing CA a name of its own. "
                         "Nothing was signed.")
    if keys.spki(public) == keys.spki(root.certificate.public_key()):
        raise InputError("The issuing CA request carries the root's own key: it was not made in an issuing store. "
                         "Nothing was signed.")
    return public


def sign_issuing(store: Store, root: ca.UnlockedCa, csr_data: bytes, *, days: int | None = None,
                 now: datetime | None = None, actor: str | None = None) -> SignedIssuing:
    """Sign an issuing CA's request with the root (pathLen 0, keyCertSign and cRLSign, AKI the root's SKI),
    and record it in the root's store so that it can be revoked and listed on the root's CRL."""
    require_role(store, Operation.CA_CREATE)
    _require_root(root)
    days = DEFAULT_ISSUING_DAYS if days is None else days
    ca.check_days(days)
    csr = _load_csr(csr_data)
    public = _check_request(csr, root.info)
    now = utc.now(now)
    not_after = now + timedelta(days=days)
    clamped = not_after > root.info.not_after
    not_after = min(not_after, root.info.not_after)
    if not_after <= now + timedelta(days=1):
        raise ConflictError(f"The root expires on {root.info.not_after:%Y-%m-%d}: make a new root before signing "
                            "issuing CAs. Nothing was signed.")
    serial = x509.random_serial_number()
    cert = profiles.issuing_ca_certificate(
        root_key=root.key, root=root.issuer, public_key=public, subject=csr.subject,
        not_before=now - profiles.CLOCK_SKEW, not_after=not_after,
        urls=profiles.Urls(crl=load_settings(store).crl_url), serial=serial)
    serial_text = profiles.serial_hex(serial)
    common_name = str(csr.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value)
    with store.write() as conn:
        conn.execute(schema.certificates.insert().values(
            serial=serial_text, kind=ISSUING_KIND, common_name=common_name, device_id=None, ca_id=root.info.id,
            not_before=utc.to_epoch(cert.not_valid_before_utc), not_after=utc.to_epoch(cert.not_valid_after_utc),
            issued_at=utc.to_epoch(now), key_type=keys.describe(public), key_source="csr",
            fingerprint=ca.fingerprint(cert), der=cert.public_bytes(serialization.Encoding.DER), made_by="issued"))
        audit.append(conn, "ca.issuing_signed", csr.subject.rfc4514_string(),
                     {"serial": serial_text, "fingerprint": ca.fingerprint(cert),
                      "not_after": cert.not_valid_after_utc.isoformat()}, actor=actor, now=now)
    return SignedIssuing(serial_text, cert, clamped)


def issued_cas(store: Store) -> list[IssuedCa]:
    """The issuing CAs this store's root signed, oldest first."""
    c = schema.certificates
    with store.read() as conn:
        rows = conn.execute(select(c.c.serial, c.c.common_name, c.c.der, c.c.not_after, c.c.revoked_at,
                                   c.c.revocation_reason, c.c.fingerprint)
                            .where(c.c.kind == ISSUING_KIND).order_by(c.c.id)).all()
    return [IssuedCa(r.serial, x509.load_der_x509_certificate(r.der).subject.rfc4514_string(),
                     utc.from_epoch(r.not_after), None if r.revoked_at is None else utc.from_epoch(r.revoked_at),
                     r.revocation_reason, r.fingerprint) for r in rows]


# --- 3. the issuing store installs it --------------------------------------------------------------------

def load_certificate(data: bytes, what: str) -> x509.Certificate:
    try:
        return (x509.load_pem_x509_certificate(data) if b"-----BEGIN" in data
                else x509.load_der_x509_certificate(data))
    except ValueError as error:
        raise InputError(f"The {what} cannot be read: give a PEM or DER X.509 certificate. Nothing was "
                         "installed.") from error


def _constraints(cert: x509.Certificate) -> x509.BasicConstraints | None:
    try:
        return cert.extensions.get_extension_for_class(x509.BasicConstraints).value
    except x509.ExtensionNotFound:
        return None


def _signs_certificates(cert: x509.Certificate) -> bool:
    try:
        usage = cert.extensions.get_extension_for_class(x509.KeyUsage).value
    except x509.ExtensionNotFound:
        return False
    return usage.key_cert_sign and usage.crl_sign


def _issued_by(child: x509.Certificate, parent: x509.Certificate) -> bool:
    try:
        child.verify_directly_issued_by(parent)
    except (ValueError, TypeError, InvalidSignature):
        return False
    return True


def _check_root(root: x509.Certificate, now: datetime) -> None:
    constraints = _constraints(root)
    if (constraints is None or not constraints.ca or not _issued_by(root, root) or not _signs_certificates(root)
            or (constraints.path_length is not None and constraints.path_length < 1)):
        raise InputError(f"The root certificate given ({root.subject.rfc4514_string()}) is not a root CA: it must "
                         "be self-signed, CA:TRUE with room for an issuing CA below it (pathLen 1), and allowed to "
                         "sign certificates and CRLs. Give the root's own certificate. Nothing was installed.")
    if not root.not_valid_before_utc <= now < root.not_valid_after_utc:
        raise InputError(f"The root certificate is not valid now (valid {root.not_valid_before_utc:%Y-%m-%d} to "
                         f"{root.not_valid_after_utc:%Y-%m-%d}). Nothing was installed.")


def _check_issuing(cert: x509.Certificate, root: x509.Certificate, request: PendingRequest, now: datetime) -> None:
    if keys.spki(cert.public_key()) != keys.spki(request.csr.public_key()):
        raise InputError(f"The certificate ({cert.subject.rfc4514_string()}) is not for this store's pending "
                         f"issuing CA key ({request.subject}): its public key differs. Install the certificate the "
                         "root signed for this store's request. Nothing was installed.")
    if cert.issuer != root.subject or not _issued_by(cert, root):
        raise InputError(f"The certificate was not issued by the root given ({root.subject.rfc4514_string()}): "
                         f"its issuer is {cert.issuer.rfc4514_string()}, or its signature does not verify with "
                         "that root's key. Give the root that signed it. Nothing was installed.")
    constraints = _constraints(cert)
    if constraints is None or not constraints.ca or constraints.path_length != 0 or not _signs_certificates(cert):
        raise InputError("The certificate is not an issuing CA certificate (CA:TRUE, pathLen 0, keyCertSign and "
                         "cRLSign): have the root sign the request as an issuing CA. Nothing was installed.")
    if not cert.not_valid_before_utc <= now < cert.not_valid_after_utc:
        raise InputError(f"The issuing CA certificate is not valid now (valid {cert.not_valid_before_utc:%Y-%m-%d} "
                         f"to {cert.not_valid_after_utc:%Y-%m-%d}). Nothing was installed.")


def check_installable(store: Store, cert_data: bytes, root_data: bytes, *,
                      now: datetime | None = None) -> tuple[PendingRequest, x509.Certificate, x509.Certificate]:
    """Everything :func:`install_issuing` checks before it needs the passphrase: the pending request, the
    certificate against it, and the root (the same root as the CA it rolls over from)."""
    request = pending(store)
    if request is None:
        current = ca.current(store)
        state = "has no CA yet" if current is None else f"holds a {current.role} CA ({current.subject})"
        raise NotFoundError(f"This store {state} and no issuing CA request waiting for a certificate: make the "
                            "request in this store first. Nothing was installed.")
    now = utc.now(now)
    cert = load_certificate(cert_data, "issuing CA certificate")
    root = load_certificate(root_data, "root certificate")
    _check_root(root, now)
    _check_issuing(cert, root, request, now)
    current = ca.current(store)
    if current is not None and current.parent is not None and ca.fingerprint(current.parent) != ca.fingerprint(root):
        raise InputError(f"The new issuing CA chains to another root ({root.subject.rfc4514_string()}) than the "
                         f"active one ({current.parent.subject.rfc4514_string()}): devices pin the root, so a new "
                         "issuing CA must come from the same one. Nothing was installed.")
    return request, cert, root


def install_issuing(store: Store, *, cert_data: bytes, root_data: bytes, passphrase: str,
                    now: datetime | None = None, actor: str | None = None) -> ca.UnlockedCa:
    """Install the root-signed certificate of this store's pending issuing CA; it signs from now on.

    When the store already had an issuing CA, that one is kept (inactive) and stays unlocked beside the new
    one, so the CRLs and OCSP answers of its certificates go on until they have expired.
    """
    require_role(store, Operation.CA_IMPORT)
    now = utc.now(now)
    request, cert, root = check_installable(store, cert_data, root_data, now=now)
    previous = ca.unlock(store, passphrase, now=now, actor=actor) if ca.current(store) is not None else None
    t = schema.ca_requests
    with store.read() as conn:
        key_pem = conn.execute(select(t.c.key_pem).where(t.c.id == request.id)).scalar_one()
    key = ca.open_key(key_pem, passphrase, cert)
    fp = ca.fingerprint(cert)
    with store.write() as conn:
        if conn.execute(select(t.c.id).where(t.c.id == request.id)).first() is None:
            raise ConflictError("The issuing CA request was installed or replaced by another process meanwhile: "
                                "look at the store again. Nothing was installed.")
        conn.execute(update(schema.cas).where(schema.cas.c.active.is_(True)).values(active=False))
        conn.execute(schema.cas.insert().values(
            fingerprint=fp, subject=cert.subject.rfc4514_string(), key_type=request.key_type,
            not_before=utc.to_epoch(cert.not_valid_before_utc), not_after=utc.to_epoch(cert.not_valid_after_utc),
            cert_der=cert.public_bytes(serialization.Encoding.DER), key_pem=key_pem, created_at=utc.to_epoch(now),
            active=True, role=ca.ISSUING, parent_der=root.public_bytes(serialization.Encoding.DER)))
        conn.execute(t.delete().where(t.c.id == request.id))
        audit.append(conn, "ca.issuing_installed", cert.subject.rfc4514_string(),
                     {"fingerprint": fp, "root": ca.fingerprint(root),
                      "serial": profiles.serial_hex(cert.serial_number),
                      "replaces": None if previous is None else previous.info.fingerprint,
                      "not_after": cert.not_valid_after_utc.isoformat()}, actor=actor, now=now)
        record = checkpoints.write(conn, checkpoints.Signer(key, fp), store.home)
    if record is not None:
        record()
    info = ca.require(store)
    older = () if previous is None else previous.every
    return ca.holding(store, ca.UnlockedCa(info, key, older))


# --- revoking an issuing CA ------------------------------------------------------------------------------

def revoke_issuing(store: Store, root: ca.UnlockedCa, serial: str, reason: str, *, now: datetime | None = None,
                   actor: str | None = None) -> IssuedCa:
    """Revoke an issuing CA this root signed; the root's next CRL lists it (``cACompromise`` or
    ``superseded``), and every certificate under it then fails a relying party that checks both CRLs."""
    require_role(store, Operation.CA_CREATE)
    _require_root(root)
    if reason not in REVOKE_REASONS:
        raise InputError(f"Unknown reason {reason!r} for revoking an issuing CA: use one of "
                         f"{', '.join(REVOKE_REASONS)}. Nothing was revoked.")
    wanted = serial.strip().upper().removeprefix("0X").replace(":", "")
    now = utc.now(now)
    c = schema.certificates
    with store.write() as conn:
        row = conn.execute(select(c.c.id, c.c.serial, c.c.common_name, c.c.revoked_at, c.c.revocation_reason)
                           .where(c.c.kind == ISSUING_KIND, c.c.ca_id == root.info.id,
                                  c.c.serial.in_([wanted, wanted.lstrip("0"), "0" + wanted]))).first()
        if row is None:
            raise NotFoundError(f"This root signed no issuing CA with serial {serial!r}: check the serial (the "
                                "root's store lists the issuing CAs it signed). Nothing was revoked.")
        if row.revoked_at is not None:
            raise ConflictError(f"The issuing CA {row.common_name} (serial {row.serial}) is already revoked "
                                f"({row.revocation_reason}): nothing to do.")
        conn.execute(update(c).where(c.c.id == row.id).values(revoked_at=utc.to_epoch(now),
                                                              revocation_reason=REVOKE_REASONS[reason]))
        audit.append(conn, "ca.issuing_revoked", row.common_name,
                     {"serial": row.serial, "reason": REVOKE_REASONS[reason]}, actor=actor, now=now)
    revoked = next(one for one in issued_cas(store) if one.serial == row.serial)
    return revoked

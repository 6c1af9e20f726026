"""The platform CA: create it, import an existing one, and unlock it for signing (seed §2.1.1, §3).

A store holds one of three shapes (issue 12): a ``single`` CA that signs device and server certificates
itself (``ca init``, ``ca import``); an offline ``root`` that signs only issuing CAs and its own CRL
(``ca init --root``); or an ``issuing`` CA, whose key is made here and whose certificate comes from a root kept
elsewhere (:mod:`zmconsole.core.hierarchy`). An issuing store can roll over to a new issuing CA under the same
root: the newest signs new certificates, the older ones stay unlocked beside it to sign the CRLs and OCSP
answers of what they issued. Every CA key of a store opens with the same passphrase.

The CA key exists on disk and in the store only as an encrypted PKCS#8 PEM
(:func:`keyfiles.encrypt_pkcs8`); ``private/ca.key.pem`` (0600) is the copy an
administrator can open with ``openssl pkey``. A CA whose key was generated in a PKCS#11 token stores, in
both places, only a reference to it (:class:`token_keys.TokenRef`), and its "passphrase" is the token's PIN.
Unlocking returns an
:class:`UnlockedCa` that lives only in memory: hold on to it for a session (the
GUI) or a batch (bulk issuance), because unlocking costs a slow KDF on purpose.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.x509.oid import NameOID
from sqlalchemy import select

from zmconsole.core import audit, checkpoints, keyfiles, keys, profiles, schema, token_keys, utc
from zmconsole.core.errors import (
    ConflictError,
    Hint,
    HintKind,
    InputError,
    NotFoundError,
    StoreError,
    WrongPassphraseError,
)
from zmconsole.core.passphrase import MIN_PASSPHRASE
from zmconsole.core.roles import Operation
from zmconsole.core.roles import require as require_role
from zmconsole.core.store import Store

CA_KEY_FILE = "private/ca.key.pem"
CA_CERT_FILE = "ca.crt.pem"
SINGLE, ROOT, ISSUING = schema.ROLES
#: Default validity of a CA made here, by role: an offline root lives for 20 years (issue 12).
DEFAULT_DAYS = {SINGLE: 3650, ROOT: 7305}


@dataclass(frozen=True)
class CaInfo:
    """The public facts about the active CA."""

    id: int
    subject: str
    fingerprint: str  # SHA-256 of the certificate's DER, hex
    key_type: str
    not_before: datetime
    not_after: datetime
    certificate: x509.Certificate
    role: str = SINGLE  # single | root | issuing
    parent: x509.Certificate | None = None  # an issuing CA's root
    token: token_keys.TokenRef | None = None  # where the key is, when a PKCS#11 token holds it

    @property
    def pem(self) -> bytes:
        return self.certificate.public_bytes(serialization.Encoding.PEM)

    @property
    def chain(self) -> tuple[x509.Certificate, ...]:
        """This CA's certificate, then the root above it (if any): what a leaf's chain carries after the leaf."""
        return (self.certificate,) if self.parent is None else (self.certificate, self.parent)

    @property
    def anchor(self) -> x509.Certificate:
        """The self-signed certificate at the top of the chain: what devices pin and relying parties trust."""
        return self.chain[-1]

    @property
    def chain_pem(self) -> bytes:
        return b"".join(c.public_bytes(serialization.Encoding.PEM) for c in self.chain)

    @property
    def crl_name(self) -> str:
        """What this CA's own CRL is called beside the store's ``crl`` (an issuing CA's: ``crl-SERIAL``)."""
        return f"crl-{profiles.serial_hex(self.certificate.serial_number)}"

    def crl_url(self, base: str) -> str:
        """The CRL distribution point this CA writes into its certificates, from the ``crl-url`` setting.

        An issuing CA's certificates name its own CRL: ``-SERIAL`` goes before the extension of the last path
        segment (``/crl`` becomes ``/crl-SERIAL``, ``/zm/crl.der`` becomes ``/zm/crl-SERIAL.der``), the name
        the CRL is published and served under, so a certificate still finds its issuer's CRL after the issuing
        CA has rolled over. A single CA keeps ``base`` as it is.
        """
        if self.role != ISSUING or not base:
            return base
        parts = urlsplit(base)
        folder, _, last = parts.path.rpartition("/")
        stem, dot, extension = last.partition(".")
        suffix = self.crl_name.removeprefix("crl")
        return urlunsplit(parts._replace(path=f"{folder}/{stem}{suffix}{dot}{extension}"))


@dataclass(frozen=True)
class UnlockedCa:
    """The CA with its private key open in memory, ready to sign."""

    info: CaInfo
    key: keys.PrivateKey
    #: Earlier issuing CAs of this store (newest first), still signing the CRL and OCSP answers of what they
    #: issued; empty for a single CA, a root, or an issuing CA that was never rolled over.
    older: tuple[UnlockedCa, ...] = ()

    @property
    def certificate(self) -> x509.Certificate:
        return self.info.certificate

    @property
    def chain(self) -> tuple[x509.Certificate, ...]:
        return self.info.chain

    @property
    def certificates(self) -> tuple[x509.Certificate, ...]:
        """Every CA certificate a device of this store may meet: this CA, the root above it, and the older
        issuing CAs still signing for their certificates (EST ``cacerts``, the service's client trust)."""
        return (*self.chain, *(one.certificate for one in self.older))

    @property
    def every(self) -> tuple[UnlockedCa, ...]:
        """This CA and the older issuing CAs beside it: each signs for the certificates it issued."""
        return (self, *self.older)

    def by_id(self, ca_id: int) -> UnlockedCa | None:
        """The unlocked CA of store row ``ca_id`` (the one that issued a certificate), if it is held."""
        return next((one for one in self.every if one.info.id == ca_id), None)

    @cached_property
    def issuer(self) -> profiles.Issuer:
        """The CA's name, C and O, and key identifier as every leaf carries them: read once, not per leaf."""
        return profiles.Issuer.of(self.info.certificate)

    @cached_property
    def checkpoint_signer(self) -> checkpoints.Signer:
        """The key that signs audit checkpoints, derived from the CA key once per unlock and dropped with it."""
        return checkpoints.Signer(self.key, self.info.fingerprint)


def fingerprint(cert: x509.Certificate) -> str:
    return hashlib.sha256(cert.public_bytes(serialization.Encoding.DER)).hexdigest()


def _info(row: schema.Row) -> CaInfo:
    cert = x509.load_der_x509_certificate(row.cert_der)
    parent = None if row.parent_der is None else x509.load_der_x509_certificate(row.parent_der)
    return CaInfo(row.id, row.subject, row.fingerprint, row.key_type,
                  utc.from_epoch(row.not_before), utc.from_epoch(row.not_after), cert, row.role, parent,
                  token_keys.TokenRef.decode(row.key_pem) if token_keys.is_reference(row.key_pem) else None)


def current(store: Store) -> CaInfo | None:
    """The active CA, or None before one is created, imported or (an issuing CA) installed."""
    with store.read() as conn:
        row = conn.execute(select(schema.cas).where(schema.cas.c.active.is_(True))).first()
    return None if row is None else _info(row)


def older(store: Store) -> list[CaInfo]:
    """The issuing CAs this store rolled over from, newest first (what still signs their CRLs)."""
    t = schema.cas
    with store.read() as conn:
        rows = conn.execute(select(t).where(t.c.active.is_(False), t.c.role == ISSUING).order_by(t.c.id.desc())).all()
    return [_info(row) for row in rows]


def require_leaf_signer(ca: UnlockedCa | CaInfo) -> None:
    """Refuse to sign a device, server or pairing-signer certificate with a root: it signs issuing CAs only."""
    info = ca.info if isinstance(ca, UnlockedCa) else ca
    if info.role == ROOT:
        raise ConflictError(f"This store holds the root CA ({info.subject}), which signs only issuing CAs and its "
                            "own CRL: issue device and server certificates in the issuing CA's store. Nothing was "
                            "issued.")


def require(store: Store) -> CaInfo:
    info = current(store)
    if info is None:
        with store.read() as conn:
            pending = conn.execute(select(schema.ca_requests.c.subject)).scalar_one_or_none()
        if pending is not None:  # an issuing store between its request and the root's certificate
            raise NotFoundError(f"This store's issuing CA ({pending}) is waiting for its certificate from the root: "
                                "have the root sign its request, then install the certificate here.")
        raise NotFoundError("There is no platform CA yet.", hint=Hint(HintKind.CREATE_CA))
    return info


def check_new_passphrase(passphrase: str) -> None:
    if len(passphrase) < MIN_PASSPHRASE:
        raise InputError(f"The CA passphrase is too short ({len(passphrase)} characters): use at least "
                         f"{MIN_PASSPHRASE}, ideally a phrase of several words.")


def build_subject(*, cn: str, org: str, ou: str | None = None, country: str | None = None,
                  state: str | None = None) -> x509.Name:
    if not cn.strip() or not org.strip():
        raise InputError("The CA needs a common name (CN) and an organisation (O).")
    if country is not None and (len(country) != 2 or not country.isalpha()):
        raise InputError(f"The country must be a two-letter code such as US, not {country!r}.")
    attributes = []
    if country:
        attributes.append(x509.NameAttribute(NameOID.COUNTRY_NAME, country.upper()))
    if state:
        attributes.append(x509.NameAttribute(NameOID.STATE_OR_PROVINCE_NAME, state))
    attributes.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, org))
    if ou:
        attributes.append(x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, ou))
    attributes.append(x509.NameAttribute(NameOID.COMMON_NAME, cn))
    return x509.Name(attributes)


def _create_new(path: Path, data: bytes, mode: int) -> None:
    """Write a new file, never an existing one: it may be the only copy of an earlier CA's key."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, mode)
    except FileExistsError as error:
        raise _existing_files_error(path) from error
    except OSError as error:
        raise StoreError(f"Cannot write {path} ({error.strerror}): free some space or fix the permissions of "
                         "the data directory, then run the command again; nothing was created.") from error
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(path, mode)
    except OSError as error:
        path.unlink(missing_ok=True)
        raise StoreError(f"Cannot write {path} ({error.strerror}): free some space or fix the permissions of "
                         "the data directory, then run the command again; nothing was created.") from error


def _existing_files_error(path: Path) -> ConflictError:
    return ConflictError(f"{path} already exists: it may be the only copy of an earlier CA's key or "
                         "certificate, so it is never overwritten. Move it somewhere safe.",
                         hint=Hint(HintKind.CHOOSE_HOME))


def check_absent(store: Store) -> None:
    """Refuse a second CA; front ends call it before asking for a passphrase or generating a key.

    :func:`_save` checks again inside its write transaction, where two processes cannot both pass.
    """
    if current(store) is not None:
        raise ConflictError(_SECOND_CA, hint=Hint(HintKind.CHOOSE_HOME))
    with store.read() as conn:
        pending = conn.execute(select(schema.ca_requests.c.subject)).scalar_one_or_none()
    if pending is not None:
        raise ConflictError(f"This store is waiting for its issuing CA certificate ({pending}): install it, or "
                            "use another data directory for another CA.", hint=Hint(HintKind.CHOOSE_HOME))
    if store.home is not None:
        for relative in (CA_KEY_FILE, CA_CERT_FILE):
            if (store.home / relative).exists():
                raise _existing_files_error(store.home / relative)


_SECOND_CA = "A platform CA already exists in this store: use it."


def _save(store: Store, cert: x509.Certificate, key: keys.PrivateKey, key_pem: bytes, key_type: str, *,
          action: str, now: datetime, actor: str | None, role: str = SINGLE) -> CaInfo:
    check_absent(store)
    fp = fingerprint(cert)
    created: list[Path] = []
    try:
        with store.write() as conn:
            # Checked again here: the write lock makes "no CA yet" and the insert one step for every process.
            if conn.execute(select(schema.cas.c.id).where(schema.cas.c.active.is_(True))).first() is not None:
                raise ConflictError(_SECOND_CA, hint=Hint(HintKind.CHOOSE_HOME))
            conn.execute(schema.cas.insert().values(
                fingerprint=fp, subject=cert.subject.rfc4514_string(), key_type=key_type,
                not_before=utc.to_epoch(cert.not_valid_before_utc),
                not_after=utc.to_epoch(cert.not_valid_after_utc),
                cert_der=cert.public_bytes(serialization.Encoding.DER), key_pem=key_pem,
                created_at=utc.to_epoch(now), active=True, role=role,
            ))
            audit.append(conn, action, cert.subject.rfc4514_string(),
                         {"fingerprint": fp, "key_type": key_type, "role": role,
                          "not_after": cert.not_valid_after_utc.isoformat()}, actor=actor, now=now)
            if store.home is not None:  # before the commit: a file that cannot be written leaves no CA
                for relative, data, mode in ((CA_KEY_FILE, key_pem, 0o600),
                                             (CA_CERT_FILE, cert.public_bytes(serialization.Encoding.PEM), 0o644)):
                    _create_new(store.home / relative, data, mode)
                    created.append(store.home / relative)
            record = checkpoints.write(conn, checkpoints.Signer(key, fp), store.home)
    except BaseException:
        for path in created:  # the commit failed: the files belong to a CA that does not exist
            path.unlink(missing_ok=True)
        raise
    if record is not None:
        record()
    return require(store)


def new_key(key_type: str, passphrase: str,
            token: token_keys.TokenSpec | None = None) -> tuple[keys.PrivateKey, bytes]:
    """A new CA key (single, root or issuing), and what the store keeps of it: the encrypted PKCS#8, or for a
    key generated in ``token`` the reference to it.

    The one place a CA key is made; :func:`open_key` is the one place a stored one is opened.
    """
    if token is not None:
        in_token = token_keys.generate(token, key_type)
        return in_token, in_token.ref.encode()
    key = keys.generate(key_type)
    return key, keyfiles.encrypt_pkcs8(key, passphrase)


def open_key(key_pem: bytes, passphrase: str, certificate: x509.Certificate | None = None) -> keys.PrivateKey:
    """The CA key the store keeps as ``key_pem`` (from :func:`new_key`); a wrong passphrase raises. For a key
    in a token, ``passphrase`` is the token's PIN, and the key must sign for ``certificate``'s public key."""
    if token_keys.is_reference(key_pem):
        return token_keys.open_key(key_pem, passphrase, None if certificate is None else certificate.public_key())
    return keyfiles.decrypt_pem(key_pem, passphrase, trusted=True)


def discard_key(key: keys.PrivateKey) -> None:
    """Delete a new CA key that was never stored, when a token holds it (a file key just goes with memory)."""
    if isinstance(key, token_keys.TokenKey):
        key.destroy()


def check_key_type(key_type: str) -> None:
    if key_type not in keys.CA_KEY_TYPES:
        raise InputError(f"The CA key type must be one of {', '.join(keys.CA_KEY_TYPES)}, not {key_type!r}.")


def check_days(days: int) -> None:
    if not 1 <= days <= 36500:
        raise InputError(f"The CA validity must be between 1 and 36500 days, not {days}.")


def create(store: Store, *, subject: x509.Name, passphrase: str = "", key_type: str = "rsa4096",
           days: int | None = None, now: datetime | None = None, actor: str | None = None,
           role: str = SINGLE, token: token_keys.TokenSpec | None = None) -> UnlockedCa:
    """Generate the CA key (in ``token`` if given, else encrypted under ``passphrase``) and self-signed
    certificate, a single CA or (``role`` root) a hierarchy's root; returns the CA unlocked. ``days``
    defaults to :data:`DEFAULT_DAYS` for the role."""
    require_role(store, Operation.CA_CREATE)
    if role not in (SINGLE, ROOT):
        raise InputError(f"A self-signed CA is a single CA or a root, not {role!r}.")
    days = DEFAULT_DAYS[role] if days is None else days
    if token is None:
        check_new_passphrase(passphrase)
    check_key_type(key_type)
    check_days(days)
    check_absent(store)  # fail before the slow key generation
    now = utc.now(now)
    key, key_pem = new_key(key_type, passphrase, token)
    make = profiles.root_certificate if role == ROOT else profiles.ca_certificate
    try:
        cert = make(key, subject, days=days, now=now)
        info = _save(store, cert, key, key_pem, key_type, action="ca.created", now=now, actor=actor, role=role)
    except BaseException:
        discard_key(key)  # no CA was stored: a token is left as it was
        raise
    return holding(store, UnlockedCa(info, key))


def import_existing(store: Store, *, cert_pem: bytes, key_pem: bytes, passphrase: str,
                    now: datetime | None = None, actor: str | None = None) -> UnlockedCa:
    """Select an existing CA: its certificate and its encrypted key, checked before anything is stored."""
    require_role(store, Operation.CA_IMPORT)
    now = utc.now(now)
    try:
        cert = (x509.load_pem_x509_certificate(cert_pem) if b"-----BEGIN" in cert_pem
                else x509.load_der_x509_certificate(cert_pem))
    except ValueError as error:
        raise InputError("The CA certificate cannot be read: give a PEM or DER X.509 certificate.") from error
    problems = []
    try:
        constraints = cert.extensions.get_extension_for_class(x509.BasicConstraints).value
        is_ca = constraints.ca
    except x509.ExtensionNotFound:
        is_ca = False
    if not is_ca:
        problems.append("it is not a CA certificate (BasicConstraints CA:TRUE is missing)")
    try:
        usage = cert.extensions.get_extension_for_class(x509.KeyUsage).value
        if not usage.key_cert_sign or not usage.crl_sign:
            problems.append("its key usage does not allow signing certificates and CRLs")
    except x509.ExtensionNotFound:
        pass
    if cert.not_valid_after_utc <= now:
        problems.append(f"it expired on {cert.not_valid_after_utc:%Y-%m-%d}")
    if cert.not_valid_before_utc > now:
        problems.append(f"it is not valid before {cert.not_valid_before_utc:%Y-%m-%d %H:%M} UTC "
                        "(check the clock)")
    try:
        cert.extensions.get_extension_for_class(x509.SubjectKeyIdentifier)
    except x509.ExtensionNotFound:
        problems.append("it has no Subject Key Identifier")
    if problems:
        raise InputError(f"The certificate cannot be the platform CA: {'; '.join(problems)}. "
                         "Import a valid, unexpired CA certificate.")
    try:
        key = keyfiles.decrypt_pem(key_pem, passphrase, what="the CA key file")
    except WrongPassphraseError:
        audit.record(store, "ca.passphrase_wrong", cert.subject.rfc4514_string(), {"during": "import"},
                     actor=actor, now=now)
        raise
    if keys.spki(key) != keys.spki(cert.public_key()):
        raise InputError("The key does not belong to this certificate (their public keys differ): "
                         "import the key that was generated with the CA certificate.")
    check_new_passphrase(passphrase)
    key_type = keys.describe(key)
    info = _save(store, cert, key, keyfiles.encrypt_pkcs8(key, passphrase), key_type, action="ca.imported",
                 now=now, actor=actor)
    return holding(store, UnlockedCa(info, key))


def holding(store: Store, unlocked: UnlockedCa) -> UnlockedCa:
    """From now on this process holds the CA: its writes to ``store`` sign audit checkpoints."""
    checkpoints.enable(store, unlocked)
    return unlocked


def unlock(store: Store, passphrase: str, *, now: datetime | None = None,
           actor: str | None = None) -> UnlockedCa:
    """Open the CA key; a wrong passphrase is audited and raised. Once the store has operators, only an admin
    may (the provisioning service is started by one): nobody else holds a key that signs certificates."""
    require_role(store, Operation.CA_UNLOCK)
    info = require(store)
    now = utc.now(now)
    key = _open_stored(store, info, passphrase, actor=actor, now=now)
    # Older issuing CAs still sign the CRLs (and OCSP answers) of what they issued, until it has all expired.
    previous = tuple(UnlockedCa(one, _open_stored(store, one, passphrase, actor=actor, now=now))
                     for one in older(store) if one.not_after > now)
    return holding(store, UnlockedCa(info, key, previous))


def _open_stored(store: Store, info: CaInfo, passphrase: str, *, actor: str | None, now: datetime) -> keys.PrivateKey:
    with store.read() as conn:
        key_pem = conn.execute(select(schema.cas.c.key_pem).where(schema.cas.c.id == info.id)).scalar_one()
    try:
        key = open_key(key_pem, passphrase, info.certificate)
    except WrongPassphraseError:
        audit.record(store, "ca.pin_wrong" if info.token else "ca.passphrase_wrong", info.subject,
                     {"during": "unlock"}, actor=actor, now=now)
        raise
    # The key was validated when it was stored; checking it still pairs with the certificate is cheap.
    if keys.spki(key) != keys.spki(info.certificate.public_key()):
        raise WrongPassphraseError("The stored CA key does not match the CA certificate: the store was "
                                   "altered; restore it from a backup.")
    return key

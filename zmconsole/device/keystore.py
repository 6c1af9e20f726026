"""The device keystore of docs/pairing-protocol.md §9: one directory, installed atomically.

    DIR/                 0700
    ├── device-key.pem   0600  PKCS#8 EncryptedPrivateKeyInfo: PBES2, PBKDF2-HMAC-SHA256, AES-256-CBC
    ├── device-cert.pem  0600  the device certificate
    ├── ca-chain.pem     0600  the pinned platform CA (last) and any intermediates: the trust anchor
    ├── crl.der          0600  the last CRL fetched (``revocation_cache``)
    └── pairing.json     0600  ca_fingerprint, signer_key_id, provisioning_url, crl_url, ocsp_url,
                               renewal_url, paired_at

Only the private key is secret; it is encrypted with AES-256 under the **keystore secret** (DOC-PROC-023 §8).
A production monitor creates that secret on first boot and seals it in hardware (TPM 2.0, secure element or
TrustZone secure storage), so it is never on disk in clear. This reference agent, which runs on ordinary
computers, takes it from ``ZMDEVICE_KEYSTORE_PASSPHRASE`` or a 0600 file instead and says so: such a
keystore is **not hardware-protected**.

Installation writes everything into ``DIR.new`` next to ``DIR``, fsyncs, then moves the old identity to
``DIR.previous`` and ``DIR.new`` into place. ``pairing.json`` is written last, so a ``DIR.new`` holding it is
complete; :func:`recover` finishes an installation cut short between the two renames.

A renewal (``renewal``) stages the new identity in ``DIR.pending`` (its key and CSR first, ``pairing.json``
last) and swaps it in the same way; ``renewal.json`` in an identity made by renewal says what it replaced
and whether it confirmed (docs/pairing-protocol.md §9.1).
"""

from __future__ import annotations

import json
import os
import shutil
import stat
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization

from zmconsole.core import keyfiles, keys
from zmconsole.device.troubleshooting import DeviceError

KEY_FILE = "device-key.pem"
CERT_FILE = "device-cert.pem"
CHAIN_FILE = "ca-chain.pem"
CRL_FILE = "crl.der"
PAIRING_FILE = "pairing.json"
RENEWAL_FILE = "renewal.json"  # in an identity made by renewal: what it replaces, grace, confirmation
REQUEST_FILE = "renewal-request.der"  # in DIR.pending only: the CSR, kept so a lost answer can be asked again
DEFAULT_THRESHOLD = 7  # days: threshold-urgent, renew at or below it (seed §7)
DIR_MODE = 0o700
FILE_MODE = 0o600
PASSPHRASE_ENV = "ZMDEVICE_KEYSTORE_PASSPHRASE"  # noqa: S105 - a variable name, not a secret
MIN_SECRET = 8


@dataclass(frozen=True)
class Identity:
    """What an installed keystore says about the device, readable without the keystore secret."""

    directory: Path
    certificate: x509.Certificate
    ca_chain: tuple[x509.Certificate, ...]  # the pinned platform CA last
    ca_fingerprint: str  # hex SHA-256 of the pinned CA certificate
    signer_key_id: str
    provisioning_url: str
    crl_url: str
    ocsp_url: str | None
    renewal_url: str
    paired_at: datetime
    threshold_urgent: int = DEFAULT_THRESHOLD  # pairing.json's "threshold_urgent", else the default

    @property
    def anchor(self) -> x509.Certificate:
        return self.ca_chain[-1]

    @property
    def intermediates(self) -> tuple[x509.Certificate, ...]:
        return self.ca_chain[:-1]

    @property
    def key_file(self) -> Path:
        return self.directory / KEY_FILE

    @property
    def certificate_file(self) -> Path:
        return self.directory / CERT_FILE


# --- the keystore secret --------------------------------------------------------------------------


def keystore_secret(passphrase_file: str | None, environ: Mapping[str, str]) -> tuple[bytes, str]:
    """The keystore secret and where it came from: ``--keystore-passphrase-file``, else the environment."""
    if passphrase_file is not None:
        try:
            text = Path(passphrase_file).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise DeviceError(f"Cannot read the keystore passphrase file {passphrase_file} ({error}): check the "
                              "path and its permissions.") from None
        secret, source = text.rstrip("\r\n"), f"the file {passphrase_file}"
    elif environ.get(PASSPHRASE_ENV):
        secret, source = environ[PASSPHRASE_ENV], PASSPHRASE_ENV
    else:
        raise DeviceError(f"The keystore secret is missing: set {PASSPHRASE_ENV} or give "
                          "--keystore-passphrase-file FILE (a production monitor seals it in hardware).")
    if len(secret) < MIN_SECRET:
        raise DeviceError(f"The keystore secret from {source} is shorter than {MIN_SECRET} characters: use a "
                          "long random secret.")
    return secret.encode("utf-8"), source


# --- reading --------------------------------------------------------------------------------------


def recover(directory: Path) -> None:
    """Finish an installation (``DIR.new``) or a renewal's swap (``DIR.pending``) that stopped between
    moving the old identity to ``DIR.previous`` and the new one in."""
    if directory.exists():
        return
    for staged in (_sibling(directory, "new"), _sibling(directory, "pending")):
        if (staged / PAIRING_FILE).exists():
            os.replace(staged, directory)
            fsync_dir(directory.parent)
            return


def exists(directory: Path) -> bool:
    recover(directory)
    return (directory / PAIRING_FILE).is_file()


def load(directory: Path) -> Identity:
    """The installed identity (certificate, CA chain, pairing facts); needs no secret."""
    if not exists(directory):
        raise DeviceError(f"No device identity is installed in {directory}: pair the device first (zmdevice "
                          "enroll).")
    try:
        facts = json.loads((directory / PAIRING_FILE).read_text(encoding="utf-8"))
        certificate = x509.load_pem_x509_certificate((directory / CERT_FILE).read_bytes())
        chain = tuple(x509.load_pem_x509_certificates((directory / CHAIN_FILE).read_bytes()))
        identity = Identity(
            directory=directory, certificate=certificate, ca_chain=chain,
            ca_fingerprint=str(facts["ca_fingerprint"]), signer_key_id=str(facts["signer_key_id"]),
            provisioning_url=str(facts["provisioning_url"]), crl_url=str(facts["crl_url"]),
            ocsp_url=facts["ocsp_url"], renewal_url=str(facts["renewal_url"]),
            paired_at=datetime.fromisoformat(facts["paired_at"]),
            threshold_urgent=int(facts.get("threshold_urgent", DEFAULT_THRESHOLD)),
        )
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise DeviceError(f"The keystore {directory} is damaged ({type(error).__name__}: {error}): pair the device "
                          "again.") from None
    if chain[-1].fingerprint(hashes.SHA256()).hex() != identity.ca_fingerprint:
        raise DeviceError(f"The keystore {directory} holds a CA certificate that is not the one pinned at pairing: "
                          "it was tampered with. Pair the device again.")
    return identity


def permission_problems(directory: Path) -> list[str]:
    """What breaks the 0700/0600 rule (seed §8: only the device's service may read the keystore)."""
    problems = []
    for path in [directory, *sorted(p for p in directory.iterdir())]:
        wanted = DIR_MODE if path.is_dir() else FILE_MODE
        mode = stat.S_IMODE(path.lstat().st_mode)
        if mode & ~wanted & 0o777 or path.is_symlink():
            problems.append(f"{path.name} is {mode:04o} (must be {wanted:04o})")
    return problems


def require_private(directory: Path) -> None:
    problems = permission_problems(directory)
    if problems:
        raise DeviceError(f"The keystore {directory} is readable by others ({'; '.join(problems)}): run "
                          f"chmod 700 {directory} and chmod 600 on its files, then try again.")


# --- writing --------------------------------------------------------------------------------------


def check_installable(directory: Path) -> None:
    """Fail before pairing (and so before the one-time token is spent) if ``directory`` cannot be written.

    Missing parent directories are created (0700).
    """
    parent = directory.parent
    try:
        parent.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
    except OSError:
        pass  # reported just below
    recover(directory)
    if directory.exists() and not directory.is_dir():
        raise DeviceError(f"The keystore path {directory} is a file, not a directory: choose another path.")
    if not parent.is_dir() or not os.access(parent, os.W_OK | os.X_OK):
        raise DeviceError(f"Cannot create the keystore in {parent} (missing or not writable): choose a writable "
                          "directory.")


def install(directory: Path, *, certificate: x509.Certificate, ca_chain: Sequence[x509.Certificate],
            private_key: keys.PrivateKey, secret: bytes, facts: Mapping[str, object],
            crl: bytes | None = None) -> None:
    """Write the identity into ``DIR.new``, then swap it in, keeping the previous one as ``DIR.previous``."""
    staged, previous = _sibling(directory, "new"), _sibling(directory, "previous")
    if staged.exists():
        shutil.rmtree(staged)
    staged.mkdir(mode=DIR_MODE)
    os.chmod(staged, DIR_MODE)  # mkdir's mode is filtered by the umask
    pem = serialization.Encoding.PEM
    write_private(staged / KEY_FILE, keyfiles.encrypt_pkcs8(private_key, secret))
    write_private(staged / CERT_FILE, certificate.public_bytes(pem))
    write_private(staged / CHAIN_FILE, b"".join(c.public_bytes(pem) for c in ca_chain))
    if crl is not None:
        write_private(staged / CRL_FILE, crl)
    write_private(staged / PAIRING_FILE, (json.dumps(dict(facts), indent=2, sort_keys=True) + "\n").encode())
    fsync_dir(staged)
    if directory.exists():
        if previous.exists():
            shutil.rmtree(previous)
        os.replace(directory, previous)
    os.replace(staged, directory)
    fsync_dir(directory.parent)


def write_private(path: Path, data: bytes) -> None:
    """Create ``path`` with mode 0600 from the first byte on, write ``data`` and fsync it."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), FILE_MODE)
    try:
        os.fchmod(fd, FILE_MODE)
        os.write(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)


def replace_private(path: Path, data: bytes, *, mtime: float | None = None) -> None:
    """Atomically replace ``path`` (mode 0600); ``mtime`` stamps when the content was obtained."""
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.unlink(missing_ok=True)
    write_private(temporary, data)
    if mtime is not None:
        os.utime(temporary, (mtime, mtime))
    os.replace(temporary, path)
    fsync_dir(path.parent)


def _sibling(directory: Path, suffix: str) -> Path:
    return directory.with_name(f"{directory.name}.{suffix}")


def fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)

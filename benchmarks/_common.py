"""What both benchmark scripts share: a CA in a throwaway store, CSRs, the raw references, `openssl ca`, tables.

Nothing here is product code. The raw references use ``cryptography`` and the standard ``sqlite3`` module
directly, so the product's figures can be read against the floor they stand on. Every figure is measured in
the same run, on the same machine, next to its reference.
"""

from __future__ import annotations

import argparse
import os
import resource
import secrets
import sqlite3
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from sqlalchemy import bindparam, update

from zmconsole.core import ca, paths, schema
from zmconsole.core.keys import PrivateKey, signature_hash
from zmconsole.core.store import DB_FILENAME, Store

PASSPHRASE = "benchmark passphrase, thrown away with the temp dir"
CA_LABELS = {"rsa4096": "RSA-4096", "ec-p384": "EC P-384"}
DEVICE_DOMAIN = "devices.hospital.example"  # the product's default device-dns-domain
OPENSSL = "openssl"
DAY = 86_400


# --- timing and output ------------------------------------------------------------------------------------

def now_utc() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


@contextmanager
def stopwatch(into: list[float]) -> Iterator[None]:
    """Append the elapsed wall-clock seconds of the block to ``into``."""
    start = time.perf_counter()
    yield
    into.append(time.perf_counter() - start)


def best_of(runs: int, action: Callable[[], object]) -> tuple[float, list[float]]:
    """The fastest of ``runs`` timings of ``action`` (the least disturbed by the other users of the machine)."""
    times: list[float] = []
    for _ in range(runs):
        with stopwatch(times):
            action()
    return min(times), times


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.2f} ms" if seconds < 10 else f"{seconds:,.1f} s"


def duration(seconds: float) -> str:
    return f"{seconds * 1000:,.1f} ms" if seconds < 1 else f"{seconds:,.2f} s"


def verdict(ratio: float, target: float, *, at_most: bool) -> str:
    """PASS or MISS for a ratio against its target (``at_most``: the ratio must not exceed the target)."""
    ok = ratio <= target if at_most else ratio >= target
    sign = "<=" if at_most else ">="
    return f"{ratio:,.2f}x (target {sign} {target:g}x) {'PASS' if ok else 'MISS'}"


@dataclass(frozen=True)
class Line:
    label: str
    figure: str
    note: str = ""


def table(title: str, lines: Sequence[Line]) -> None:
    width = max(len(line.label) for line in lines)
    fig = max(len(line.figure) for line in lines)
    print(f"\n{title}")
    print("-" * min(120, max(len(title), width + fig + 40)))
    for line in lines:
        print(f"  {line.label:<{width}}  {line.figure:>{fig}}  {line.note}".rstrip())
    sys.stdout.flush()


def note(text: str) -> None:
    print(f"  {text}", flush=True)


def peak_rss_mib() -> float:
    """This process's peak resident set size so far (Linux reports ru_maxrss in KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def current_rss_mib() -> float:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def machine() -> str:
    import platform

    import cryptography
    import sqlalchemy

    openssl = subprocess.run([OPENSSL, "version"], capture_output=True, text=True, check=True).stdout.strip()
    cpu = "unknown CPU"
    try:
        for row in Path("/proc/cpuinfo").read_text().splitlines():
            if row.startswith("model name"):
                cpu = row.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (f"{cpu}, {os.cpu_count()} cores, load {os.getloadavg()[0]:.2f}; Python {platform.python_version()}, "
            f"cryptography {cryptography.__version__}, SQLAlchemy {sqlalchemy.__version__}, SQLite "
            f"{sqlite3.sqlite_version}; {openssl}")


# --- command line ------------------------------------------------------------------------------------------

def arguments(doc: str | None, *, quick: str, ca: str) -> argparse.ArgumentParser:
    """A parser with what both scripts take: --quick (its help says how small) and --ca."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0] if doc else None)
    parser.add_argument("--quick", action="store_true", help=quick)
    parser.add_argument("--ca", nargs="+", choices=list(CA_LABELS), default=list(CA_LABELS), help=ca)
    return parser


def with_sizes(args: argparse.Namespace, *, quick: dict[str, object], full: dict[str, object]) -> argparse.Namespace:
    """Fill every option left unset with its --quick or full-size default."""
    for key, value in (quick if args.quick else full).items():
        if getattr(args, key) is None:
            setattr(args, key, value)
    return args


# --- the CA and its store ---------------------------------------------------------------------------------

def ca_subject() -> x509.Name:
    """The seed's example: /C=US/ST=State/O=Hospital/OU=IT/CN=Z-Monitor-CA."""
    return ca.build_subject(cn="Z-Monitor-CA", org="Hospital", ou="IT", country="US", state="State")


def new_store(root: Path, name: str) -> Store:
    return Store.open(paths.ensure_home(root / name))


def create_ca(store: Store, key_type: str) -> ca.UnlockedCa:
    """Create the CA the way `zmconsole ca init` does, then unlock it the way every front end does."""
    ca.create(store, subject=ca_subject(), passphrase=PASSPHRASE, key_type=key_type)
    return ca.unlock(store, PASSPHRASE)


def import_ca(store: Store, source: Store) -> ca.UnlockedCa:
    """The same CA (certificate and encrypted key) in another store, as `zmconsole ca import` does."""
    assert source.home is not None
    ca.import_existing(store, cert_pem=(source.home / ca.CA_CERT_FILE).read_bytes(),
                       key_pem=(source.home / ca.CA_KEY_FILE).read_bytes(), passphrase=PASSPHRASE)
    return ca.unlock(store, PASSPHRASE)


# --- device CSRs and the raw issuance reference -----------------------------------------------------------

def device_id(index: int) -> str:
    return f"ZM-{index:06d}"


def make_csrs(count: int, *, start: int = 1) -> list[tuple[str, bytes]]:
    """PEM CSRs as a monitor sends them: EC P-256 key, subject C=US, O=Hospital, OU=ICU, CN=device ID."""
    csrs = []
    for index in range(start, start + count):
        name = device_id(index)
        key = ec.generate_private_key(ec.SECP256R1())
        subject = x509.Name([
            x509.NameAttribute(NameOID.COUNTRY_NAME, "US"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Hospital"),
            x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, "ICU"),
            x509.NameAttribute(NameOID.COMMON_NAME, name),
        ])
        csr = x509.CertificateSigningRequestBuilder().subject_name(subject).sign(key, hashes.SHA256())
        csrs.append((name, csr.public_bytes(serialization.Encoding.PEM)))
    return csrs


def raw_certificate(ca_key: PrivateKey, ca_cert: x509.Certificate, csr_pem: bytes, name: str,
                    now: datetime) -> x509.Certificate:
    """Parse the CSR, build the device certificate with the product's extensions, sign it: the raw floor.

    The CSR's own signature is not checked and no policy runs: that is work the product must do and the
    floor leaves out.
    """
    request = x509.load_pem_x509_csr(csr_pem)
    public = request.public_key()
    assert isinstance(public, rsa.RSAPublicKey | ec.EllipticCurvePublicKey)
    ca_ski = ca_cert.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
    subject = x509.Name([
        *ca_cert.subject.get_attributes_for_oid(NameOID.COUNTRY_NAME),
        *ca_cert.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME),
        x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, "ICU"),
        x509.NameAttribute(NameOID.COMMON_NAME, name),
    ])
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(ca_cert.subject)
        .public_key(public)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=365))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=False,
                                     key_encipherment=isinstance(public, rsa.RSAPublicKey), data_encipherment=False,
                                     key_agreement=False, key_cert_sign=False, crl_sign=False, encipher_only=False,
                                     decipher_only=False), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CLIENT_AUTH]), critical=False)
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(f"{name.lower()}.{DEVICE_DOMAIN}")]),
                       critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ca_ski), critical=False)
        .sign(ca_key, signature_hash(ca_key))
    )


def extension_profile(cert: x509.Certificate) -> list[tuple[str, bool]]:
    return [(ext.oid.dotted_string, ext.critical) for ext in cert.extensions]


class RawCommitDb:
    """A bare sqlite3 database with the product's pragmas (WAL, synchronous=NORMAL): one row, one commit."""

    def __init__(self, path: Path) -> None:
        self.db = sqlite3.connect(path, isolation_level=None)
        self.db.execute("PRAGMA journal_mode = WAL")
        self.db.execute("PRAGMA synchronous = NORMAL")
        self.db.execute("CREATE TABLE certificates (id INTEGER PRIMARY KEY, serial TEXT NOT NULL UNIQUE, "
                        "common_name TEXT NOT NULL, not_after INTEGER NOT NULL, der BLOB NOT NULL)")

    def commit(self, cert: x509.Certificate, name: str) -> None:
        self.db.execute("BEGIN IMMEDIATE")
        self.db.execute("INSERT INTO certificates (serial, common_name, not_after, der) VALUES (?, ?, ?, ?)",
                        (f"{cert.serial_number:X}", name, int(cert.not_valid_after_utc.timestamp()),
                         cert.public_bytes(serialization.Encoding.DER)))
        self.db.execute("COMMIT")

    def close(self) -> None:
        self.db.close()


# --- filling a store quickly ------------------------------------------------------------------------------

def random_serial(taken: set[str]) -> str:
    """A 159-bit serial in the store's spelling (upper-case hex, even length), unique within ``taken``."""
    while True:
        value = secrets.randbits(159) | (1 << 158)
        text = f"{value:X}"
        text = text if len(text) % 2 == 0 else "0" + text
        if text not in taken:
            taken.add(text)
            return text


@dataclass(frozen=True)
class Synthetic:
    """One synthetic certificate row, kept in memory so the references get exactly the same entries."""

    serial: str
    name: str
    not_after: int
    revoked_at: int | None
    reason: str | None


def synthetic_rows(count: int, *, now: datetime, revoked: bool, start: int = 1) -> list[Synthetic]:
    """``count`` rows; revoked ones in the last 30 days, with the operator's reasons in turn.

    Unrevoked rows expire between 10 days ago and 400 days ahead, so about a quarter have crossed a
    threshold, as on a site that issues all year round.
    """
    reasons = ("lost", "compromised", "decommissioned", "superseded")
    taken: set[str] = set()
    t = int(now.timestamp())
    rows = []
    for offset in range(count):
        serial = random_serial(taken)
        if revoked:
            rows.append(Synthetic(serial, device_id(start + offset), t + 300 * DAY,
                                  t - secrets.randbelow(30 * DAY) - 60, reasons[offset % len(reasons)]))
        else:
            rows.append(Synthetic(serial, device_id(start + offset), t - 10 * DAY + secrets.randbelow(410 * DAY),
                                  None, None))
    return rows


PLACEHOLDER_DER = b"\x30\x82\x03\xe4" + bytes(996)  # 1,000 bytes: a device certificate from the RSA-4096 CA


def _chunks(items: Sequence[Synthetic], size: int = 5000) -> Iterable[Sequence[Synthetic]]:
    for begin in range(0, len(items), size):
        yield items[begin:begin + size]


def fill_store(store: Store, ca_id: int, rows: Sequence[Synthetic], *, with_devices: bool, now: datetime) -> None:
    """Insert the rows through SQLAlchemy Core (executemany), as devices with current certificates or bare.

    The DER is a placeholder of a real device certificate's size (1,000 bytes), so table scans read as
    many pages as on a real store; nothing on the measured paths (CRL, expiry check, device list) parses it.
    """
    c, d = schema.certificates, schema.devices
    issued = int(now.timestamp()) - 400 * DAY
    with store.write() as conn:
        if with_devices:
            for chunk in _chunks(rows):
                conn.execute(d.insert(), [{"device_id": r.name, "ward": "ICU", "location": None,
                                           "created_at": issued} for r in chunk])
        for chunk in _chunks(rows):
            conn.execute(c.insert(), [{
                "serial": r.serial, "kind": "device", "common_name": r.name,
                "device_id": r.name if with_devices else None, "ca_id": ca_id,
                "not_before": r.not_after - 365 * DAY, "not_after": r.not_after, "issued_at": issued,
                "key_type": "ec-p256", "key_source": "csr", "fingerprint": "00" * 32, "der": PLACEHOLDER_DER,
                "revoked_at": r.revoked_at, "revocation_reason": r.reason,
            } for r in chunk])
        if with_devices:
            conn.execute(update(d).where(d.c.device_id == bindparam("b_device"))
                         .values(current_certificate_id=bindparam("b_id")),
                         [{"b_device": device, "b_id": record}
                          for record, device in conn.execute(c.select().with_only_columns(c.c.id, c.c.device_id)
                                                             .where(c.c.device_id.is_not(None)))])
    checkpoint(store)


def checkpoint(store: Store) -> None:
    """Fold the WAL into the database, so a bulk fill's checkpoint is not paid inside a later timing."""
    assert store.home is not None
    db = sqlite3.connect(store.home / DB_FILENAME)
    try:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        db.close()


# --- openssl ca -------------------------------------------------------------------------------------------

OPENSSL_REASONS = {"lost": "keyCompromise", "compromised": "keyCompromise",
                   "decommissioned": "cessationOfOperation", "superseded": "superseded"}


def openssl_time(moment: int) -> str:
    """index.txt's UTCTime spelling, YYMMDDHHMMSSZ."""
    return datetime.fromtimestamp(moment, UTC).strftime("%y%m%d%H%M%SZ")


class OpensslCa:
    """A minimal `openssl ca` set-up: ca.conf with a policy section, index.txt, serial, crlnumber, newcerts/."""

    def __init__(self, root: Path, *, ca_cert: Path, ca_key: Path, passphrase_file: Path, digest: str) -> None:
        self.root = root
        root.mkdir(parents=True)
        (root / "newcerts").mkdir()
        (root / "index.txt").write_text("")
        (root / "serial").write_text("1000\n")
        (root / "crlnumber").write_text("1000\n")
        self.passphrase_file = passphrase_file
        self.conf = root / "ca.conf"
        self.conf.write_text(f"""\
[ ca ]
default_ca = zm

[ zm ]
dir = {root}
database = $dir/index.txt
new_certs_dir = $dir/newcerts
serial = $dir/serial
crlnumber = $dir/crlnumber
certificate = {ca_cert}
private_key = {ca_key}
default_md = {digest}
default_days = 365
default_crl_hours = 48
policy = device_policy
x509_extensions = device_ext
crl_extensions = crl_ext
copy_extensions = none
email_in_dn = no

[ device_policy ]
countryName = match
organizationName = match
organizationalUnitName = optional
commonName = supplied

[ device_ext ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = clientAuth
subjectAltName = DNS:${{ENV::ZM_SAN}}
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid

[ crl_ext ]
authorityKeyIdentifier = keyid
""")

    def issue(self, csr: Path, out: Path, name: str) -> None:
        env = {**os.environ, "ZM_SAN": f"{name.lower()}.{DEVICE_DOMAIN}"}
        subprocess.run([OPENSSL, "ca", "-config", str(self.conf), "-batch", "-notext", "-in", str(csr),
                        "-out", str(out), "-days", "365", "-passin", f"file:{self.passphrase_file}"],
                       env=env, check=True, capture_output=True)

    def gencrl(self, out: Path) -> None:
        subprocess.run([OPENSSL, "ca", "-config", str(self.conf), "-gencrl", "-crlhours", "48", "-out", str(out),
                        "-passin", f"file:{self.passphrase_file}"],
                       env={**os.environ, "ZM_SAN": "unused"}, check=True, capture_output=True)

    def write_index(self, lines: Iterable[str]) -> None:
        with (self.root / "index.txt").open("w") as handle:
            handle.writelines(lines)

    def index_entries(self) -> int:
        with (self.root / "index.txt").open() as handle:
            return sum(1 for _ in handle)


def passphrase_file(root: Path, name: str = "passphrase.txt") -> Path:
    path = root / name
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(PASSPHRASE + "\n")
    return path


def reencrypted_key(stored: Path, passphrase: Path, out: Path) -> Path:
    """The CA key re-encrypted by `openssl pkey -aes256` (PBKDF2 at OpenSSL's default 2,048 iterations).

    Still encrypted, so nothing unencrypted touches the disk; it separates what `openssl ca` itself costs
    per certificate from the 600,000-iteration KDF it pays on every invocation with the stored key.
    """
    # openssl reads two lines from one file given to both -passin and -passout, so the output gets its own.
    again = passphrase_file(passphrase.parent, passphrase.name + ".out")
    subprocess.run([OPENSSL, "pkey", "-in", str(stored), "-passin", f"file:{passphrase}", "-aes256",
                    "-passout", f"file:{again}", "-out", str(out)], check=True, capture_output=True)
    os.chmod(out, 0o600)
    return out


# --- command-line cold starts -----------------------------------------------------------------------------

def zmconsole_exe() -> str:
    exe = Path(sys.executable).with_name("zmconsole")
    return str(exe) if exe.exists() else "zmconsole"


def cold_start(argv: Sequence[str], *, runs: int, env: dict[str, str] | None = None,
               ok_codes: Sequence[int] = (0,)) -> tuple[float, float, int, int]:
    """Median and best wall time of a fresh process; also its exit code and stdout size."""
    times: list[float] = []
    code, size = 0, 0
    for _ in range(runs):
        start = time.perf_counter()
        done = subprocess.run(list(argv), capture_output=True, env={**os.environ, **(env or {})})
        times.append(time.perf_counter() - start)
        code, size = done.returncode, len(done.stdout)
        if code not in ok_codes:
            raise RuntimeError(f"{' '.join(argv)} exited {code}: {done.stderr.decode(errors='replace')}")
    return statistics.median(times), min(times), code, size

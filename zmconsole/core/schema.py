"""The store's tables, as SQLAlchemy Core metadata.

Times are integer seconds since the epoch (UTC): portable between SQLite and
PostgreSQL, indexable, and compared without time-zone surprises. Serial numbers
are upper-case hex strings because 159-bit serials do not fit a BIGINT.
Migrations in ``migrations/versions`` create and change these tables; this
module is the current shape the code queries against.
"""

from __future__ import annotations

from typing import Any, TypeAlias

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    and_,
    engine,
    func,
    or_,
)

#: A result row of any query over these tables, its columns read by name (``row.serial``).
Row: TypeAlias = "engine.Row[*tuple[Any, ...]]"

metadata = MetaData()

settings = Table(
    "settings",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),  # JSON
)

cas = Table(
    "cas",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("fingerprint", String(64), nullable=False, unique=True),  # SHA-256 of the DER
    Column("subject", Text, nullable=False),
    Column("key_type", String(16), nullable=False),
    Column("not_before", BigInteger, nullable=False),
    Column("not_after", BigInteger, nullable=False),
    Column("cert_der", LargeBinary, nullable=False),
    Column("key_pem", LargeBinary, nullable=False),  # encrypted PKCS#8 (PBES2, AES-256)
    Column("created_at", BigInteger, nullable=False),
    Column("active", Boolean, nullable=False),  # the CA that signs new certificates (one per store)
    Column("role", String(16), nullable=False, server_default="single"),  # single | root | issuing (ROLES)
    Column("parent_der", LargeBinary),  # an issuing CA's root certificate; NULL for a single CA or a root
)

#: What a CA does in its store: a single CA signs leaves itself; a root signs only issuing CAs (and its CRL);
#: an issuing CA, signed by a root kept elsewhere, signs the leaves (migration 0009).
ROLES = ("single", "root", "issuing")

# An issuing CA's key, made in this store, while its certificate request is with the root (``ca init
# --issuing`` until ``ca install-issuing``): at most one row.
ca_requests = Table(
    "ca_requests",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("subject", Text, nullable=False),
    Column("key_type", String(16), nullable=False),
    Column("key_pem", LargeBinary, nullable=False),  # encrypted PKCS#8, under the store's CA passphrase
    Column("csr_der", LargeBinary, nullable=False),
    Column("created_at", BigInteger, nullable=False),
)

devices = Table(
    "devices",
    metadata,
    Column("device_id", String(64), primary_key=True),
    Column("ward", String(64)),
    Column("location", String(200)),
    Column("created_at", BigInteger, nullable=False),
    Column("current_certificate_id", Integer, ForeignKey("certificates.id", use_alter=True)),
    Column("renewal_failed_at", BigInteger),  # the device's last refused renewal, until one succeeds
    Column("renewal_failure", String(64)),  # its protocol error code
    # The expiry check: is it a device's current one, has its renewal failed, where is it (migration 0008)
    Index("ix_devices_current", "current_certificate_id", "renewal_failed_at", "ward", "location"),
)

certificates = Table(
    "certificates",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("serial", String(64), nullable=False, unique=True),
    Column("kind", String(16), nullable=False),  # device | server | signer | issuing-ca (a root's store)
    Column("common_name", String(255), nullable=False),
    Column("device_id", String(64), ForeignKey("devices.device_id")),
    Column("ca_id", Integer, ForeignKey("cas.id"), nullable=False),
    Column("not_before", BigInteger, nullable=False),
    Column("not_after", BigInteger, nullable=False),
    Column("issued_at", BigInteger, nullable=False),
    Column("key_type", String(16), nullable=False),
    Column("key_source", String(16), nullable=False),  # csr | generated
    Column("fingerprint", String(64), nullable=False),
    Column("der", LargeBinary, nullable=False),
    Column("revoked_at", BigInteger),
    Column("revocation_reason", String(32)),
    Column("superseded_at", BigInteger),  # when a successor replaced it (it stays valid until grace_ends_at)
    # Lineage (protocol §7.7): what this certificate replaces and how it was made (MADE_BY); the end of a
    # superseded certificate's grace (NULL for rows superseded before renewal existed: superseded_at + 7 days);
    # when the device confirmed this one from its new identity; the SHA-256 of the CSR a renewal came from, so
    # the same request repeated gets the same certificate.
    Column("replaces_id", Integer, ForeignKey("certificates.id")),
    Column("made_by", String(24)),
    Column("grace_ends_at", BigInteger),
    Column("confirmed_at", BigInteger),
    Column("request_sha256", String(64)),
    Index("ix_certificates_device", "device_id", "issued_at"),  # a device's history
    Index("ix_certificates_replaces", "replaces_id"),  # a certificate's successor
)

#: How a certificate was made (certificates.made_by); NULL in rows older than renewal is "issued".
MADE_BY = ("paired", "renewed-by-device", "renewed-by-console", "issued")

# Every index costs a B-tree write per issued certificate unless its WHERE leaves the new row out. These two
# serve their queries without that cost: a new certificate is neither revoked nor superseded, and device
# certificates are looked up by device_id, never by CN. A query uses a partial index only when its own WHERE
# repeats the index's condition (SQLite matches the expression, PostgreSQL proves it), so the queries take
# these expressions from here.
ON_CRL = or_(certificates.c.revoked_at.is_not(None), certificates.c.superseded_at.is_not(None))
NOT_A_DEVICE = certificates.c.device_id.is_(None)
LIVE = and_(certificates.c.revoked_at.is_(None), certificates.c.superseded_at.is_(None))
#: When a superseded certificate stops being valid: its grace_ends_at, or (a row written without one) 7 days
#: after it was superseded, the fixed grace period before renewal settings existed.
GRACE_ENDS = func.coalesce(certificates.c.grace_ends_at, certificates.c.superseded_at + 7 * 86400)

# The CRL scan, covering and in id order: it never reads the table (and its DER) at all.
Index("ix_certificates_crl", certificates.c.ca_id, certificates.c.id, certificates.c.not_after,
      certificates.c.serial, certificates.c.revoked_at, certificates.c.revocation_reason,
      certificates.c.superseded_at, certificates.c.grace_ends_at, sqlite_where=ON_CRL, postgresql_where=ON_CRL)
# The expiry check, covering what it counts and lists: it never reads the table. A certificate leaves it when
# revoked or superseded. Its id joins it to the device: SQLite's entries end in it (the rowid), PostgreSQL's
# INCLUDE it (migration 0011).
Index("ix_certificates_expiry", certificates.c.not_after, certificates.c.kind, certificates.c.serial,
      certificates.c.common_name, certificates.c.revoked_at, certificates.c.superseded_at,  # NULL, for SQLite
      certificates.c.made_by, sqlite_where=LIVE, postgresql_where=LIVE, postgresql_include=["id"])
# Server, provisioning and signer certificates by host name (supersede on re-issue, the service's own).
Index("ix_certificates_cn", certificates.c.common_name, sqlite_where=NOT_A_DEVICE, postgresql_where=NOT_A_DEVICE)

held_keys = Table(
    "held_keys",
    metadata,
    Column("certificate_id", Integer, ForeignKey("certificates.id"), primary_key=True),
    Column("sealed", LargeBinary, nullable=False),  # AES-256-GCM under a key only the unlocked CA yields
    Column("created_at", BigInteger, nullable=False),
)

crls = Table(
    "crls",
    metadata,
    Column("number", BigInteger, primary_key=True, autoincrement=False),
    Column("ca_id", Integer, ForeignKey("cas.id"), nullable=False),
    Column("this_update", BigInteger, nullable=False),
    Column("next_update", BigInteger, nullable=False),
    Column("entries", Integer, nullable=False),
    Column("der", LargeBinary, nullable=False),
)

audit_log = Table(
    "audit_log",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("at", String(32), nullable=False),  # ISO 8601 UTC, part of the hashed record
    Column("os_user", String(64), nullable=False),
    Column("action", String(64), nullable=False),
    Column("subject", String(255), nullable=False),
    Column("details", Text, nullable=False),  # canonical JSON
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
    Column("operator", String(64)),  # the signed-in operator (migration 0009); NULL in a store without operators
    Index("ix_audit_subject", "subject"),
)

# The newest signed checkpoint of the audit chain (core/checkpoints.py): one row, replaced at each signing.
audit_checkpoints = Table(
    "audit_checkpoints",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("seq", Integer, nullable=False),  # the audit entry it covers, and every one before it
    Column("head", String(64), nullable=False),  # that entry's hash
    Column("at", String(32), nullable=False),
    Column("crl_number", Integer, nullable=False),  # the highest CRL number when it was signed
    Column("ca_fingerprint", String(64), nullable=False),
    Column("key_public", LargeBinary, nullable=False),  # the Ed25519 checkpoint key
    Column("key_certification", LargeBinary, nullable=False),  # the CA's signature over that key
    Column("signature", LargeBinary, nullable=False),
)

pairings = Table(
    "pairings",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("token_sha256", String(64), nullable=False, unique=True),  # never the token itself
    Column("device_id", String(64), nullable=False),
    Column("key_mode", Integer, nullable=False),  # protocol.KeyMode
    Column("state", String(16), nullable=False),  # active | issuing | used | burned | expired | cancelled
    Column("created_at", BigInteger, nullable=False),
    Column("expires_at", BigInteger, nullable=False),
    Column("finished_at", BigInteger),
    Column("failures", Integer, nullable=False),
    Column("provisioning_url", String(64), nullable=False),
    Column("ward", String(64)),
    Column("signer_key_id", String(16), nullable=False),
    Column("auth_key", LargeBinary),  # the code verifier; deleted when the token dies
    Column("sealed_key", LargeBinary),  # console key mode: the key sealed under the code's enc_key
    Column("certificate_id", Integer, ForeignKey("certificates.id")),
    Column("body_sha256", String(64)),  # of the successful request, for idempotent retries
    Column("response", LargeBinary),  # the successful response body, until the token expires
    Column("response_signature", LargeBinary),
    Column("claimed_at", BigInteger),  # when a right proof started issuing
    # console key mode without the CA: a CSR signed by the sealed key, issued from at pull time (migration 0012)
    Column("csr", LargeBinary),
    Index("ix_pairings_device", "device_id", "created_at"),
    Index("ix_pairings_state", "state", "expires_at"),
)

# People who sign in (core/operators.py): a role, a password only as a memory-hard KDF's output with its
# parameters, and the pairing signer key sealed under that password (migration 0009).
operators = Table(
    "operators",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("role", String(16), nullable=False),  # core/roles.Role
    Column("disabled_at", BigInteger),
    Column("created_at", BigInteger, nullable=False),
    Column("kdf", String(16), nullable=False),  # "scrypt"
    Column("kdf_n", Integer, nullable=False),
    Column("kdf_r", Integer, nullable=False),
    Column("kdf_p", Integer, nullable=False),
    Column("salt", LargeBinary, nullable=False),
    Column("password_hash", LargeBinary, nullable=False),  # the KDF output's first half
    Column("password_changed_at", BigInteger, nullable=False),
    Column("signer_certificate_id", Integer, ForeignKey("certificates.id")),
    Column("signer_sealed", LargeBinary),  # AES-256-GCM under the KDF output's second half
    Column("failed_attempts", Integer, nullable=False, server_default="0"),  # wrong passwords in a row
    Column("last_failed_at", BigInteger),
)

service_heartbeats = Table(  # one row per running provisioning service (core/service_heartbeat.py)
    "service_heartbeats",
    metadata,
    Column("instance", String(32), primary_key=True),  # random, per run
    Column("host", String(255), nullable=False),  # the machine it runs on
    Column("pid", Integer, nullable=False),
    Column("provisioning_url", String(255), nullable=False),
    Column("crl_url", String(255), nullable=False),
    Column("started_at", BigInteger, nullable=False),
    Column("seen_at", BigInteger, nullable=False),
)

"""Initial schema: settings, CAs, devices, certificates, held keys, CRLs, audit log.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "settings",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
    )
    op.create_table(
        "cas",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("fingerprint", sa.String(64), nullable=False, unique=True),
        sa.Column("subject", sa.Text, nullable=False),
        sa.Column("key_type", sa.String(16), nullable=False),
        sa.Column("not_before", sa.BigInteger, nullable=False),
        sa.Column("not_after", sa.BigInteger, nullable=False),
        sa.Column("cert_der", sa.LargeBinary, nullable=False),
        sa.Column("key_pem", sa.LargeBinary, nullable=False),
        sa.Column("created_at", sa.BigInteger, nullable=False),
        sa.Column("active", sa.Boolean, nullable=False),
    )
    op.create_table(
        "devices",
        sa.Column("device_id", sa.String(64), primary_key=True),
        sa.Column("ward", sa.String(64)),
        sa.Column("location", sa.String(200)),
        sa.Column("created_at", sa.BigInteger, nullable=False),
        sa.Column("current_certificate_id", sa.Integer),
    )
    op.create_table(
        "certificates",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("serial", sa.String(64), nullable=False, unique=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("common_name", sa.String(255), nullable=False),
        sa.Column("device_id", sa.String(64), sa.ForeignKey("devices.device_id")),
        sa.Column("ca_id", sa.Integer, sa.ForeignKey("cas.id"), nullable=False),
        sa.Column("not_before", sa.BigInteger, nullable=False),
        sa.Column("not_after", sa.BigInteger, nullable=False),
        sa.Column("issued_at", sa.BigInteger, nullable=False),
        sa.Column("key_type", sa.String(16), nullable=False),
        sa.Column("key_source", sa.String(16), nullable=False),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("der", sa.LargeBinary, nullable=False),
        sa.Column("revoked_at", sa.BigInteger),
        sa.Column("revocation_reason", sa.String(32)),
        sa.Column("superseded_at", sa.BigInteger),
    )
    op.create_index("ix_certificates_not_after", "certificates", ["not_after"])
    op.create_index("ix_certificates_device", "certificates", ["device_id", "issued_at"])
    op.create_index("ix_certificates_revoked", "certificates", ["revoked_at"])
    op.create_index("ix_certificates_cn", "certificates", ["common_name"])
    op.create_table(
        "held_keys",
        sa.Column("certificate_id", sa.Integer, sa.ForeignKey("certificates.id"), primary_key=True),
        sa.Column("sealed", sa.LargeBinary, nullable=False),
        sa.Column("created_at", sa.BigInteger, nullable=False),
    )
    op.create_table(
        "crls",
        sa.Column("number", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("ca_id", sa.Integer, sa.ForeignKey("cas.id"), nullable=False),
        sa.Column("this_update", sa.BigInteger, nullable=False),
        sa.Column("next_update", sa.BigInteger, nullable=False),
        sa.Column("entries", sa.Integer, nullable=False),
        sa.Column("der", sa.LargeBinary, nullable=False),
    )
    op.create_table(
        "audit_log",
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("at", sa.String(32), nullable=False),
        sa.Column("os_user", sa.String(64), nullable=False),
        sa.Column("action", sa.String(64), nullable=False),
        sa.Column("subject", sa.String(255), nullable=False),
        sa.Column("details", sa.Text, nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
    )
    op.create_index("ix_audit_subject", "audit_log", ["subject"])


def downgrade() -> None:
    for table in ("audit_log", "crls", "held_keys", "certificates", "devices", "cas", "settings"):
        op.drop_table(table)

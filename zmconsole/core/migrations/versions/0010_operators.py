"""Operators: people with a role and a password, each holding a pairing signer; every audit entry names one.

``operators`` holds each person's role, the memory-hard KDF's parameters and output (never the password),
the pairing signer key sealed under the password, the signer's certificate, and the wrong-password count
that rate-limits sign-in across processes. ``audit_log.operator`` names the signed-in operator beside the OS
account; entries written before this revision have none, and their hashes are unchanged (core/audit.py).

Revision ID: 0010
Revises: 0009
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "operators",
        sa.Column("name", sa.String(64), primary_key=True),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("disabled_at", sa.BigInteger),
        sa.Column("created_at", sa.BigInteger, nullable=False),
        sa.Column("kdf", sa.String(16), nullable=False),
        sa.Column("kdf_n", sa.Integer, nullable=False),
        sa.Column("kdf_r", sa.Integer, nullable=False),
        sa.Column("kdf_p", sa.Integer, nullable=False),
        sa.Column("salt", sa.LargeBinary, nullable=False),
        sa.Column("password_hash", sa.LargeBinary, nullable=False),
        sa.Column("password_changed_at", sa.BigInteger, nullable=False),
        sa.Column("signer_certificate_id", sa.Integer),  # certificates.id (no FK clause: the code keeps it valid)
        sa.Column("signer_sealed", sa.LargeBinary),
        sa.Column("failed_attempts", sa.Integer, nullable=False, server_default="0"),
        sa.Column("last_failed_at", sa.BigInteger),
    )
    op.add_column("audit_log", sa.Column("operator", sa.String(64)))


def downgrade() -> None:
    op.drop_column("audit_log", "operator")
    op.drop_table("operators")

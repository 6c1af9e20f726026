"""Pairing: one row per pairing token (its hash, verifier, state and outcome).

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "pairings",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("token_sha256", sa.String(64), nullable=False, unique=True),
        sa.Column("device_id", sa.String(64), nullable=False),
        sa.Column("key_mode", sa.Integer, nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("created_at", sa.BigInteger, nullable=False),
        sa.Column("expires_at", sa.BigInteger, nullable=False),
        sa.Column("finished_at", sa.BigInteger),
        sa.Column("failures", sa.Integer, nullable=False),
        sa.Column("provisioning_url", sa.String(64), nullable=False),
        sa.Column("ward", sa.String(64)),
        sa.Column("signer_key_id", sa.String(16), nullable=False),
        sa.Column("auth_key", sa.LargeBinary),
        sa.Column("sealed_key", sa.LargeBinary),
        sa.Column("certificate_id", sa.Integer, sa.ForeignKey("certificates.id")),
        sa.Column("body_sha256", sa.String(64)),
        sa.Column("response", sa.LargeBinary),
        sa.Column("response_signature", sa.LargeBinary),
        sa.Column("claimed_at", sa.BigInteger),
    )
    op.create_index("ix_pairings_device", "pairings", ["device_id", "created_at"])
    op.create_index("ix_pairings_state", "pairings", ["state", "expires_at"])


def downgrade() -> None:
    op.drop_table("pairings")

"""Certificates and devices: the daily expiry check answered from indexes alone.

``ix_certificates_not_after`` (every certificate, the expiry only) becomes ``ix_certificates_expiry``: only
certificates neither revoked nor superseded, covering what the check counts and lists (expiry, kind, serial,
common name; and the two NULL columns of its condition, which SQLite must find in the index to call it
covering), so the check never reads a certificate row and its DER. A revoked or replaced certificate leaves
it. ``ix_devices_current`` answers "is this a device's current certificate" from an index too.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

LIVE = sa.text("revoked_at IS NULL AND superseded_at IS NULL")  # as schema.LIVE


def upgrade() -> None:
    op.drop_index("ix_certificates_not_after", table_name="certificates")
    op.create_index("ix_certificates_expiry", "certificates", ["not_after", "kind", "serial", "common_name",
                                                             "revoked_at", "superseded_at"],
                    sqlite_where=LIVE, postgresql_where=LIVE)
    op.create_index("ix_devices_current", "devices", ["current_certificate_id"])


def downgrade() -> None:
    op.drop_index("ix_devices_current", table_name="devices")
    op.drop_index("ix_certificates_expiry", table_name="certificates")
    op.create_index("ix_certificates_not_after", "certificates", ["not_after"])

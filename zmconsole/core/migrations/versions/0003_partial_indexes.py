"""Certificates: indexes a new certificate does not have to be written into.

``ix_certificates_revoked`` (every row, mostly NULL) becomes ``ix_certificates_crl``: only revoked or
superseded certificates, covering the CRL's columns in id order, so generating a CRL reads a small index
instead of the whole table with its DER, and issuing a certificate writes one B-tree less. It also stops
SQLite taking ``revoked_at IS NULL`` as selective and walking that index for the expiry check instead of
``ix_certificates_not_after``. ``ix_certificates_cn`` keeps only certificates not bound to a device (server,
provisioning, pairing signer): device certificates are looked up by ``device_id``.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

ON_CRL = sa.text("revoked_at IS NOT NULL OR superseded_at IS NOT NULL")  # as schema.ON_CRL
NOT_A_DEVICE = sa.text("device_id IS NULL")  # as schema.NOT_A_DEVICE


def upgrade() -> None:
    op.drop_index("ix_certificates_revoked", table_name="certificates")
    op.create_index("ix_certificates_crl", "certificates",
                    ["ca_id", "id", "not_after", "serial", "revoked_at", "revocation_reason", "superseded_at"],
                    sqlite_where=ON_CRL, postgresql_where=ON_CRL)
    op.drop_index("ix_certificates_cn", table_name="certificates")
    op.create_index("ix_certificates_cn", "certificates", ["common_name"],
                    sqlite_where=NOT_A_DEVICE, postgresql_where=NOT_A_DEVICE)


def downgrade() -> None:
    op.drop_index("ix_certificates_cn", table_name="certificates")
    op.create_index("ix_certificates_cn", "certificates", ["common_name"])
    op.drop_index("ix_certificates_crl", table_name="certificates")
    op.create_index("ix_certificates_revoked", "certificates", ["revoked_at"])

"""Renewal: each certificate's lineage (what it replaces, how it was made), the end of its grace, the device's
confirmation, and the CSR a renewal came from; each device's last refused renewal.

Rows made before this revision: a device certificate a pairing delivered is ``paired``, any other device
certificate ``issued``; a superseded certificate's grace ends 7 days after it was superseded (the fixed
grace period of earlier versions). ``ix_certificates_crl`` also covers ``grace_ends_at``, so the CRL scan
still reads only that index.

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

ON_CRL = sa.text("revoked_at IS NOT NULL OR superseded_at IS NOT NULL")  # as schema.ON_CRL
_CRL_COLUMNS = ["ca_id", "id", "not_after", "serial", "revoked_at", "revocation_reason", "superseded_at"]


def upgrade() -> None:
    # No FOREIGN KEY clause: SQLite cannot add one to an existing table (the code keeps the reference valid).
    op.add_column("certificates", sa.Column("replaces_id", sa.Integer))
    op.add_column("certificates", sa.Column("made_by", sa.String(24)))
    op.add_column("certificates", sa.Column("grace_ends_at", sa.BigInteger))
    op.add_column("certificates", sa.Column("confirmed_at", sa.BigInteger))
    op.add_column("certificates", sa.Column("request_sha256", sa.String(64)))
    op.add_column("devices", sa.Column("renewal_failed_at", sa.BigInteger))
    op.add_column("devices", sa.Column("renewal_failure", sa.String(64)))
    op.execute("UPDATE certificates SET made_by = 'paired' WHERE kind = 'device' AND id IN "
               "(SELECT certificate_id FROM pairings WHERE certificate_id IS NOT NULL)")
    op.execute("UPDATE certificates SET made_by = 'issued' WHERE kind = 'device' AND made_by IS NULL")
    op.execute("UPDATE certificates SET grace_ends_at = superseded_at + 604800 "  # the old fixed 7 days
               "WHERE superseded_at IS NOT NULL")
    op.create_index("ix_certificates_replaces", "certificates", ["replaces_id"])
    op.drop_index("ix_certificates_crl", table_name="certificates")
    op.create_index("ix_certificates_crl", "certificates", [*_CRL_COLUMNS, "grace_ends_at"],
                    sqlite_where=ON_CRL, postgresql_where=ON_CRL)


def downgrade() -> None:
    op.drop_index("ix_certificates_crl", table_name="certificates")
    op.create_index("ix_certificates_crl", "certificates", _CRL_COLUMNS, sqlite_where=ON_CRL,
                    postgresql_where=ON_CRL)
    op.drop_index("ix_certificates_replaces", table_name="certificates")
    op.drop_column("devices", "renewal_failure")
    op.drop_column("devices", "renewal_failed_at")
    for column in ("request_sha256", "confirmed_at", "grace_ends_at", "made_by", "replaces_id"):
        op.drop_column("certificates", column)

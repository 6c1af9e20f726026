"""The expiry check stays index-only now that it says which device renews itself and where it stands.

Renewal (0007) made the check read each certificate's ``made_by``, and the device's ``renewal_failed_at``,
ward and location; ``ix_certificates_expiry`` and ``ix_devices_current`` gain those columns, so the daily
check still reads no table row (docs/performance.md).

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

LIVE = sa.text("revoked_at IS NULL AND superseded_at IS NULL")  # as schema.LIVE
_EXPIRY = ["not_after", "kind", "serial", "common_name", "revoked_at", "superseded_at"]


def upgrade() -> None:
    op.drop_index("ix_certificates_expiry", table_name="certificates")
    op.create_index("ix_certificates_expiry", "certificates", [*_EXPIRY, "made_by"],
                    sqlite_where=LIVE, postgresql_where=LIVE)
    op.drop_index("ix_devices_current", table_name="devices")
    op.create_index("ix_devices_current", "devices",
                    ["current_certificate_id", "renewal_failed_at", "ward", "location"])


def downgrade() -> None:
    op.drop_index("ix_devices_current", table_name="devices")
    op.create_index("ix_devices_current", "devices", ["current_certificate_id"])
    op.drop_index("ix_certificates_expiry", table_name="certificates")
    op.create_index("ix_certificates_expiry", "certificates", _EXPIRY, sqlite_where=LIVE, postgresql_where=LIVE)

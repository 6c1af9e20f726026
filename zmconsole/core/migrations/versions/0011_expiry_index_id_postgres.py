"""On PostgreSQL the expiry check is index-only too: ``ix_certificates_expiry`` carries the certificate's id.

The check joins each live certificate to the device whose current one it is, by ``certificates.id``. SQLite's
index entries end in the rowid, which is that id, so the index covers the join there; a PostgreSQL index holds
only its own columns, and the check read every certificate row (and its DER) to find the id. There the index
now INCLUDEs it. SQLite's index is unchanged.

Revision ID: 0011
Revises: 0010
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

LIVE = sa.text("revoked_at IS NULL AND superseded_at IS NULL")  # as schema.LIVE
_EXPIRY = ["not_after", "kind", "serial", "common_name", "revoked_at", "superseded_at", "made_by"]


def _recreate(include: list[str]) -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.drop_index("ix_certificates_expiry", table_name="certificates")
    op.create_index("ix_certificates_expiry", "certificates", _EXPIRY, postgresql_where=LIVE,
                    postgresql_include=include)


def upgrade() -> None:
    _recreate(["id"])


def downgrade() -> None:
    _recreate([])

"""A CA hierarchy: an offline root, and issuing CAs that roll over (issue 12).

``cas`` gains the role each CA plays in its store (``single`` as before, ``root``, or ``issuing``) and, for an
issuing CA, the root certificate it chains to. Several issuing CAs share a store once one has been rolled over:
the newest is ``active``, the older ones keep signing the CRL and OCSP answers of the certificates they issued
until those have expired. ``ca_requests`` holds an issuing CA's key while its certificate is with the root
(``ca init --issuing``, until ``ca install-issuing``).

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("cas", sa.Column("role", sa.String(16), nullable=False, server_default="single"))
    op.add_column("cas", sa.Column("parent_der", sa.LargeBinary))
    op.create_table(
        "ca_requests",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("subject", sa.Text, nullable=False),
        sa.Column("key_type", sa.String(16), nullable=False),
        sa.Column("key_pem", sa.LargeBinary, nullable=False),
        sa.Column("csr_der", sa.LargeBinary, nullable=False),
        sa.Column("created_at", sa.BigInteger, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("ca_requests")
    with op.batch_alter_table("cas") as batch:
        batch.drop_column("parent_der")
        batch.drop_column("role")

"""A console-key pairing prepared without the CA keeps a CSR signed by the console-made key, for the key holder.

A ``pairing`` operator holds no key that can sign a certificate, so a console-key pairing they prepare stores,
beside the key sealed under the code, a CSR signed by that key (the public key and proof of possession, never
the private key); the provisioning service issues the certificate from it when the device pulls its bundle.
Rows made before this revision have no CSR: their certificate was issued when they were prepared.

Revision ID: 0012
Revises: 0011
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("pairings", sa.Column("csr", sa.LargeBinary))


def downgrade() -> None:
    op.drop_column("pairings", "csr")

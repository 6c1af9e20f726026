"""The fixed vocabularies a user types or a script reads: key types and revocation reasons.

They live apart from the code that acts on them (``keys``, ``revocation``) so a front end can
offer them as choices without importing that code: the command line builds its whole parser for ``--help`` and
for the monitoring check, and must not pay for ``cryptography`` or SQLAlchemy there. Nothing is imported here
(the statuses are in :mod:`zmconsole.core.status`, just as light).
"""

from __future__ import annotations

CA_KEY_TYPES: tuple[str, ...] = ("rsa4096", "ec-p384")
LEAF_KEY_TYPES: tuple[str, ...] = ("rsa2048", "ec-p256")

# The operator's reasons; revocation.REASONS maps each to its RFC 5280 reason code.
REVOCATION_REASONS: tuple[str, ...] = ("lost", "compromised", "decommissioned", "superseded")

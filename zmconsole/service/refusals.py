"""The HTTP status each pairing refusal is answered with (docs/pairing-protocol.md §7.1).

The core names a refusal by its protocol error code (``core.pairing.refusals``); which HTTP status carries
it is this service's business, so the table lives here.
"""

from __future__ import annotations

from zmconsole.core.pairing.refusals import ERROR_CODES, PairingRefused

HTTP_STATUS: dict[str, int] = {
    "malformed_request": 400,
    "wrong_code": 401,
    "device_mismatch": 403,
    "policy_refused": 403,
    "not_found": 404,
    "wrong_key_mode": 409,
    "token_unknown": 410,
    "token_expired": 410,
    "token_used": 410,
    "token_burned": 410,
    "token_cancelled": 410,
    "request_too_large": 413,
    "unavailable": 503,
}
assert set(HTTP_STATUS) == ERROR_CODES, "every protocol error code has its HTTP status"


def http_status(refused: PairingRefused) -> int:
    """The HTTP status that answers ``refused``."""
    return HTTP_STATUS[refused.code]

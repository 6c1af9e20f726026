"""Refusing a device's request: the protocol's error codes, and how refusals reach the audit trail.

A refusal is a :class:`PairingRefused` carrying one of :data:`ERROR_CODES` (docs/pairing-protocol.md §7.1); the
service turns it into an HTTP answer (``zmconsole.service.refusals`` holds the status table, which is HTTP's
business, not the core's).

Refusals of *unauthenticated* requests (no code proof was checked: an unknown token, a used, expired, burned or
cancelled one, the wrong device or key mode, a malformed body) cost a sender nothing, so they must not cost the
store an audit entry each: :class:`RefusalLog` writes the first of each minute in full and counts the rest, then
writes one ``pairing.refusals`` summary (how many, by code, by source address) when the minute is over. Refusals
after a right proof (the CSR broke the policy) and wrong codes (at most five per token before it burns) are
audited one by one.
"""

from __future__ import annotations

import threading
from collections import Counter
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection

from zmconsole.core import audit
from zmconsole.core.errors import ZmError
from zmconsole.core.store import Store

#: The protocol's error codes (section 7.1).
ERROR_CODES = frozenset({
    "malformed_request", "wrong_code", "device_mismatch", "policy_refused", "not_found", "wrong_key_mode",
    "token_unknown", "token_expired", "token_used", "token_burned", "token_cancelled", "request_too_large",
    "unavailable",
})
SUMMARY_WINDOW = timedelta(minutes=1)
MAX_SOURCES = 32  # source addresses named in one summary; the rest are counted together
SUMMARY_SUBJECT = "(unauthenticated)"


class PairingRefused(ZmError):
    """A device's request is refused; ``code`` is the protocol's error code, the message is for the person.

    ``authenticated``: the request had proved the pairing code (so it is audited on its own, not summarised).
    """

    def __init__(self, code: str, message: str, *, remaining_attempts: int | None = None,
                 authenticated: bool = False) -> None:
        if code not in ERROR_CODES:
            raise ValueError(f"unknown pairing error code {code!r}")
        super().__init__(message)
        self.code = code
        self.remaining_attempts = remaining_attempts
        self.authenticated = authenticated

    def as_json(self) -> dict[str, Any]:
        """The error body of section 7.1: ``{"error": {"code", "message"[, "remaining_attempts"]}}``."""
        error: dict[str, Any] = {"code": self.code, "message": str(self)}
        if self.remaining_attempts is not None:
            error["remaining_attempts"] = self.remaining_attempts
        return {"error": error}


class RefusalLog:
    """The audit of refusals, with unauthenticated ones summarised per :data:`SUMMARY_WINDOW` (one per process).

    The service keeps one for its lifetime and calls :meth:`flush` when it stops, so the last window's count
    is written too. Thread-safe: the service answers on several worker threads.
    """

    def __init__(self, window: timedelta = SUMMARY_WINDOW) -> None:
        self.window = window
        self._lock = threading.Lock()
        self._since: datetime | None = None  # start of the current window
        self._codes: Counter[str] = Counter()
        self._sources: Counter[str] = Counter()

    def record(self, conn: Connection, subject: str, error: PairingRefused, details: dict[str, Any],
               now: datetime) -> None:
        """Audit ``error`` inside the refusal's write transaction: in full, or counted into the summary."""
        if error.authenticated or error.code == "wrong_code":
            audit.append(conn, "pairing.refused", subject, details, now=now)
            return
        with self._lock:
            if self._since is not None and now < self._since + self.window:
                self._codes[error.code] += 1
                source = str(details.get("source") or "-")
                if source in self._sources or len(self._sources) < MAX_SOURCES:
                    self._sources[source] += 1
                else:
                    self._sources["(other)"] += 1
                return
            summary = self._take(now)
            self._since = now
        if summary is not None:
            audit.append(conn, "pairing.refusals", SUMMARY_SUBJECT, summary, now=now)
        audit.append(conn, "pairing.refused", subject, {**details, "summarised_after": True}, now=now)

    def flush(self, store: Store, now: datetime) -> bool:
        """Write the summary of the refusals counted so far (the service stops); True if there was one."""
        with self._lock:
            summary = self._take(now)  # the window goes on: later refusals in it are still counted
        if summary is None:
            return False
        audit.record(store, "pairing.refusals", SUMMARY_SUBJECT, summary, now=now)
        return True

    def _take(self, now: datetime) -> dict[str, Any] | None:
        """The counted refusals as a summary's details, and a fresh count (under the lock)."""
        if not self._codes or self._since is None:
            return None
        summary = {"count": sum(self._codes.values()), "codes": dict(self._codes),
                   "sources": dict(self._sources.most_common()), "from": self._since.isoformat(),
                   "to": now.isoformat()}
        self._codes, self._sources = Counter(), Counter()
        return summary


def audit_refusal(conn: Connection, log: RefusalLog | None, subject: str, error: PairingRefused, *, endpoint: str,
                  source: str, now: datetime, pairing_id: int | None = None) -> PairingRefused:
    """Audit a refusal (through ``log``, or in full when there is none) and hand it back to be raised."""
    details: dict[str, Any] = {"code": error.code, "endpoint": endpoint, "source": source}
    if pairing_id is not None:
        details["pairing"] = pairing_id
    if error.remaining_attempts is not None:
        details["remaining_attempts"] = error.remaining_attempts
    if log is None:
        audit.append(conn, "pairing.refused", subject, details, now=now)
    else:
        log.record(conn, subject, error, details, now)
    return error

"""How many connections each listener holds open, and how refusals reach the log without flooding it.

Each listener has its own :class:`Gate`, so a flood on the plain-HTTP CRL port cannot take the HTTPS
listener's slots (pairing goes on), and a per-address cap keeps one client from taking a whole listener.
A connection is idle until the first byte of its request arrives; when a listener is full, the oldest
idle connection is closed to make room, so idle connections from many addresses cannot starve a client
that sends its request at once.
A refusal costs one log line per :data:`REFUSAL_LOG_SECONDS` at most, however many connections are
refused: :class:`RefusalLog` counts them and writes a summary.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

log = logging.getLogger("zmconsole.service")

REFUSAL_LOG_SECONDS = 10.0


@dataclass(frozen=True)
class Limits:
    """Connections one listener keeps open at once: in all, and from one client address."""

    connections: int = 256
    per_client: int = 32


class Slot:
    """One admitted connection. ``close`` is called if it is evicted while idle; ``evicted`` says it was."""

    __slots__ = ("client", "close", "evicted", "released")

    def __init__(self, client: str, close: Callable[[], None]) -> None:
        self.client = client
        self.close = close
        self.evicted = False
        self.released = False


class Gate:
    """The connections open on one listener, counted in all and by client address (event-loop thread only)."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.open = 0
        self._by_client: Counter[str] = Counter()
        self._idle: dict[Slot, None] = {}  # in order of arrival: the oldest first

    def admit(self, client: str, close: Callable[[], None]) -> Slot | str:
        """A slot for a new connection from ``client``, or why there is none (the connection is then not
        counted). A full listener makes room by evicting its oldest idle connection, if it has one."""
        if self._by_client[client] >= self.limits.per_client:
            return f"{self.limits.per_client} connections open from that address"
        if self.open >= self.limits.connections:
            if not self._idle:
                return f"{self.limits.connections} connections open, none idle"
            oldest = next(iter(self._idle))
            self.release(oldest)
            oldest.evicted = True
            oldest.close()
        slot = Slot(client, close)
        self.open += 1
        self._by_client[client] += 1
        self._idle[slot] = None
        return slot

    def active(self, slot: Slot) -> None:
        """The connection's request has begun: it is no longer idle, so no longer evicted to make room."""
        self._idle.pop(slot, None)

    def release(self, slot: Slot) -> None:
        """The connection is over (or evicted); releasing twice counts once."""
        if slot.released:
            return
        slot.released = True
        self._idle.pop(slot, None)
        self.open -= 1
        self._by_client[slot.client] -= 1
        if self._by_client[slot.client] <= 0:
            del self._by_client[slot.client]


class RefusalLog:
    """Refused and idle connections, written as one summary line per interval instead of a line each.

    The first refusal after a quiet interval is logged at once; later ones are counted and summarised
    when the interval ends (a timer on the event loop makes sure the last count is written too).
    """

    def __init__(self, interval: float = REFUSAL_LOG_SECONDS, clock: Callable[[], float] = time.monotonic) -> None:
        self.interval = interval
        self.clock = clock
        self._counts: Counter[str] = Counter()
        self._last_client = ""
        self._quiet_until = 0.0
        self._timer: asyncio.TimerHandle | None = None

    def note(self, what: str, client: str) -> None:
        """One connection refused or closed for ``what`` (e.g. ``"http: 256 connections open"``)."""
        self._counts[what] += 1
        self._last_client = client
        now = self.clock()
        if now >= self._quiet_until:
            self.flush()
        elif self._timer is None:
            self._timer = asyncio.get_running_loop().call_later(self._quiet_until - now, self.flush)

    def flush(self) -> None:
        """Write what was counted since the last line, if anything."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        if not self._counts:
            return
        total = sum(self._counts.values())
        reasons = "; ".join(f"{count} × {what}" for what, count in self._counts.most_common())
        log.warning("%d connection(s) refused or closed unused (%s); the last from %s", total, reasons,
                    self._last_client)
        self._counts.clear()
        self._quiet_until = self.clock() + self.interval

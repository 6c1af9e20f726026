"""Which provisioning services serve this store: each running one writes a heartbeat row, the console reads them.

A service (``zmconsole serve``, or the one a console starts) calls :func:`beat` when it starts answering and
every :data:`BEAT_SECONDS` after, and :func:`gone` when it stops. :func:`running` lists those seen within
:data:`STALE_AFTER`, so a service that was killed drops out by itself after a few missed beats. The console
uses this to show the service that really serves the store (wherever it runs) and to start its own only when
none runs; nothing here proves that a device can reach the address, which the console checks separately.
"""

from __future__ import annotations

import os
import secrets
import socket
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select, update

from zmconsole.core import schema, utc
from zmconsole.core.store import Store

BEAT_SECONDS = 10.0
STALE_AFTER = timedelta(seconds=35)  # three beats missed: the service is gone
FORGET_AFTER = timedelta(days=1)  # rows of services that vanished without a word are deleted then

_h = schema.service_heartbeats


@dataclass(frozen=True)
class Heartbeat:
    instance: str
    host: str
    pid: int
    provisioning_url: str
    crl_url: str
    started_at: datetime
    seen_at: datetime

    def seconds_ago(self, now: datetime) -> int:
        return max(0, int((now - self.seen_at).total_seconds()))


@dataclass(frozen=True)
class Identity:
    """Who is beating: one per service run."""

    instance: str
    host: str
    pid: int
    started_at: datetime


def new_identity(*, now: datetime | None = None) -> Identity:
    return Identity(secrets.token_hex(16), socket.gethostname()[:255], os.getpid(), utc.now(now))


def beat(store: Store, me: Identity, *, provisioning_url: str, crl_url: str, now: datetime | None = None) -> None:
    """Say "alive, answering at these URLs" (insert or refresh this run's row; forget long-dead ones)."""
    moment = utc.to_epoch(utc.now(now))
    with store.write() as conn:
        done = conn.execute(update(_h).where(_h.c.instance == me.instance)
                            .values(seen_at=moment, provisioning_url=provisioning_url, crl_url=crl_url))
        if done.rowcount == 0:
            conn.execute(_h.insert().values(instance=me.instance, host=me.host, pid=me.pid,
                                            provisioning_url=provisioning_url, crl_url=crl_url,
                                            started_at=utc.to_epoch(me.started_at), seen_at=moment))
        conn.execute(delete(_h).where(_h.c.seen_at < moment - int(FORGET_AFTER.total_seconds())))


def gone(store: Store, me: Identity) -> None:
    """The service stopped: remove its row."""
    with store.write() as conn:
        conn.execute(delete(_h).where(_h.c.instance == me.instance))


def running(store: Store, *, now: datetime | None = None) -> list[Heartbeat]:
    """The services seen alive lately, the most recently started first."""
    moment = utc.now(now)
    since = utc.to_epoch(moment - STALE_AFTER)
    with store.read() as conn:
        rows = conn.execute(select(_h).where(_h.c.seen_at >= since)
                            .order_by(_h.c.started_at.desc(), _h.c.instance)).all()
    return [Heartbeat(row.instance, row.host, row.pid, row.provisioning_url, row.crl_url,
                      utc.from_epoch(row.started_at), utc.from_epoch(row.seen_at)) for row in rows]

"""A throw-away store full of life, for ``zmconsole --demo`` and the screenshots.

Everything goes through the public core API with ``now=`` set in the past, so
the demo store is exactly what a real one looks like after two years of use:
an EC P-384 CA (fast to make), a few hundred monitors spread over every state
(active, each expiry band, expired, revoked, renewed with a superseded
predecessor, not yet valid), a server certificate about to expire, two CRLs,
and an audit chain that verifies. Events are replayed in time order so the
audit log reads chronologically. The CA passphrase is :data:`DEMO_PASSPHRASE`;
never use a demo store for real devices.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from zmconsole.core import ca, issuance, revocation, settings, utc
from zmconsole.core.store import Store

DEMO_PASSPHRASE = "zmconsole demo passphrase"  # noqa: S105 - published on purpose: a demo store guards nothing
WARDS = ("ICU", "Cardiology", "Emergency", "Maternity", "Oncology", "Surgery", "Pediatrics", "Neurology")
SERVER_HOST = "telemetry.hospital.example"
DEFAULT_DEVICES = 300

# Share of the devices in each fate; every fate gets at least one device.
_FATES: tuple[tuple[str, float], ...] = (
    ("expiring-90", 0.10), ("expiring-30", 0.07), ("expiring-7", 0.04), ("expired", 0.08),
    ("revoked", 0.08), ("renewed", 0.05), ("not-yet-valid", 0.03),
)
_REASONS = ("lost", "compromised", "decommissioned")
_DAYS = 365
_KEY = "ec-p256"


@dataclass(frozen=True, order=True)
class _Event:
    at: datetime
    order: int  # keeps events at the same instant in plan order
    kind: str  # issue | renew | revoke | server | crl
    device_id: str = ""
    ward: str = ""
    location: str = ""
    reason: str = ""


def _fates(devices: int) -> list[str]:
    quotas = [(fate, max(1, round(devices * share))) for fate, share in _FATES]
    planned = [fate for fate, count in quotas for _ in range(count)][:devices]
    return planned + ["active"] * (devices - len(planned))


def _plan(devices: int, now: datetime, rng: random.Random) -> list[_Event]:
    """Every issuance, renewal and revocation the demo store has seen, in time order."""
    events: list[_Event] = []
    fates = _fates(devices)
    rng.shuffle(fates)
    day, hour = timedelta(days=1), timedelta(hours=1)
    for number, fate in enumerate(fates, start=1):
        device_id = f"ZM-{number:03d}"
        ward = WARDS[(number - 1) % len(WARDS)]
        location = f"Room {100 * (1 + (number - 1) % len(WARDS)) + (number - 1) // len(WARDS) % 40}, bed " \
                   f"{'AB'[number % 2]}"
        left = {"expiring-90": rng.randint(31, 89), "expiring-30": rng.randint(8, 29),
                "expiring-7": rng.randint(1, 6)}.get(fate)
        if left is not None:
            issued = now - (_DAYS - left) * day - rng.randint(1, 20) * hour
        elif fate == "expired":
            issued = now - rng.randint(370, 500) * day
        elif fate == "renewed":
            issued = now - rng.randint(340, 358) * day
        elif fate == "not-yet-valid":
            issued = now + rng.randint(2, 72) * hour  # a console whose clock ran ahead (seed §9)
        else:
            issued = now - rng.randint(1, 270) * day - rng.randint(0, 23) * hour
        events.append(_Event(issued, number, "issue", device_id, ward, location))
        if fate == "renewed":
            events.append(_Event(now - rng.randint(1, 12) * day, number, "renew", device_id))
        elif fate == "revoked":
            age = max(2, (now - issued).days)
            events.append(_Event(issued + rng.randint(1, age - 1) * day, number, "revoke", device_id,
                                 reason=rng.choice(_REASONS)))
    events.append(_Event(now - 300 * day, 0, "server"))
    events.append(_Event(now - 30 * day, 0, "crl"))
    events.append(_Event(now, devices + 1, "crl"))
    return sorted(events)


def fill(
    store: Store,
    *,
    devices: int = DEFAULT_DEVICES,
    now: datetime | None = None,
    seed: int = 2025,
    progress: Callable[[int, int, str], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> ca.UnlockedCa | None:
    """Create the demo CA and replay ``devices`` monitors' history; None if cancelled part-way.

    ``progress(done, total, text)`` and ``cancelled()`` work as in :func:`bulk.issue_rows`.
    """
    now = utc.now(now)
    rng = random.Random(seed)
    start = now - timedelta(days=800)
    subject = ca.build_subject(cn="Z-Monitor-CA", org="Hospital", ou="IT", country="US", state="State")
    unlocked = ca.create(store, subject=subject, passphrase=DEMO_PASSPHRASE, key_type="ec-p384", days=3650,
                         now=start, actor="demo")
    current = settings.save(store, settings.validate(
        settings.load(store), crl_url="http://pki.hospital.example/zmonitor.crl",
        ocsp_url="http://pki.hospital.example/ocsp", ca_issuers_url="http://pki.hospital.example/zmonitor-ca.crt",
    ), actor="demo")
    events = _plan(devices, now, rng)
    for done, event in enumerate(events, start=1):
        if cancelled is not None and cancelled():
            return None
        if event.kind == "issue":
            issuance.issue_device(store, unlocked, event.device_id, generate=_KEY, ward=event.ward,
                                  location=event.location, days=_DAYS, settings=current, now=event.at, actor="demo")
        elif event.kind == "renew":
            issuance.issue_device(store, unlocked, event.device_id, generate=_KEY, renew=True, days=_DAYS,
                                  settings=current, now=event.at, actor="demo")
        elif event.kind == "revoke":
            revocation.revoke(store, event.device_id, event.reason, now=event.at, actor="demo")
        elif event.kind == "server":
            issuance.issue_server(store, unlocked, SERVER_HOST, generate=_KEY, days=_DAYS, settings=current,
                                  now=event.at, actor="demo")
        else:
            revocation.generate_crl(store, unlocked, now=event.at, actor="demo")
        if progress is not None:
            progress(done, len(events), f"{event.kind} {event.device_id}".strip())
    return unlocked

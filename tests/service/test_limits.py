"""The per-listener connection gate and the refusal log, on their own (time is a parameter, not slept)."""

from __future__ import annotations

import asyncio
import logging

import pytest

from zmconsole.service.limits import Gate, Limits, RefusalLog, Slot


def _admit(gate: Gate, client: str, closed: list[str] | None = None) -> Slot | str:
    return gate.admit(client, lambda: (closed if closed is not None else []).append(client))


def test_the_gate_holds_its_limit_per_address() -> None:
    gate = Gate(Limits(connections=5, per_client=2))
    first, second, third = (_admit(gate, "10.0.0.1") for _ in range(3))
    assert isinstance(first, Slot) and isinstance(second, Slot)
    assert third == "2 connections open from that address"
    gate.release(first)
    gate.release(first)  # counted once
    assert isinstance(_admit(gate, "10.0.0.1"), Slot)  # a slot given back is usable again
    assert gate.open == 2


def test_a_full_gate_evicts_its_oldest_idle_connection_and_refuses_when_none_is_idle() -> None:
    gate = Gate(Limits(connections=3, per_client=3))
    closed: list[str] = []
    busy, idle_old, idle_new = (_admit(gate, address, closed) for address in ("10.0.0.1", "10.0.0.2", "10.0.0.3"))
    assert isinstance(busy, Slot) and isinstance(idle_old, Slot) and isinstance(idle_new, Slot)
    gate.active(busy)  # its request has begun
    newcomer = _admit(gate, "10.0.0.4", closed)
    assert isinstance(newcomer, Slot)
    assert closed == ["10.0.0.2"] and idle_old.evicted and not busy.evicted
    assert gate.open == 3
    gate.active(idle_new)
    gate.active(newcomer)
    assert _admit(gate, "10.0.0.5", closed) == "3 connections open, none idle"
    gate.release(idle_old)  # the evicted connection's own release changes nothing
    assert gate.open == 3


def test_many_refusals_make_two_lines_an_interval_apart(caplog: pytest.LogCaptureFixture) -> None:
    now = [100.0]
    refusals = RefusalLog(interval=10.0, clock=lambda: now[0])

    async def flood() -> None:
        for n in range(1000):
            refusals.note("http: 256 connections open", f"192.0.2.{n % 200}")
            now[0] += 0.001
        now[0] += 10.0
        refusals.flush()  # what the timer does when the interval ends

    with caplog.at_level(logging.WARNING, logger="zmconsole.service"):
        asyncio.run(flood())
    lines = [r.getMessage() for r in caplog.records]
    assert len(lines) == 2, lines
    assert lines[0].startswith("1 connection(s) refused")
    assert lines[1].startswith("999 connection(s) refused or closed unused (999 × http: 256 connections open)")


def test_the_last_count_is_written_when_the_interval_ends(caplog: pytest.LogCaptureFixture) -> None:
    async def two() -> None:
        refusals = RefusalLog(interval=0.05)
        refusals.note("https: TLS handshake failed or too slow", "192.0.2.1")
        refusals.note("https: TLS handshake failed or too slow", "192.0.2.2")
        for _ in range(200):  # bounded: the timer fires after 0.05 s
            await asyncio.sleep(0.01)
            if len(caplog.records) == 2:
                return

    with caplog.at_level(logging.WARNING, logger="zmconsole.service"):
        asyncio.run(two())
    assert [r.getMessage().split(" (")[0] for r in caplog.records] == \
        ["1 connection(s) refused or closed unused"] * 2

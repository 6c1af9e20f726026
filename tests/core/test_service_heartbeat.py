"""Heartbeats: a running service is listed with its URLs while it beats, and drops out when it stops or dies."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from tests.support.storestate import rows, snapshot
from zmconsole.core import service_heartbeat as heartbeat
from zmconsole.core.store import Store

T0 = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


def test_a_beating_service_is_listed_with_where_it_answers(store: Store) -> None:
    me = heartbeat.new_identity(now=T0)
    assert heartbeat.running(store, now=T0) == []
    heartbeat.beat(store, me, provisioning_url="https://10.0.0.5:8443/", crl_url="http://10.0.0.5:8080/crl", now=T0)
    [seen] = heartbeat.running(store, now=T0 + timedelta(seconds=5))
    assert (seen.instance, seen.pid, seen.host) == (me.instance, me.pid, me.host)
    assert (seen.provisioning_url, seen.crl_url) == ("https://10.0.0.5:8443/", "http://10.0.0.5:8080/crl")
    assert seen.started_at == seen.seen_at == T0 and seen.seconds_ago(T0 + timedelta(seconds=5)) == 5

    later = T0 + timedelta(seconds=20)  # a beat refreshes the row, it does not add one
    heartbeat.beat(store, me, provisioning_url="https://10.0.0.5:9443/", crl_url="http://10.0.0.5:8080/crl",
                   now=later)
    [seen] = heartbeat.running(store, now=later)
    assert seen.seen_at == later and seen.started_at == T0 and seen.provisioning_url == "https://10.0.0.5:9443/"


def test_missed_beats_drop_a_service_and_a_stop_removes_it(store: Store) -> None:
    killed, stopped = heartbeat.new_identity(now=T0), heartbeat.new_identity(now=T0)
    for me in (killed, stopped):
        heartbeat.beat(store, me, provisioning_url="https://a:8443/", crl_url="http://a:8080/crl", now=T0)
    assert len(heartbeat.running(store, now=T0)) == 2
    heartbeat.gone(store, stopped)
    assert [s.instance for s in heartbeat.running(store, now=T0)] == [killed.instance]
    assert heartbeat.running(store, now=T0 + heartbeat.STALE_AFTER) != []
    assert heartbeat.running(store, now=T0 + heartbeat.STALE_AFTER + timedelta(seconds=1)) == []


def test_rows_of_long_dead_services_are_forgotten(store: Store, home: Path) -> None:
    dead, alive = heartbeat.new_identity(now=T0), heartbeat.new_identity(now=T0)
    heartbeat.beat(store, dead, provisioning_url="https://a:8443/", crl_url="http://a:8080/crl", now=T0)
    before = snapshot(home)
    heartbeat.running(store, now=T0 + timedelta(days=2))  # reading changes nothing
    assert snapshot(home) == before
    later = T0 + heartbeat.FORGET_AFTER + timedelta(seconds=1)
    heartbeat.beat(store, alive, provisioning_url="https://b:8443/", crl_url="http://b:8080/crl", now=later)
    assert [row["instance"] for row in rows(home, "service_heartbeats")] == [alive.instance]

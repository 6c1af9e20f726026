"""The real ``zmconsole serve`` tells the store it serves it: consoles on the store see which service, and where."""

from __future__ import annotations

from pathlib import Path

from tests.support.service import make_ca, running_service
from zmconsole.core import paths, service_heartbeat
from zmconsole.core.store import Store


def heartbeats(home: Path) -> list[service_heartbeat.Heartbeat]:
    store = Store.open(home)
    try:
        return service_heartbeat.running(store)
    finally:
        store.dispose()


def test_the_service_writes_its_heartbeat_and_removes_it_when_stopped(tmp_path: Path) -> None:
    home = paths.ensure_home(tmp_path / "home")
    make_ca(home)
    with running_service(home) as running:
        [seen] = heartbeats(home)  # written before the service said it was ready
        assert seen.pid == running.process.pid
        assert (seen.provisioning_url, seen.crl_url) == (running.provisioning_url, running.crl_url)
    assert running.returncode == 0, running.log()
    assert heartbeats(home) == []  # SIGTERM: it said goodbye

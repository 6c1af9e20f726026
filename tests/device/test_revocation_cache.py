"""The device's CRL cache with an injected clock: refreshed daily, usable up to 48 h after the CA issued it,
never replaced by an older or foreign CRL, and a failed fetch falls back to the cache."""

from __future__ import annotations

import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.device.pki import Pki
from tests.device.servers import CrlPoint
from zmconsole.device import keystore, revocation_cache
from zmconsole.device.revocation_cache import MAX_AGE, REFRESH_AFTER
from zmconsole.device.troubleshooting import DeviceError

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


class Fetches:
    """The network, as the cache sees it: answers ``crl`` (or raises) and counts calls."""

    def __init__(self, crl: bytes) -> None:
        self.crl = crl
        self.calls = 0
        self.down = False

    def __call__(self, url: str) -> bytes:
        self.calls += 1
        if self.down:
            raise DeviceError(f"Cannot fetch the CRL from {url} (connection refused).")
        return self.crl


@pytest.fixture
def directory(tmp_path: Path) -> Path:
    path = tmp_path / "keystore"
    path.mkdir(mode=0o700)
    return path


def _refresh(directory: Path, pki: Pki, fetch: Fetches, at: datetime, *, force: bool = False
             ) -> revocation_cache.Refresh:
    return revocation_cache.refresh(directory, "http://crl.example/crl", pki.certificate, now=at, force=force,
                                    fetch=fetch)


def test_fetched_once_then_served_from_the_cache_for_a_day(directory: Path, pki: Pki) -> None:
    fetch = Fetches(pki.crl(this_update=T0))
    first = _refresh(directory, pki, fetch, T0)
    assert first.fetched and first.cached is not None and first.cached.fetched_at == T0
    path = directory / keystore.CRL_FILE
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert revocation_cache.load(directory, pki.certificate) == first.cached

    later = _refresh(directory, pki, fetch, T0 + REFRESH_AFTER - timedelta(seconds=1))
    assert not later.fetched and fetch.calls == 1
    due = _refresh(directory, pki, fetch, T0 + REFRESH_AFTER)
    assert due.fetched and fetch.calls == 2


def test_usable_for_48_hours_from_this_update(pki: Pki, directory: Path) -> None:
    cached = _refresh(directory, pki, Fetches(pki.crl(this_update=T0)), T0).cached
    assert cached is not None
    assert cached.usable(T0 + MAX_AGE)
    assert not cached.usable(T0 + MAX_AGE + timedelta(seconds=1))
    assert not cached.usable(T0 - timedelta(hours=1)), "a CRL from the future means the clock is wrong"
    assert cached.age(T0 + timedelta(hours=30)) == timedelta(hours=30)


def test_a_failed_fetch_keeps_the_cache_while_usable(directory: Path, pki: Pki) -> None:
    fetch = Fetches(pki.crl(this_update=T0))
    _refresh(directory, pki, fetch, T0)
    fetch.down = True
    day_and_a_half = _refresh(directory, pki, fetch, T0 + timedelta(hours=36))
    assert not day_and_a_half.fetched and "connection refused" in day_and_a_half.problem
    assert day_and_a_half.cached is not None and day_and_a_half.cached.usable(T0 + timedelta(hours=36))
    three_days = _refresh(directory, pki, fetch, T0 + timedelta(hours=72))
    assert three_days.cached is not None and not three_days.cached.usable(T0 + timedelta(hours=72))


def test_age_counts_from_the_cas_this_update_not_the_download(directory: Path, pki: Pki) -> None:
    """A replayed two-day-old CRL is not made fresh by downloading it now."""
    stale = _refresh(directory, pki, Fetches(pki.crl(this_update=T0 - timedelta(hours=49))), T0)
    assert stale.fetched and stale.cached is not None and not stale.cached.usable(T0)


def test_an_older_crl_never_replaces_a_newer_one(directory: Path, pki: Pki) -> None:
    _refresh(directory, pki, Fetches(pki.crl(this_update=T0)), T0)
    replay = _refresh(directory, pki, Fetches(pki.crl(this_update=T0 - timedelta(hours=5))), T0 + timedelta(hours=25))
    assert not replay.fetched and "older than the cached one" in replay.problem
    assert replay.cached is not None and replay.cached.this_update == T0


def test_past_next_update_is_due(directory: Path, pki: Pki) -> None:
    cached = _refresh(directory, pki, Fetches(pki.crl(this_update=T0)), T0).cached
    assert cached is not None and cached.next_update == T0 + timedelta(hours=48)
    assert cached.due(T0 + timedelta(hours=24))


def test_a_crl_from_another_ca_or_garbage_is_not_cached(directory: Path, pki: Pki) -> None:
    foreign = _refresh(directory, pki, Fetches(Pki("Other CA").crl(this_update=T0)), T0)
    assert foreign.cached is None and "not signed by the platform CA" in foreign.problem
    garbage = _refresh(directory, pki, Fetches(b"<html>proxy error</html>"), T0)
    assert garbage.cached is None and "is not a CRL" in garbage.problem
    assert not (directory / keystore.CRL_FILE).exists()


def test_a_tampered_cache_file_is_ignored(directory: Path, pki: Pki) -> None:
    _refresh(directory, pki, Fetches(pki.crl(this_update=T0)), T0)
    (directory / keystore.CRL_FILE).write_bytes(Pki("Other CA").crl(this_update=T0))
    assert revocation_cache.load(directory, pki.certificate) is None


def test_revocation_lookup_and_the_real_http_fetch(directory: Path, pki: Pki, crl_point: CrlPoint) -> None:
    crl_point.crl = pki.crl([0x1234ABCD], this_update=T0)
    got = revocation_cache.refresh(directory, crl_point.url, pki.certificate, now=T0)
    assert got.fetched and crl_point.hits == 1 and got.cached is not None
    entry = got.cached.revocation(0x1234ABCD)
    assert entry is not None and entry.revocation_date_utc == T0
    assert got.cached.revocation(0x42) is None


def test_plain_http_only_and_unreachable_points_are_problems(directory: Path, pki: Pki) -> None:
    https = revocation_cache.refresh(directory, "https://127.0.0.1:1/crl", pki.certificate, now=T0)
    assert "not an http:// URL" in https.problem
    closed = revocation_cache.refresh(directory, "http://127.0.0.1:1/crl", pki.certificate, now=T0)
    assert closed.cached is None and "Cannot fetch the CRL" in closed.problem
    nowhere = revocation_cache.refresh(directory, "", pki.certificate, now=T0)
    assert "names no CRL distribution point" in nowhere.problem

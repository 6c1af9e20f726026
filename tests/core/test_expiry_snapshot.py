"""The daily check's own read path (issue 11, monitoring speed): its portable SQL on a store snapshot opened
without SQLAlchemy on SQLite (``store.open_snapshot``), and the bounded list.

The path must answer exactly as the ordinary one (``Store.snapshot``, through SQLAlchemy, which is what runs on
PostgreSQL), and a store that is not at the head revision must get what every other command gives it.
"""

from __future__ import annotations

from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine

from tests.conftest import PASSPHRASE
from tests.support import storestate
from zmconsole.core import ca, expiry, inventory, issuance, settings
from zmconsole.core import store as store_module
from zmconsole.core.errors import StoreError
from zmconsole.core.status import Status
from zmconsole.core.store import Store

NOW = datetime(2027, 6, 1, 12, 0, tzinfo=UTC)
DAY = timedelta(days=1)


@pytest.fixture
def crossed(store: Store, ca_subject: Any) -> Store:
    """A CA in its last 90 days, and five devices that crossed a threshold: two renewing themselves."""
    unlocked = ca.create(store, subject=ca_subject, passphrase=PASSPHRASE, key_type="ec-p384", days=3650,
                         now=NOW - DAY * 3575)
    for device_id, left, made_by in (("ZM-001", -2, None), ("ZM-002", 3, None), ("ZM-003", 6.5, "paired"),
                                     ("ZM-004", 20, "paired"), ("ZM-005", 60, None)):
        issuance.issue_device(store, unlocked, device_id, generate="ec-p256", days=365,
                              now=NOW + DAY * left - DAY * 365, made_by=made_by)
    return store


def test_the_summary_is_one_query_with_the_ca_counted(crossed: Store) -> None:
    found = inventory.expiry_summary(crossed, settings.load(crossed), now=NOW)
    assert found.needs_action == {Status.EXPIRING_90: 2, Status.EXPIRING_30: 0, Status.EXPIRING_7: 1,
                                  Status.EXPIRED: 1}  # ZM-005 and the CA, ZM-002, ZM-001
    assert found.automatic == {Status.EXPIRING_90: 0, Status.EXPIRING_30: 1, Status.EXPIRING_7: 1,
                               Status.EXPIRED: 0}
    assert found.ca is not None and found.ca.kind == "ca" and found.ca.status == Status.EXPIRING_90
    assert found.total == 6
    assert inventory.expiry_counts(crossed, settings.load(crossed), now=NOW) == found.found


@pytest.mark.parametrize(("limit", "names"), [
    (None, ["ca", "ZM-001", "ZM-002", "ZM-003", "ZM-004", "ZM-005"]),
    (3, ["ca", "ZM-001", "ZM-002"]),
    (1, ["ca"]),
])
def test_the_list_is_worst_first_and_bounded(crossed: Store, limit: int | None, names: list[str]) -> None:
    """The CA first, then soonest first; the CA counts towards the limit."""
    items = inventory.crossed_thresholds(crossed, settings.load(crossed), now=NOW, limit=limit)
    assert ["ca" if i.kind == "ca" else i.name for i in items] == names
    assert {i.name: i.renewal for i in items if i.kind == "device"} == {
        name: expiry.AUTOMATIC if name in ("ZM-003", "ZM-004") else expiry.NEEDS_ACTION_NOW
        for name in names if name != "ca"}


@pytest.mark.sqlite_only  # the driver path is SQLite's; on PostgreSQL open_snapshot is Store.snapshot
def test_the_driver_path_answers_as_sqlalchemy_does(crossed: Store, home: Path) -> None:
    current = settings.load(crossed)
    with crossed.snapshot() as through_sqlalchemy:
        expected = (settings.read(through_sqlalchemy), expiry.summary(through_sqlalchemy, current, NOW),
                    expiry.items(through_sqlalchemy, current, NOW, ca=None))
    with store_module.open_snapshot(home) as snapshot:
        assert snapshot.rows("SELECT 1") == [(1,)]
        got = (settings.read(snapshot), expiry.summary(snapshot, current, NOW),
               expiry.items(snapshot, current, NOW, ca=None))
    assert got == expected


def test_a_new_home_is_created_as_any_command_creates_it(tmp_path: Path) -> None:
    home = tmp_path / "new"
    home.mkdir()
    with store_module.open_snapshot(home) as snapshot:
        assert settings.read(snapshot) == settings.Settings()
        assert expiry.summary(snapshot, settings.Settings(), NOW).total == 0
    reopened = Store.open(home, migrate=False)
    assert reopened.schema_version() == store_module.SCHEMA_HEAD
    reopened.dispose()


@pytest.mark.sqlite_only  # it builds an older SQLite store, and edits the revision behind the store's back
def test_an_older_store_is_migrated_and_a_newer_one_refused(tmp_path: Path) -> None:
    home = tmp_path / "old"
    home.mkdir()
    engine = create_engine(f"sqlite:///{home / store_module.DB_FILENAME}")
    config = Config()
    config.set_main_option("script_location", str(Path(store_module.__file__).with_name("migrations")))
    with engine.begin() as conn:  # a store an older release made
        config.attributes["connection"] = conn
        command.upgrade(config, "0008")
    engine.dispose()
    with store_module.open_snapshot(home) as snapshot:  # 0008 -> head, as Store.open does
        assert snapshot.rows("SELECT version_num FROM alembic_version") == [(store_module.SCHEMA_HEAD,)]

    with closing(storestate.connect(home)) as raw:
        raw.execute("UPDATE alembic_version SET version_num = '9999'")
        raw.commit()
    before = storestate.snapshot(home)
    with pytest.raises(StoreError, match="newer than this zmconsole"), store_module.open_snapshot(home):
        pass
    assert storestate.snapshot(home) == before

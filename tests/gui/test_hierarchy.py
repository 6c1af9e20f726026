"""The console on a hierarchy's stores (issue 12): the dashboard says which CA the store holds and its chain;
a single CA's dashboard is unchanged."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from tests.conftest import PASSPHRASE
from tests.gui.conftest import FakeFiles, make_window, settle
from zmconsole.core import ca, hierarchy, paths
from zmconsole.core.store import Store
from zmconsole.gui.main_window import MainWindow
from zmconsole.gui.session import Session
from zmconsole.gui.view_state import ViewState


@pytest.fixture
def root_store(tmp_path: Path) -> Iterator[Store]:
    opened = Store.open(paths.ensure_home(tmp_path / "root"))
    ca.create(opened, subject=ca.build_subject(cn="ZM Root CA", org="Hospital"), passphrase=PASSPHRASE,
              key_type="ec-p384", role=ca.ROOT)
    yield opened
    opened.dispose()


def _issuing(store: Store, root_store: Store) -> ca.UnlockedCa:
    root = ca.unlock(root_store, PASSPHRASE)
    request = hierarchy.request_issuing(store, subject=ca.build_subject(cn="ZM Issuing CA 1", org="Hospital"),
                                        passphrase=PASSPHRASE, key_type="ec-p384")
    signed = hierarchy.sign_issuing(root_store, root, request.pem)
    return hierarchy.install_issuing(store, cert_data=signed.pem, root_data=root.info.pem, passphrase=PASSPHRASE)


@contextmanager
def _window(qtbot: QtBot, store: Store, home: Path, files: FakeFiles, view_state: ViewState) -> Iterator[MainWindow]:
    session = Session(store, home=home, files=files)  # type: ignore[arg-type]
    window = make_window(qtbot, session, view_state)
    try:
        window.dashboard.refresh()
        settle(qtbot, session)
        yield window
    finally:
        window.close()  # before the session closes, as the application does
        session.close()


def test_the_issuing_stores_dashboard_names_the_chain(qtbot: QtBot, store: Store, home: Path, root_store: Store,
                                                      files: FakeFiles, view_state: ViewState) -> None:
    issuing = _issuing(store, root_store)
    with _window(qtbot, store, home, files, view_state) as window:
        chain = window.dashboard.chain
        assert chain.isVisible()
        assert "Issuing CA CN=ZM Issuing CA 1,O=Hospital" in chain.text()
        assert "under the root CN=ZM Root CA,O=Hospital" in chain.text()
        assert ca.fingerprint(issuing.info.anchor)[:16].upper() in chain.text()


def test_the_roots_dashboard_says_it_signs_issuing_cas_only(qtbot: QtBot, root_store: Store, tmp_path: Path,
                                                           files: FakeFiles, view_state: ViewState) -> None:
    with _window(qtbot, root_store, tmp_path / "root", files, view_state) as window:
        assert window.dashboard.chain.isVisible()
        assert "Root CA CN=ZM Root CA,O=Hospital" in window.dashboard.chain.text()
        assert "signs issuing CAs only" in window.dashboard.chain.text()


def test_a_single_cas_dashboard_shows_no_chain(qtbot: QtBot, window: MainWindow, session: Session) -> None:
    window.dashboard.refresh()
    settle(qtbot, session)
    assert not window.dashboard.chain.isVisible() and window.dashboard.chain.text() == ""

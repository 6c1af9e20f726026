"""The cyclic collector runs on the GUI thread only (gui/collector.py), so a worker never frees a Qt object."""

from __future__ import annotations

import gc
import threading
from typing import ClassVar

from PySide6.QtCore import QObject
from pytestqt.qtbot import QtBot

from zmconsole.gui.collector import GuiThreadCollector
from zmconsole.gui.workers import TaskRunner


class _Cycle(QObject):
    """A Qt object in a reference cycle: only the cyclic collector frees it."""

    freed_in: ClassVar[list[str]] = []

    def __init__(self) -> None:
        super().__init__()
        self.me = self
        self.destroyed.connect(lambda: None)

    def __del__(self) -> None:
        _Cycle.freed_in.append(threading.current_thread().name)


def test_garbage_is_collected_on_the_gui_thread_while_workers_allocate(qtbot: QtBot) -> None:
    gc.collect()
    assert not gc.isenabled()  # the session's collector (tests/gui/conftest.py) is installed, as in the app
    _Cycle.freed_in.clear()
    for _ in range(50):
        _Cycle()
    runner = TaskRunner(lambda _w, error: None, threads=2)
    results: list[list[list[int]]] = []
    for _ in range(8):  # workers whose results (kept) cross the youngest generation's threshold many times
        runner.start(lambda job: [[i] for i in range(2_000)], done=results.append)
    qtbot.waitUntil(lambda: len(results) == 8 and len(_Cycle.freed_in) == 50, timeout=20_000)
    assert set(_Cycle.freed_in) == {threading.main_thread().name}
    runner.shut_down()


def test_stop_collects_and_gives_collection_back() -> None:
    gc.enable()
    try:
        own = GuiThreadCollector(interval_ms=10_000)
        assert not gc.isenabled()
        _Cycle.freed_in.clear()
        _Cycle()
        own.stop()
        assert _Cycle.freed_in == [threading.main_thread().name]
        assert gc.isenabled()
    finally:
        gc.disable()  # the session's collector stays in charge for the other tests

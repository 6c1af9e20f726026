"""Python's cyclic garbage collector, run on the GUI thread only.

Left to itself, the collector runs in whichever thread happens to allocate. When that is a worker (a query
for a page, a CRL being signed) and the garbage holds Qt wrappers (a closed dialog, a page of a window that
was replaced), ``~QObject`` runs in the worker: it takes Qt's connection lock and then waits for the GIL,
while the GUI thread holds the GIL and waits for that lock to connect a signal. Both stop, and the console
hangs. So automatic collection is switched off while the console runs and a timer on the GUI thread
collects, generation by generation, with the thresholds the interpreter would have used.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

INTERVAL_MS = 500


class GuiThreadCollector(QObject):
    """Created on the GUI thread; collects there every :data:`INTERVAL_MS` as the thresholds ask."""

    def __init__(self, parent: QObject | None = None, *, interval_ms: int = INTERVAL_MS) -> None:
        super().__init__(parent)
        self._thresholds = gc.get_threshold()
        self._was_enabled = gc.isenabled()
        gc.disable()
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.check)
        self._timer.start()

    def check(self) -> None:
        counts = gc.get_count()
        for generation in (2, 1, 0):
            if counts[generation] > self._thresholds[generation]:
                gc.collect(generation)
                return

    def stop(self) -> None:
        """Collect once more and give collection back to the interpreter."""
        self._timer.stop()
        gc.collect()
        if self._was_enabled:
            gc.enable()


_installed: GuiThreadCollector | None = None


def install(app: QObject) -> GuiThreadCollector:
    """The application's one collector (idempotent): call on the GUI thread once the QApplication exists."""
    global _installed
    if _installed is None:
        _installed = GuiThreadCollector(app)
    return _installed

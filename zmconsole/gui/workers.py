"""Long work off the GUI thread: a QThreadPool of QRunnables, results and errors back as signals.

A :class:`Task` runs one function from the core (key generation, bulk
issuance, CRL signing, a query over a large store) with a :class:`Job` it can
use to report progress and to ask whether the user cancelled. Its outcome
comes back to the GUI thread: the ``done`` callback with the return value, or
the ``failed`` callback with the exception, and by default every failure goes
to the one error reporter. Callbacks bound to a widget that has been deleted
meanwhile (a dialog closed during the work) are skipped, never called on a
dead object.

Workers emit on one long-lived relay object that belongs to the runner; tasks
themselves are plain Python objects. Nothing a worker thread touches is ever
deleted by the GUI thread while the worker may still use it.
"""

from __future__ import annotations

import itertools
import threading
import traceback
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, QRunnable, QThreadPool, Signal, Slot
from PySide6.QtWidgets import QWidget


class _Relay(QObject):
    """Lives in the GUI thread; signals emitted on it from workers are queued to the runner's slots."""

    progress = Signal(int, int, int, str)  # task id, done, total, text
    succeeded = Signal(int, object)
    failed = Signal(int, object)


class Job:
    """What a running function sees: a way to report progress and to notice a cancel."""

    def __init__(self, relay: _Relay, task_id: int) -> None:
        self._relay = relay
        self._id = task_id
        self._cancel = threading.Event()

    def progress(self, done: int, total: int, text: str = "") -> None:
        self._relay.progress.emit(self._id, done, total, text)

    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def cancel(self) -> None:
        self._cancel.set()


class _Runnable(QRunnable):
    """Deleted by the pool, in the worker thread, after :meth:`run` returns.

    The worker must never drop the last reference to a Qt object: ``~QObject`` takes Qt's connection lock
    and then needs the GIL, while the GUI thread may hold the GIL and wait for that lock, and both stop. The
    function (a closure over a page or a model) is therefore also held by its :class:`Task` in the GUI thread
    until the outcome is delivered, and the worker lets go of it, and of an error's frames, before it emits.
    """

    def __init__(self, function: Callable[[Job], Any], job: Job, relay: _Relay, task_id: int) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._function: Callable[[Job], Any] | None = function
        self._job, self._relay, self._id = job, relay, task_id

    def run(self) -> None:
        function, self._function = self._function, None
        assert function is not None
        try:
            result = function(self._job)
        except BaseException as error:  # delivered to the GUI thread, which decides what to show
            del function
            traceback.clear_frames(error.__traceback__)
            self._relay.failed.emit(self._id, error)
        else:
            del function
            self._relay.succeeded.emit(self._id, result)


class Task:
    """One piece of work in the pool, as the GUI thread sees it."""

    def __init__(self, job: Job, *, done: Callable[[Any], None] | None, failed: Callable[[BaseException], None],
                 progress: Callable[[int, int, str], None] | None, owner: QObject | None,
                 function: Callable[[Job], Any] | None = None) -> None:
        self.job = job
        self._function = function  # released here, in the GUI thread, once the outcome is delivered (_Runnable)
        self._done, self._failed, self._progress, self._owner = done, failed, progress, owner
        self.running = True

    def cancel(self) -> None:
        self.job.cancel()

    def _owner_alive(self) -> bool:
        return self._owner is None or shiboken6.isValid(self._owner)

    def deliver_progress(self, done: int, total: int, text: str) -> None:
        if self._progress is not None and self._owner_alive():
            self._progress(done, total, text)

    def deliver(self, ok: bool, value: Any) -> None:
        self.running = False
        self._function = None
        if not self._owner_alive():
            return
        if ok:
            if self._done is not None:
                self._done(value)
        else:
            self._failed(value)


class TaskRunner(QObject):
    """Starts tasks on its own pool and knows whether any is still running (the status bar's busy light)."""

    busy_changed = Signal(bool)

    def __init__(self, on_error: Callable[[QWidget | None, BaseException], None], *, threads: int = 2,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._on_error = on_error
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(threads)
        self._relay = _Relay(self)
        self._relay.progress.connect(self._on_progress)
        self._relay.succeeded.connect(self._on_succeeded)
        self._relay.failed.connect(self._on_failed)
        self._active: dict[int, Task] = {}
        self._ids = itertools.count(1)
        self.closed = False

    @property
    def busy(self) -> bool:
        return bool(self._active)

    def start(self, function: Callable[[Job], Any], *, done: Callable[[Any], None] | None = None,
              failed: Callable[[BaseException], None] | None = None, owner: QObject | None = None,
              progress: Callable[[int, int, str], None] | None = None) -> Task:
        """Run ``function(job)`` in the pool; ``done(result)`` or ``failed(error)`` run in the GUI thread.

        Without ``failed`` the error goes to the application's error reporter, over ``owner``'s window.
        """
        widget = owner if isinstance(owner, QWidget) else None

        def report(error: BaseException) -> None:
            self._on_error(widget if widget is None or shiboken6.isValid(widget) else None, error)

        task_id = next(self._ids)
        job = Job(self._relay, task_id)
        task = Task(job, done=done, failed=failed or report, progress=progress, owner=owner, function=function)
        if self.closed:  # the console is closing: a late timer or click starts nothing
            task.running = False
            return task
        was_busy = self.busy
        self._active[task_id] = task
        if not was_busy:
            self.busy_changed.emit(True)
        self.pool.start(_Runnable(function, job, self._relay, task_id))
        return task

    @Slot(int, int, int, str)
    def _on_progress(self, task_id: int, done: int, total: int, text: str) -> None:
        task = self._active.get(task_id)
        if task is not None:
            task.deliver_progress(done, total, text)

    @Slot(int, object)
    def _on_succeeded(self, task_id: int, result: object) -> None:
        self._finish(task_id, True, result)

    @Slot(int, object)
    def _on_failed(self, task_id: int, error: object) -> None:
        self._finish(task_id, False, error)

    def _finish(self, task_id: int, ok: bool, value: object) -> None:
        task = self._active.pop(task_id, None)
        if task is None:
            return
        try:
            task.deliver(ok, value)
        finally:
            if not self._active:
                self.busy_changed.emit(False)

    def cancel_all(self) -> None:
        for task in list(self._active.values()):
            task.cancel()

    def wait(self, msecs: int = -1) -> bool:
        """Block until the pool is idle; results already queued are delivered by the event loop later."""
        return bool(self.pool.waitForDone(msecs))

    def shut_down(self) -> None:
        """Cancel, wait for the workers, and drop results not yet delivered (the console is closing)."""
        self.closed = True
        self.cancel_all()
        self.pool.waitForDone()
        QCoreApplication.removePostedEvents(self)
        QCoreApplication.removePostedEvents(self._relay)
        self._active.clear()

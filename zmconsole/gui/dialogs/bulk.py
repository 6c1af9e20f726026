"""Bulk issuance from a CSV file: choose, run with progress and cancel, then a summary of every row.

The rows are parsed and issued by the core (``bulk.parse`` / ``bulk.issue_rows``);
rows refused for their shape and rows refused when issuing both end up in the
summary with their line number and the reason.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from zmconsole.core import bulk, exports, issuance, keys
from zmconsole.core.ca import UnlockedCa
from zmconsole.core.errors import InputError
from zmconsole.gui.dialogs.issue import KEY_TYPE_NAMES
from zmconsole.gui.dialogs.unlock import request_ca
from zmconsole.gui.i18n import arg
from zmconsole.gui.models.columns import Column
from zmconsole.gui.models.lists import ListTableModel
from zmconsole.gui.session import Session
from zmconsole.gui.widgets import Banner, Kind, accessible, big_button, table_view
from zmconsole.gui.workers import Job, Task


class BulkDialog(QDialog):
    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.rows: list[bulk.BulkRow] = []
        self.parse_rejected: list[bulk.Rejected] = []
        self.outcome: bulk.BulkResult | None = None
        self.task: Task | None = None
        self.setObjectName("bulkDialog")
        self.setWindowTitle(self.tr("Bulk issue from CSV"))
        self.resize(760, 560)
        self.pages = QStackedWidget(self)
        self.pages.addWidget(self._setup_page())
        self.pages.addWidget(self._progress_page())
        self.pages.addWidget(self._summary_page())
        QVBoxLayout(self).addWidget(self.pages)

    # --- setup ---------------------------------------------------------------------------------------------

    def _setup_page(self) -> QWidget:
        page = QWidget(self)
        intro = QLabel(self.tr("The CSV file needs a header row with device_id, and optionally ward and location. "
                               "Each good row gets a key generated here and a certificate; the files are written "
                               "to the output folder, every key encrypted with the password below."), page)
        intro.setWordWrap(True)
        self.csv_path = QLineEdit(page)  # typed or pasted paths are read too (Enter or leaving the field)
        self.csv_path.setObjectName("csvPath")
        self.csv_path.setPlaceholderText(self.tr("Type a path and press Enter, or choose the file"))
        self.csv_path.editingFinished.connect(self._typed_csv)
        self._loaded_csv = ""  # the path last read (or tried)
        accessible(self.csv_path, self.tr("CSV file"))
        choose_csv = QPushButton(self.tr("Choose &CSV…"), page)
        choose_csv.setObjectName("chooseCsv")
        choose_csv.clicked.connect(self._choose_csv)
        self.preview = QLabel(page)
        self.preview.setObjectName("csvPreview")
        self.preview.setWordWrap(True)
        self.out_dir = QLineEdit(page)
        self.out_dir.setObjectName("outDir")
        self.out_dir.setPlaceholderText(self.tr("Type a folder, or choose it"))
        self.out_dir.textChanged.connect(lambda _text: self._update_start())
        accessible(self.out_dir, self.tr("Output folder"))
        choose_out = QPushButton(self.tr("Choose &folder…"), page)
        choose_out.setObjectName("chooseOut")
        choose_out.clicked.connect(self._choose_out)
        self.key_type = QComboBox(page)
        self.key_type.setObjectName("bulkKeyType")
        for key_type in keys.LEAF_KEY_TYPES:
            self.key_type.addItem(KEY_TYPE_NAMES.get(key_type, key_type), key_type)
        accessible(self.key_type, self.tr("Key type"))
        self.password = QLineEdit(exports.random_password(), page)
        self.password.setObjectName("bulkPassword")
        accessible(self.password, self.tr("Password for the key files"),
                   self.tr("Write it down: it opens every key file written by this run."))
        self.days = QSpinBox(page)
        self.days.setRange(1, issuance.MAX_DAYS)
        self.days.setValue(self.session.settings.device_days)
        accessible(self.days, self.tr("Validity in days"))
        csv_row = QHBoxLayout()
        csv_row.addWidget(self.csv_path, 1)
        csv_row.addWidget(choose_csv)
        out_row = QHBoxLayout()
        out_row.addWidget(self.out_dir, 1)
        out_row.addWidget(choose_out)
        form = QFormLayout()
        form.addRow(self.tr("CSV file:"), csv_row)
        form.addRow("", self.preview)
        form.addRow(self.tr("Output folder:"), out_row)
        form.addRow(self.tr("Key &type:"), self.key_type)
        form.addRow(self.tr("Key file &password:"), self.password)
        form.addRow(self.tr("&Validity (days):"), self.days)
        self.message = Banner(page)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, page)
        self.start_button = buttons.addButton(self.tr("&Start"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.start_button.setObjectName("startBulk")
        self.start_button.setEnabled(False)
        buttons.accepted.connect(self.start)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(page)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addStretch(1)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        return page

    def _choose_csv(self) -> None:
        path = self.session.files.open_file(self, self.tr("Choose the CSV file"), self.tr("CSV files (*.csv)"))
        if path is not None:
            self.load(path)

    def _typed_csv(self) -> None:
        text = self.csv_path.text().strip()
        if text and text != self._loaded_csv:
            self.load(Path(text).expanduser())

    def load(self, path: Path) -> None:
        """Read and parse the file (in a worker: it may hold 100,000 rows), so the count of good and bad rows
        shows before anything is issued."""
        self.rows, self.parse_rejected = [], []
        self.csv_path.setText(str(path))
        self._loaded_csv = str(path)
        self.preview.setText(self.tr("Reading the file…"))
        self._update_start()
        self.session.tasks.start(lambda _job: bulk.parse(bulk.read(path)), done=self._parsed,
                                 failed=self._unreadable, owner=self)

    def _parsed(self, parsed: tuple[list[bulk.BulkRow], list[bulk.Rejected]]) -> None:
        self.rows, self.parse_rejected = parsed
        self.preview.setText(arg(self.tr("%1 to issue; %2 refused already (shown in the summary)."),
                                 self._rows(len(self.rows)), self._rows(len(self.parse_rejected))))
        self._update_start()

    def _rows(self, count: int) -> str:
        return self.tr("1 row") if count == 1 else arg(self.tr("%1 rows"), f"{count:,}")

    def _unreadable(self, error: BaseException) -> None:
        # The path stays, to be corrected; it is read again once it changes (not on every focus change).
        self.preview.setText(self.session.errors.message(error))
        self.session.errors.show(self, error)

    def _choose_out(self) -> None:
        folder = self.session.files.folder(self, self.tr("Choose the folder for the certificates and keys"))
        if folder is not None:
            self.out_dir.setText(str(folder))
            self._update_start()

    def _update_start(self) -> None:
        self.start_button.setEnabled(bool(self.rows) and bool(self.out_dir.text()))

    # --- running -------------------------------------------------------------------------------------------

    def _progress_page(self) -> QWidget:
        page = QWidget(self)
        self.progress = QProgressBar(page)
        self.progress.setObjectName("bulkProgress")
        accessible(self.progress, self.tr("Bulk issuance progress"))
        self.current = QLabel(page)
        self.cancel_button = big_button(self.tr("&Cancel after this row"), "revoke", name="cancelBulk", parent=page)
        self.cancel_button.clicked.connect(self.cancel)
        layout = QVBoxLayout(page)
        layout.addStretch(1)
        layout.addWidget(QLabel(self.tr("Issuing…"), page))
        layout.addWidget(self.progress)
        layout.addWidget(self.current)
        layout.addWidget(self.cancel_button)
        layout.addStretch(1)
        return page

    def start(self) -> None:
        try:
            exports.check_key_password(self.password.text())
        except InputError as error:
            self.message.show_message(Kind.ERROR, self.session.errors.message(error))
            return
        request_ca(self, self.session, self._run, self.tr("Signing certificates needs the CA key."))

    def _run(self, unlocked: UnlockedCa) -> None:
        rows, out_dir = list(self.rows), Path(self.out_dir.text())
        password, key_type, days = self.password.text(), self.key_type.currentData(), self.days.value()
        store, now = self.session.store, self.session.now()

        def work(job: Job) -> bulk.BulkResult:
            return bulk.issue_rows(store, unlocked, rows, out_dir=out_dir, password=password, key_type=key_type,
                                   days=days, progress=job.progress, cancelled=job.cancelled, now=now)

        self.progress.setRange(0, len(rows))
        self.progress.setValue(0)
        self.pages.setCurrentIndex(1)
        self.task = self.session.tasks.start(work, done=self._finished, failed=self._failed, owner=self,
                                             progress=self._progressed)

    def _progressed(self, done: int, total: int, text: str) -> None:
        self.progress.setMaximum(total)
        self.progress.setValue(done)
        self.current.setText(arg(self.tr("%1 of %2: %3"), done, total, text))

    def cancel(self) -> None:
        if self.task is not None:
            self.task.cancel()
            self.cancel_button.setEnabled(False)
            self.current.setText(self.tr("Cancelling after the current row…"))

    def _failed(self, error: BaseException) -> None:
        self.pages.setCurrentIndex(0)
        self.session.errors.show(self, error)

    # --- summary -------------------------------------------------------------------------------------------

    def _summary_page(self) -> QWidget:
        page = QWidget(self)
        self.summary = QLabel(page)
        self.summary.setObjectName("bulkSummary")
        self.summary.setWordWrap(True)
        self.result_password = QLineEdit(page)  # the one thing that opens the key files: on the result too
        self.result_password.setObjectName("resultPassword")
        self.result_password.setReadOnly(True)
        accessible(self.result_password, self.tr("Password for the key files"),
                   self.tr("Write it down: it opens every key file written by this run."))
        password_row = QFormLayout()
        password_row.addRow(self.tr("Key file password (write it down):"), self.result_password)
        self.outcomes = ListTableModel([
            Column(self.tr("Line"), lambda r: str(r[0]), numeric=True),
            Column(self.tr("Device ID"), lambda r: r[1]),
            Column(self.tr("Result"), lambda r: r[2], tooltip=lambda r: r[2]),
        ], parent=self)
        self.table = table_view(self.outcomes, "bulkOutcomes", self.tr("Issued and refused rows"), page)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        # A long refusal does not fit its cell: the selected row's whole text shows wrapped below the table
        # (rows stay one line each, which keeps a summary of 100,000 rows quick).
        self.detail = QLabel(page)
        self.detail.setObjectName("bulkDetail")
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.table.selectionModel().currentRowChanged.connect(lambda current, _previous: self._show_detail(
            current.row()))
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, page)
        close.rejected.connect(self.accept)
        layout = QVBoxLayout(page)
        layout.addWidget(self.summary)
        layout.addLayout(password_row)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.detail)
        layout.addWidget(close)
        return page

    def _show_detail(self, row: int) -> None:
        outcome = self.outcomes.item(row)
        self.detail.setText(arg(self.tr("Line %1, %2: %3"), *outcome) if outcome is not None else "")

    def _finished(self, result: bulk.BulkResult) -> None:
        self.outcome = result
        rejected = sorted([*self.parse_rejected, *result.rejected], key=lambda r: r.line)
        outcomes = [(line, issued.common_name, arg(self.tr("issued, serial %1"), issued.serial))
                    for line, issued in result.issued]
        outcomes += [(r.line, r.device_id, arg(self.tr("refused: %1"), r.reason)) for r in rejected]
        outcomes += [(r.line, r.device_id, arg(self.tr("delivered now (issued by an earlier run), serial %1")
                                               if r.delivered else
                                               self.tr("already delivered by an earlier run, serial %1"), r.serial))
                     for r in result.resumed]
        self.outcomes.set_rows(sorted(outcomes, key=lambda o: o[0]))
        self.table.resizeColumnToContents(0)
        self.table.resizeColumnToContents(1)
        refused = {r.line for r in rejected}
        first_refused = next((row for row, (line, _device, _text) in enumerate(self.outcomes.rows)
                              if line in refused), 0)
        self.table.selectRow(first_refused)
        issued = (self.tr("1 certificate issued") if len(result.issued) == 1
                  else arg(self.tr("%1 certificates issued"), f"{len(result.issued):,}"))
        text = arg(self.tr("%1 into %2; %3 refused."), issued, self.out_dir.text(), self._rows(len(rejected)))
        self.result_password.setText(self.password.text())
        if result.cancelled:
            text += " " + self.tr("Cancelled: the remaining rows were not issued.")
        self.summary.setText(text)
        self.pages.setCurrentIndex(2)
        self.session.data_changed.emit()

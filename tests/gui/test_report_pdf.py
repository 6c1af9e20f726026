"""The PDF report for the compliance file: a line per device that needs action, with ward and location."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication

from zmconsole.core import inventory, report
from zmconsole.core.settings import Settings
from zmconsole.core.status import Status
from zmconsole.gui.report_pdf import CHART_SIZE, report_html, status_words, write_pdf

NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


def eighty_eight() -> report.ExpiryReport:
    items = [inventory.ExpiryItem("device", f"ZM-{n:04d}", f"{n:040x}", NOW + timedelta(days=n % 7), n % 7,
                                  Status.EXPIRING_7, ward="Cardiology", location=f"Room {n}, bed B")
             for n in range(88)]
    counts = dict.fromkeys(Status, 0) | {Status.EXPIRING_7: 88}
    return report.complete(NOW, Settings(), counts, [0] * report.WEEKS, items)


def test_88_rows_fit_few_pages_a_line_each(qapp: QApplication, tmp_path: Path) -> None:
    built = eighty_eight()
    html = report_html(built, status_words(built.thresholds))
    assert "Cardiology" in html and "Room 87, bed B" in html  # ward and location columns
    assert html.count("<td nowrap>") == 88 * 7 and html.count("<td nowrap align='right'>") == 88  # no cell wraps
    chart = QImage(CHART_SIZE[0] * 2, CHART_SIZE[1] * 2, QImage.Format.Format_RGB32)
    chart.fill(0xFFFFFF)
    pdf = write_pdf(built, chart, tmp_path / "report.pdf").read_bytes()
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    assert 1 <= pages <= 4, pages  # was 7 pages with serials wrapped onto 3 lines

"""The expiry report as a PDF: the same numbers as the dashboard and the CSV, for a compliance file.

Laid out as HTML in a ``QTextDocument`` (which paginates a long list by itself)
and printed with ``QPdfWriter``. Both work outside the GUI thread, so a report
listing thousands of certificates is written by a worker.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QMarginsF, QSizeF, QUrl
from PySide6.QtGui import QImage, QPageLayout, QPageSize, QPdfWriter, QTextDocument

from zmconsole.core import report
from zmconsole.core.errors import InputError
from zmconsole.core.status import CERTIFICATE_STATUSES, EXPIRING
from zmconsole.gui.i18n import arg
from zmconsole.gui.statuses import kind_label, short_status_label, status_label

CHART_URL = "zm://chart.png"
CHART_SIZE = (640, 220)  # points in the document; the image has twice the pixels


def report_html(built: report.ExpiryReport, settings_labels: dict[str, str]) -> str:
    translate = QCoreApplication.translate
    rows = "".join(
        f"<tr><td>{escape(settings_labels.get(status, status))}</td><td align='right'>{count}</td></tr>"
        for status, count in built.counts.items())
    # One line per row (nowrap, landscape, a small font): a row is never split across pages, and a serial
    # stays whole on its line.
    items = "".join(
        f"<tr><td nowrap>{escape(kind_label(item.kind))}</td><td nowrap>{escape(item.name)}</td>"
        f"<td nowrap>{escape(item.ward or '')}</td><td nowrap>{escape(item.location or '')}</td>"
        f"<td nowrap><tt>{escape(item.serial)}</tt></td>"
        f"<td nowrap>{item.not_after:%Y-%m-%d}</td><td nowrap align='right'>{item.days_left}</td>"
        f"<td nowrap>{escape(settings_labels.get(item.status, item.status))}</td></tr>"
        for item in built.needs_action)
    warn, soon, urgent = built.thresholds
    return f"""
<h1>{escape(translate("ExpiryReport", "Certificate expiry report"))}</h1>
<p>{escape(arg(translate("ExpiryReport", "Generated %1 UTC; alert thresholds %2/%3/%4 days; %5 devices."),
               f"{built.generated_at:%Y-%m-%d %H:%M}", warn, soon, urgent, built.total))}</p>
<h2>{escape(translate("ExpiryReport", "Devices by status"))}</h2>
<table border="1" cellspacing="0" cellpadding="4">{rows}</table>
<h2>{escape(translate("ExpiryReport", "Expiries per week, next 12 months"))}</h2>
<p><img src="{CHART_URL}" width="{CHART_SIZE[0]}" height="{CHART_SIZE[1]}"></p>
<h2>{escape(arg(translate("ExpiryReport", "Certificates that need action (%1)"), len(built.needs_action)))}</h2>
<table border="1" cellspacing="0" cellpadding="2" width="100%">
<thead><tr><th>{escape(translate("ExpiryReport", "Kind"))}</th>
<th>{escape(translate("ExpiryReport", "Name"))}</th>
<th>{escape(translate("ExpiryReport", "Ward"))}</th><th>{escape(translate("ExpiryReport", "Location"))}</th>
<th>{escape(translate("ExpiryReport", "Serial"))}</th><th>{escape(translate("ExpiryReport", "Expires (UTC)"))}</th>
<th>{escape(translate("ExpiryReport", "Days left"))}</th>
<th>{escape(translate("ExpiryReport", "Status"))}</th></tr></thead>
{items}</table>
"""


def status_words(thresholds: tuple[int, int, int]) -> dict[str, str]:
    """Status wording for the report, for the thresholds the report was made with."""
    from zmconsole.core.settings import Settings

    settings = Settings(threshold_warn=thresholds[0], threshold_soon=thresholds[1], threshold_urgent=thresholds[2])
    return {status: short_status_label(status, settings) if status in EXPIRING else
            status_label(status, settings) for status in CERTIFICATE_STATUSES}


def write_pdf(built: report.ExpiryReport, chart: QImage, path: Path) -> Path:
    """Write the report to ``path`` (A4, landscape: a row per line); runs in a worker thread."""
    document = QTextDocument()
    document.setDefaultStyleSheet("td, th { font-size: 7pt; } tt { font-size: 7pt; }")
    document.addResource(QTextDocument.ResourceType.ImageResource, QUrl(CHART_URL), chart)
    document.setHtml(report_html(built, status_words(built.thresholds)))
    writer = QPdfWriter(str(path))
    writer.setTitle(QCoreApplication.translate("ExpiryReport", "Certificate expiry report"))
    writer.setCreator("zmconsole")
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    writer.setPageOrientation(QPageLayout.Orientation.Landscape)
    writer.setPageMargins(QMarginsF(15, 15, 15, 15), QPageLayout.Unit.Millimeter)
    # Lay the pages out at the page's own size (points at 96 dpi), so print_ only scales what was paginated.
    room = writer.pageLayout().paintRect(QPageLayout.Unit.Point)
    document.setPageSize(QSizeF(room.width() * 96 / 72, room.height() * 96 / 72))
    document.print_(writer)
    if not path.exists() or path.stat().st_size == 0:
        raise InputError(arg(QCoreApplication.translate("ExpiryReport",
                                                        "Cannot write the PDF report %1: choose a writable folder."),
                             path))
    return path

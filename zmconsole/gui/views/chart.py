"""The expiries-per-week bar chart, painted by hand so the screen and the PDF report draw the same thing.

Bars inside an alert threshold take that band's colour, and dashed lines
labelled with the threshold days separate the bands, so the colour is never
the only cue. Months are labelled along the time axis.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from PySide6.QtCore import QCoreApplication, QEvent, QPointF, QRectF, QSize, QSizeF, Qt
from PySide6.QtGui import QColor, QFont, QHelpEvent, QImage, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from zmconsole.core.status import Status
from zmconsole.gui.i18n import arg
from zmconsole.gui.statuses import status_color

MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MARGIN_BOTTOM = 44.0, 12.0, 22.0, 34.0


def _nice_ceiling(value: int) -> int:
    """The smallest 1, 2 or 5 × 10^k at or above ``value`` (at least 1)."""
    step = 1
    while True:
        for factor in (1, 2, 5):
            if factor * step >= value:
                return max(1, factor * step)
        step *= 10


def band(week: int, thresholds: tuple[int, int, int]) -> Status:
    """The status a certificate expiring in week ``week`` (from now) has today (for the bar's colour)."""
    warn, soon, urgent = thresholds
    start_day = week * 7
    if start_day < urgent:
        return Status.EXPIRING_7
    if start_day < soon:
        return Status.EXPIRING_30
    if start_day < warn:
        return Status.EXPIRING_90
    return Status.ACTIVE


def plot_rect(size: QSize | QSizeF | QRectF) -> QRectF:
    width, height = (size.width(), size.height())
    return QRectF(MARGIN_LEFT, MARGIN_TOP, max(1.0, width - MARGIN_LEFT - MARGIN_RIGHT),
                  max(1.0, height - MARGIN_TOP - MARGIN_BOTTOM))


def paint_chart(painter: QPainter, area: QRectF, counts: Sequence[int], start: datetime,
                thresholds: tuple[int, int, int], palette: QPalette) -> None:
    """Draw the chart into ``area``."""
    painter.save()
    painter.translate(area.topLeft())
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    text = palette.color(QPalette.ColorRole.WindowText)
    grid = QColor(text)
    grid.setAlpha(60)
    plot = plot_rect(area.size())
    weeks = max(1, len(counts))
    top = _nice_ceiling(max(counts, default=0))
    font = QFont(painter.font())
    font.setPointSizeF(max(7.0, font.pointSizeF() * 0.85))
    painter.setFont(font)
    metrics = painter.fontMetrics()

    for fraction in (0.0, 0.5, 1.0):  # horizontal grid with counts
        y = plot.bottom() - fraction * plot.height()
        painter.setPen(QPen(grid, 1))
        painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
        painter.setPen(text)
        label = str(round(top * fraction))
        painter.drawText(QRectF(0, y - 8, MARGIN_LEFT - 6, 16),
                         int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter), label)

    slot = plot.width() / weeks
    for week, count in enumerate(counts):
        if count <= 0:
            continue
        height = plot.height() * count / top
        painter.fillRect(QRectF(plot.left() + week * slot + slot * 0.15, plot.bottom() - height, slot * 0.7, height),
                         status_color(band(week, thresholds)))

    painter.setPen(QPen(text, 1, Qt.PenStyle.DashLine))
    for days in thresholds:  # the alert thresholds, labelled
        x = plot.left() + days / 7 * slot
        if x <= plot.right():
            painter.drawLine(QPointF(x, plot.top() - 4), QPointF(x, plot.bottom()))
            painter.drawText(QPointF(x + 3, plot.top() - 6),
                             arg(QCoreApplication.translate("ExpiryChart", "%1 d"), days))

    painter.setPen(text)
    last_x = -1e9
    previous_month = start.month
    for week in range(weeks):  # month names where a new month starts
        day = start + timedelta(days=7 * week)
        if day.month == previous_month and week:
            continue
        previous_month = day.month
        x = plot.left() + week * slot
        label = day.strftime("%b")
        if x - last_x < metrics.horizontalAdvance(label) + 6:
            continue
        painter.drawLine(QPointF(x, plot.bottom()), QPointF(x, plot.bottom() + 4))
        painter.drawText(QPointF(x + 2, plot.bottom() + 4 + metrics.ascent()), label)
        last_x = x
    painter.restore()


class ExpiryChart(QWidget):
    """Expiries per week over the next year, with a tooltip per bar."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("expiryChart")
        self.setMinimumHeight(180)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMouseTracking(True)
        self.counts: list[int] = []
        self.start = datetime.now().astimezone()
        self.thresholds = (90, 30, 7)
        self.setAccessibleName(self.tr("Expiries per week over the next 12 months"))

    def set_data(self, counts: Sequence[int], start: datetime, thresholds: tuple[int, int, int]) -> None:
        self.counts, self.start, self.thresholds = list(counts), start, thresholds
        total = sum(self.counts)
        if total:
            busiest = max(range(len(self.counts)), key=lambda w: self.counts[w])
            description = arg(self.tr("%1 certificates expire in the next 12 months; the busiest week starts "
                                      "%2 with %3."), total,
                              (start + timedelta(days=7 * busiest)).strftime("%Y-%m-%d"), self.counts[busiest])
        else:
            description = self.tr("No certificate expires in the next 12 months.")
        self.setAccessibleDescription(description)
        self.setToolTip(description)
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        paint_chart(painter, QRectF(self.rect()), self.counts, self.start, self.thresholds, self.palette())
        painter.end()

    def event(self, event: QEvent) -> bool:
        if isinstance(event, QHelpEvent) and event.type() == QEvent.Type.ToolTip and self.counts:
            plot = plot_rect(QRectF(self.rect()))
            x = float(event.pos().x())
            week = int((x - plot.left()) / (plot.width() / len(self.counts)))
            if 0 <= week < len(self.counts) and plot.left() <= x <= plot.right():
                day = self.start + timedelta(days=7 * week)
                QToolTip.showText(event.globalPos(), arg(self.tr("Week of %1: %2 expiring"),
                                                         day.strftime("%Y-%m-%d"), self.counts[week]), self)
                return True
        return super().event(event)

    def render_image(self, width: int, height: int, palette: QPalette, scale: float = 2.0) -> QImage:
        """The chart as an image of ``width`` x ``height`` points at ``scale`` pixels per point (for the PDF
        report), drawn with ``palette`` on white."""
        image = QImage(round(width * scale), round(height * scale), QImage.Format.Format_ARGB32)
        image.setDevicePixelRatio(scale)
        image.fill(QColor("white"))
        painter = QPainter(image)
        paint_chart(painter, QRectF(0, 0, width, height), self.counts, self.start, self.thresholds, palette)
        painter.end()
        return image

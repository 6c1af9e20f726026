"""A QR code painted from its module matrix: crisp at any size, on any screen, in light or dark mode.

The matrix comes from :func:`zmconsole.core.qrcodes.qr_matrix` (level M, version ≤ 10, quiet zone included),
so what the screen shows is exactly what the PNG, SVG and label files hold. Each module is drawn as a square
whose edges fall on whole device pixels, so a scanner a metre away sees sharp black and white, never the grey
seams a scaled bitmap leaves. The white square (quiet zone included) is painted whatever the palette, because
scanners need dark modules on a light ground.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QSizePolicy, QWidget

from zmconsole.core.qrcodes import QUIET_ZONE, qr_matrix

MIN_MODULE_PIXELS = 3  # below this a phone camera struggles; the layout keeps at least this much room


class QrCodeWidget(QWidget):
    """Shows one QR code as large as the widget allows (a centred square); nothing when cleared.

    The encoded text is never exposed through accessibility or tooltips: it holds a one-time token.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._matrix: list[list[bool]] = []
        self._placeholder = ""
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent, False)

    @property
    def modules(self) -> int:
        """Modules per side, quiet zone included (0 when nothing is shown)."""
        return len(self._matrix)

    @property
    def showing(self) -> bool:
        return bool(self._matrix)

    def set_text(self, text: str | None) -> None:
        """Show the QR code of ``text``, or nothing for None (the code is cleared from memory too)."""
        self._matrix = qr_matrix(text, border=QUIET_ZONE) if text else []
        if text:
            self._placeholder = ""
        self.updateGeometry()
        self.update()

    def clear(self) -> None:
        self.set_text(None)

    def set_placeholder(self, text: str) -> None:
        """What the empty area says (the pairing ended, say), so the page keeps its shape and says why."""
        self._placeholder = text
        self.update()

    @property
    def placeholder(self) -> str:
        return self._placeholder

    def sizeHint(self) -> QSize:
        return QSize(480, 480)

    def minimumSizeHint(self) -> QSize:
        side = max(self.modules, 25 + 2 * QUIET_ZONE) * MIN_MODULE_PIXELS
        return QSize(side, side)

    def module_size(self) -> float:
        """The side of one module in logical pixels: a whole number of device pixels, as large as fits."""
        if not self._matrix:
            return 0.0
        ratio = self.devicePixelRatioF()
        room = min(self.width(), self.height()) * ratio
        whole = math.floor(room / self.modules)
        return (whole if whole >= 1 else room / self.modules) / ratio

    def code_rect(self) -> QRectF:
        """Where the code (quiet zone included) is painted, centred and aligned to device pixels."""
        side = self.module_size() * self.modules
        ratio = self.devicePixelRatioF()
        left = round((self.width() - side) / 2 * ratio) / ratio
        top = round((self.height() - side) / 2 * ratio) / ratio
        return QRectF(left, top, side, side)

    def paintEvent(self, event: QPaintEvent) -> None:
        if not self._matrix:
            self._paint_placeholder()
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        area = self.code_rect()
        painter.fillRect(area, QColor("white"))
        module = self.module_size()
        dark = QColor("black")
        for y, row in enumerate(self._matrix):
            x = 0
            while x < len(row):  # one rectangle per run of dark modules
                if not row[x]:
                    x += 1
                    continue
                start = x
                while x < len(row) and row[x]:
                    x += 1
                painter.fillRect(QRectF(area.left() + start * module, area.top() + y * module,
                                        (x - start) * module, module), dark)
        painter.end()

    def _paint_placeholder(self) -> None:
        if not self._placeholder:
            return
        painter = QPainter(self)
        side = min(self.width(), self.height())
        area = QRectF((self.width() - side) / 2, (self.height() - side) / 2, side, side).adjusted(8, 8, -8, -8)
        painter.setPen(self.palette().color(QPalette.ColorRole.Mid))
        painter.drawRoundedRect(area, 12, 12)
        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() * 1.4)
        painter.setFont(font)
        painter.setPen(self.palette().color(QPalette.ColorRole.WindowText))
        painter.drawText(area.adjusted(24, 24, -24, -24),
                         int(Qt.AlignmentFlag.AlignCenter) | int(Qt.TextFlag.TextWordWrap), self._placeholder)
        painter.end()

"""What the parts of the Pair page share: the request, how times and fingerprints are written, large targets."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QResizeEvent
from PySide6.QtWidgets import QLabel, QPushButton, QSizePolicy, QWidget

from zmconsole.gui.widgets import big_button

TARGET_HEIGHT = 48  # buttons on this page: large targets at a bedside cart (44 px at least)


@dataclass(frozen=True)
class PairingRequest:
    """What the operator asked for; kept for "New code"."""

    device_id: str
    console_key: bool
    ward: str


def short_fingerprint(hex_digits: str) -> str:
    """The first 16 hex digits in groups of four (``4E22 5B17 A8CC 8511``), as the device shows them."""
    digits = hex_digits.replace(":", "")[:16].upper()
    return " ".join(digits[i:i + 4] for i in range(0, len(digits), 4))


def countdown_text(seconds: int) -> str:
    """``mm:ss`` (``h:mm:ss`` from an hour up); never negative."""
    seconds = max(0, seconds)
    minutes, secs = divmod(seconds, 60)
    if minutes >= 60:
        return f"{minutes // 60}:{minutes % 60:02d}:{secs:02d}"
    return f"{minutes:02d}:{secs:02d}"


def scaled_font(widget: QWidget, factor: float, *, bold: bool = False, monospace: bool = False) -> QFont:
    font = QFont(widget.font())
    if monospace:
        font.setFamilies(["DejaVu Sans Mono", "Liberation Mono", "Menlo", "Consolas", "monospace"])
        font.setStyleHint(QFont.StyleHint.TypeWriter)
        font.setFixedPitch(True)
    font.setPointSizeF(font.pointSizeF() * factor)
    font.setBold(bold)
    return font


def large_button(text: str, icon_name: str | None, name: str, parent: QWidget) -> QPushButton:
    button = big_button(text, icon_name, name=name, parent=parent)
    button.setMinimumHeight(TARGET_HEIGHT)
    return button


class ElidedLabel(QLabel):
    """One line that never widens its column: cut in the middle with … when it does not fit, whole in the tooltip.

    For values without spaces (URLs, serial numbers) that word wrap cannot break.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._full = ""
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

    @property
    def full_text(self) -> str:
        return self._full

    def set_full_text(self, text: str) -> None:
        self._full = text
        self.setAccessibleName(text)
        self._elide()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        room = self.contentsRect().width()
        shown = self.fontMetrics().elidedText(self._full, Qt.TextElideMode.ElideMiddle, room) if room > 0 else ""
        self.setText(shown if self._full else "")
        self.setToolTip(self._full if shown != self._full else "")

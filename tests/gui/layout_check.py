"""What a person sees go wrong in a layout, found in the widget tree: clipped widgets, clipped text, sideways
scrolling.

:func:`layout_problems` walks every visible widget under a window and names each of:

- a widget reaching outside its visible parent (a scroll area's content may be taller than its viewport,
  never wider);
- a label whose text needs more room than the label has (wider, or taller once wrapped), unless the text is
  elided (ends with …) and the whole text is in its tooltip;
- a button, check box or radio button narrower than its text and icon;
- a visible horizontal scroll bar.

Qt's own internals (``qt_*`` object names, an item view's viewport children) are skipped: they clip by design.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import Qt as GuiQt
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractScrollArea,
    QCheckBox,
    QLabel,
    QMenu,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QScrollBar,
    QToolBar,
    QToolButton,
    QWidget,
)

SLACK = 1  # pixels of rounding allowed


def _name(widget: QWidget) -> str:
    text = widget.text() if isinstance(widget, QLabel | QAbstractButton) else ""
    short = (text[:40] + "…") if len(text) > 40 else text
    return f"{type(widget).__name__} {widget.objectName()!r}" + (f" {short!r}" if short else "")


def _skipped(widget: QWidget) -> bool:
    if widget.objectName().startswith("qt_") or isinstance(widget, QMenu):
        return True
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QAbstractItemView | QToolBar) or parent.objectName().startswith("qt_spinbox"):
            return True  # cells, headers and toolbar buttons clip or overflow into a menu by design
        parent = parent.parentWidget()
    return False


def _in_scroll_viewport(widget: QWidget) -> QScrollArea | None:
    parent = widget.parentWidget()
    grand = parent.parentWidget() if parent is not None else None
    if isinstance(grand, QScrollArea) and grand.viewport() is parent:
        return grand
    return None


def _label_room(label: QLabel) -> QRect:
    room = label.contentsRect()
    margin = label.margin()
    return room.adjusted(margin, margin, -margin, -margin)


def _label_problem(label: QLabel) -> str | None:
    text = label.text()
    if label.buddy() is not None:  # "&Device ID:" shows as "Device ID:"
        text = text.replace("&&", "\0").replace("&", "").replace("\0", "&")
    if not text or (label.pixmap() is not None and not label.pixmap().isNull()):
        return None
    room = _label_room(label)
    document = QTextDocument()
    document.setDefaultFont(label.font())
    document.setDocumentMargin(0)
    rich = label.textFormat() == Qt.TextFormat.RichText or (
        label.textFormat() == Qt.TextFormat.AutoText and GuiQt.mightBeRichText(text))
    if rich:
        document.setHtml(text)
    else:
        document.setPlainText(text)
    if label.wordWrap():
        document.setTextWidth(room.width())
    needed_width = document.idealWidth()
    needed_height = document.size().height()
    elided = text.endswith("…") and bool(label.toolTip())
    if needed_width > room.width() + SLACK and not elided:
        return f"{_name(label)}: text needs {needed_width:.0f} px, has {room.width()} px"
    if label.wordWrap() and needed_height > room.height() + SLACK + 2:
        return f"{_name(label)}: wrapped text needs {needed_height:.0f} px high, has {room.height()} px"
    return None


def _button_problem(button: QAbstractButton) -> str | None:
    if not button.text():
        return None
    if isinstance(button, QPushButton | QCheckBox | QRadioButton | QToolButton):
        needed = button.minimumSizeHint().width() if isinstance(button, QPushButton) else button.sizeHint().width()
        if button.width() + SLACK < needed:
            return f"{_name(button)}: needs {needed} px, has {button.width()} px"
    return None


def layout_problems(root: QWidget) -> list[str]:
    """Everything clipped or scrolling sideways under ``root`` (which must be shown)."""
    problems: list[str] = []
    for widget in root.findChildren(QWidget):
        if not widget.isVisible():
            continue
        parent = widget.parentWidget()
        if isinstance(widget, QScrollBar):  # in a table too: sideways scrolling hides columns
            owner = parent.parentWidget() if parent is not None else None
            if widget.orientation() == Qt.Orientation.Horizontal and isinstance(owner, QAbstractScrollArea):
                problems.append(f"horizontal scroll bar in {_name(owner)}")
            continue
        if _skipped(widget):
            continue
        if parent is not None and parent.isVisible():
            area = _in_scroll_viewport(widget)
            inside = parent.rect()
            geometry = widget.geometry()
            if area is not None:  # scrolls vertically, so only the width counts
                if geometry.width() > inside.width() + SLACK:
                    problems.append(f"{_name(widget)} is {geometry.width()} px wide in a {inside.width()} px "
                                    f"scroll area {_name(area)}")
            elif not inside.adjusted(-SLACK, -SLACK, SLACK, SLACK).contains(geometry):
                problems.append(f"{_name(widget)} at {geometry.getRect()} reaches outside {_name(parent)} "
                                f"{inside.getRect()}")
        if isinstance(widget, QLabel):
            problem = _label_problem(widget)
        elif isinstance(widget, QAbstractButton):
            problem = _button_problem(widget)
        else:
            problem = None
        if problem:
            problems.append(problem)
    return problems

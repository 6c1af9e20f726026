"""Light, dark or the platform's theme, chosen in the View menu (kept in QSettings by :mod:`.view_state`).

A cart in a dim ward wants dark; an office under strip lights wants light; the platform may know neither.
The choice sets Qt's colour scheme (for styles that follow it) and a matching palette (for those that do not).
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

THEMES = ("system", "light", "dark")
_platform_palette: QPalette | None = None  # the palette before any choice: what "system" goes back to


def theme_label(theme: str) -> str:
    translate = QCoreApplication.translate
    return {"system": translate("Theme", "&System"), "light": translate("Theme", "&Light"),
            "dark": translate("Theme", "&Dark")}[theme]


def dark_palette() -> QPalette:
    """Dark greys with enough contrast for text, links and the selection (WCAG AA on the window colour)."""
    palette = QPalette()
    role, group = QPalette.ColorRole, QPalette.ColorGroup
    for name, colour in ((role.Window, "#2b2b2b"), (role.WindowText, "#eeeeee"), (role.Base, "#1f1f1f"),
                         (role.AlternateBase, "#2a2a2a"), (role.Text, "#eeeeee"), (role.Button, "#353535"),
                         (role.ButtonText, "#eeeeee"), (role.ToolTipBase, "#353535"), (role.ToolTipText, "#eeeeee"),
                         (role.Highlight, "#3d7fd9"), (role.HighlightedText, "#ffffff"), (role.Link, "#8ab4f8"),
                         (role.PlaceholderText, "#a0a0a0"), (role.BrightText, "#ff6b6b")):
        palette.setColor(name, QColor(colour))
    for name in (role.WindowText, role.Text, role.ButtonText):
        palette.setColor(group.Disabled, name, QColor("#808080"))
    return palette


def apply_theme(theme: str) -> None:
    """Switch the whole application to ``theme`` (unknown names: the platform's)."""
    global _platform_palette
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        return
    if _platform_palette is None:
        _platform_palette = QPalette(app.palette())
    hints = QGuiApplication.styleHints()
    if theme == "dark":
        hints.setColorScheme(Qt.ColorScheme.Dark)
        app.setPalette(dark_palette())
    elif theme == "light":
        hints.setColorScheme(Qt.ColorScheme.Light)
        style = app.style()
        app.setPalette(style.standardPalette() if style is not None else QPalette())
    else:
        hints.unsetColorScheme()
        app.setPalette(_platform_palette)

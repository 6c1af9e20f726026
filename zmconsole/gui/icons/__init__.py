"""The console's icons: scalable SVGs drawn for it, sharp at any size and legible in light and dark mode.

Monochrome icons are drawn with ``stroke="currentColor"``: when first used they
are written once, in the palette's text colour (and its disabled colour), to a
private cache folder, and Qt's own SVG icon engine renders them at whatever size
and pixel ratio is asked for; a dark theme therefore gets light icons. Status
icons (``status-*.svg``) carry their own colours, a mid-tone shape with a white
glyph readable on either background, and each status family has its own shape
so colour is never the only cue.

(A Python ``QIconEngine`` would avoid the files, but PySide6 6.12 miscounts
references to ``None`` across its ``paint`` override and the process aborts.)
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from functools import cache
from importlib import resources
from pathlib import Path

from PySide6.QtCore import QSize
from PySide6.QtGui import QGuiApplication, QIcon, QPalette

from zmconsole.core.status import CERTIFICATE_STATUSES

_CURRENT = b"currentColor"


def svg_bytes(name: str) -> bytes:
    """The raw SVG of an icon (``name`` without ``.svg``)."""
    return resources.files(__name__).joinpath(f"{name}.svg").read_bytes()


@cache
def _cache_dir() -> Path:
    folder = Path(tempfile.mkdtemp(prefix="zmconsole-icons-"))
    atexit.register(shutil.rmtree, folder, True)
    return folder


def _file(name: str, color: str | None) -> str:
    """A path Qt can load: the SVG as drawn, or recoloured to ``color``."""
    data = svg_bytes(name)
    suffix = "" if color is None else "-" + color.lstrip("#")
    path = _cache_dir() / f"{name}{suffix}.svg"
    if not path.exists():
        path.write_bytes(data if color is None else data.replace(_CURRENT, color.encode()))
    return str(path)


@cache
def icon(name: str) -> QIcon:
    """The named icon (cached for the process)."""
    if _CURRENT not in svg_bytes(name):
        return QIcon(_file(name, None))
    palette = QGuiApplication.palette()
    normal = palette.color(QPalette.ColorGroup.Active, QPalette.ColorRole.WindowText).name()
    disabled = palette.color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.WindowText).name()
    result = QIcon()
    result.addFile(_file(name, normal), QSize(), QIcon.Mode.Normal)
    result.addFile(_file(name, normal), QSize(), QIcon.Mode.Active)
    result.addFile(_file(name, normal), QSize(), QIcon.Mode.Selected)
    result.addFile(_file(name, disabled), QSize(), QIcon.Mode.Disabled)
    return result


def status_icon(status: str) -> QIcon:
    """The icon for an inventory status (``active``, ``expiring-30``...); ``none`` for anything unknown."""
    return icon(f"status-{status if status in CERTIFICATE_STATUSES else 'none'}")

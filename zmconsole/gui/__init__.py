"""The desktop console (PySide6) over the Qt-free core."""

from zmconsole.gui.compat import immortalize_singletons

immortalize_singletons()  # before any other Qt call: see compat.py

"""The desktop console (PySide6) over the Qt-free core."""

"""Window geometry and view state (never business settings: those live in the store).

All ``QSettings`` keys are here, typed, so widgets never spell them out.
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings


class ViewState:
    _GEOMETRY = "window/geometry"
    _STATE = "window/state"
    _PAGE = "window/page"
    _HEADER = "headers/{}"
    _THEME = "view/theme"

    def __init__(self, settings: QSettings) -> None:
        self._settings = settings

    def _bytes(self, key: str) -> QByteArray | None:
        value = self._settings.value(key)
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    @property
    def geometry(self) -> QByteArray | None:
        return self._bytes(self._GEOMETRY)

    @property
    def window_state(self) -> QByteArray | None:
        return self._bytes(self._STATE)

    def save_window(self, geometry: QByteArray, state: QByteArray) -> None:
        self._settings.setValue(self._GEOMETRY, geometry)
        self._settings.setValue(self._STATE, state)

    @property
    def page(self) -> str | None:
        value = self._settings.value(self._PAGE)
        return str(value) if value else None

    @page.setter
    def page(self, key: str) -> None:
        self._settings.setValue(self._PAGE, key)

    @property
    def theme(self) -> str:
        """system, light or dark (see :mod:`.theme`)."""
        value = self._settings.value(self._THEME)
        return str(value) if value in ("light", "dark") else "system"

    @theme.setter
    def theme(self, value: str) -> None:
        self._settings.setValue(self._THEME, value)

    def header(self, name: str) -> QByteArray | None:
        return self._bytes(self._HEADER.format(name))

    def save_header(self, name: str, state: QByteArray) -> None:
        self._settings.setValue(self._HEADER.format(name), state)

    def sync(self) -> None:
        self._settings.sync()

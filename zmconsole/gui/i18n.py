"""Translation plumbing: Qt's machinery, English shipped, other languages as ``.qm`` files.

Every user-visible string goes through ``self.tr`` or ``QCoreApplication.translate``
with a literal text, so ``pyside6-lupdate`` can extract it. Placeholders are Qt's
``%1``, ``%2``... filled by :func:`arg` after translation, so a translator may
reorder them.
"""

from __future__ import annotations

from importlib import resources

from PySide6.QtCore import QCoreApplication, QLocale, QTranslator


def arg(template: str, *values: object) -> str:
    """Fill ``%1``, ``%2``... in a translated string (highest number first, so %1 never eats %10)."""
    text = template
    for number in range(len(values), 0, -1):
        text = text.replace(f"%{number}", str(values[number - 1]))
    return text


def install_translator(app: QCoreApplication, locale: QLocale | None = None) -> QTranslator | None:
    """Load ``i18n/zmconsole_<locale>.qm`` if one is shipped for the locale; English needs none."""
    translator = QTranslator(app)
    folder = resources.files("zmconsole.gui").joinpath("i18n")
    if not folder.is_dir():
        return None
    with resources.as_file(folder) as path:
        if translator.load(locale or QLocale(), "zmconsole", "_", str(path)):
            app.installTranslator(translator)
            return translator
    return None

"""Build the files a package installs outside site-packages, into a prefix tree (default ``build/data``).

    python packaging/build_data.py [--prefix DIR] [--translations]

Under ``DIR/share``: the desktop entry and AppStream metainfo; the application icon in the hicolor theme, the
SVG as ``scalable`` and PNGs rendered from it by Qt at 16 to 256 pixels; the man page ``zmconsole.1`` and the
bash and zsh completions, both generated from the command line's own argparse parser (argparse-manpage,
shtab), so they never drift from it. Copy the tree to ``/usr`` (a distribution package) or ``~/.local``
(one user): ``cp -r build/data/share ~/.local/``.

``--translations`` also compiles ``resources/translations/*.ts`` with ``pyside6-lrelease`` into the package
(``zmconsole/gui/i18n/*.qm``), which the wheel ships and the console loads.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
APP_ID = "example.zmonitor.zmconsole"
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256)
SOURCE_ICON = REPO / "zmconsole" / "gui" / "icons" / "app.svg"
TRANSLATIONS = REPO / "resources" / "translations"
COMPILED = REPO / "zmconsole" / "gui" / "i18n"


def render_icons(share: Path) -> list[Path]:
    """The hicolor theme's icon: the SVG as is, and one PNG per size drawn from it by Qt's SVG renderer."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    _app = QGuiApplication.instance() or QGuiApplication(["build_data"])
    hicolor = share / "icons" / "hicolor"
    scalable = hicolor / "scalable" / "apps" / f"{APP_ID}.svg"
    scalable.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(SOURCE_ICON, scalable)
    written = [scalable]
    renderer = QSvgRenderer(str(SOURCE_ICON))
    if not renderer.isValid():
        raise SystemExit(f"{SOURCE_ICON} is not a valid SVG")
    for size in PNG_SIZES:
        image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter)
        painter.end()
        target = hicolor / f"{size}x{size}" / "apps" / f"{APP_ID}.png"
        target.parent.mkdir(parents=True, exist_ok=True)
        if not image.save(str(target), "PNG"):
            raise SystemExit(f"cannot write {target}")
        written.append(target)
    return written


def man_and_completions(share: Path) -> list[Path]:
    import shtab
    from argparse_manpage.manpage import Manpage

    from zmconsole import __version__
    from zmconsole.cli.main import build_parser

    parser = build_parser()
    manual = {"project_name": "zmconsole", "prog": "zmconsole", "version": __version__,
              "manual_section": "1", "manual_title": "Z Monitor Provisioning Console",
              "description": "provisioning console and platform certificate authority for Z Monitor monitors",
              "url": None, "authors": ["Z Monitor Team"], "format": "pretty"}
    bash, zsh = (shtab.complete(parser, shell=name) for name in ("bash", "zsh"))
    files = {
        share / "man" / "man1" / "zmconsole.1": str(Manpage(parser, _data=manual)),
        share / "bash-completion" / "completions" / "zmconsole": bash,
        share / "zsh" / "site-functions" / "_zmconsole": zsh,
    }
    for path, text in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return list(files)


def desktop_files(share: Path) -> list[Path]:
    pairs = {REPO / "packaging" / f"{APP_ID}.desktop": share / "applications" / f"{APP_ID}.desktop",
             REPO / "packaging" / f"{APP_ID}.metainfo.xml": share / "metainfo" / f"{APP_ID}.metainfo.xml"}
    for source, target in pairs.items():
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
    return list(pairs.values())


def lrelease() -> str:
    found = shutil.which("pyside6-lrelease") or str(Path(sys.executable).with_name("pyside6-lrelease"))
    if not Path(found).exists():
        raise SystemExit("pyside6-lrelease not found: install the gui extra (pip install 'zmconsole[gui]')")
    return found


def compile_translations(out: Path = COMPILED) -> list[Path]:
    """Every ``resources/translations/zmconsole_<lang>.ts`` as ``<out>/zmconsole_<lang>.qm``."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for source in sorted(TRANSLATIONS.glob("zmconsole_*.ts")):
        target = out / source.with_suffix(".qm").name
        subprocess.run([lrelease(), "-silent", str(source), "-qm", str(target)], check=True)
        written.append(target)
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--prefix", type=Path, default=REPO / "build" / "data", help="tree to build into")
    parser.add_argument("--translations", action="store_true", help="also compile the .ts files into the package")
    args = parser.parse_args()
    share = args.prefix / "share"
    written = desktop_files(share) + render_icons(share) + man_and_completions(share)
    if args.translations:
        written += compile_translations()
    for path in written:
        print(path)


if __name__ == "__main__":
    main()

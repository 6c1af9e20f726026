"""Desktop and distribution (issue 11): the desktop entry and AppStream metainfo pass their validators, the icon
is rendered into the hicolor theme, the man page and completions come from the parser, compiled translations
ship in the wheel and load, and the sdist holds the tests, docs, packaging and the licence."""

from __future__ import annotations

import configparser
import email
import os
import shutil
import subprocess
import sys
import tarfile
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest
from PIL import Image

from tests.packaging.conftest import REPO, Built

sys.path.insert(0, str(REPO / "packaging"))
import build_data

APP_ID = build_data.APP_ID
DESKTOP = REPO / "packaging" / f"{APP_ID}.desktop"
METAINFO = REPO / "packaging" / f"{APP_ID}.metainfo.xml"


def tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        if os.environ.get("CI"):
            pytest.fail(f"{name} is missing: scripts/setup.sh --test installs it")
        pytest.skip(f"{name} is not installed (scripts/setup.sh --test installs it)")
    return found


def test_the_desktop_entry_passes_desktop_file_validate() -> None:
    done = subprocess.run([tool("desktop-file-validate"), str(DESKTOP)], capture_output=True, text=True, check=False)
    assert done.returncode == 0 and done.stdout.strip() == "", done.stdout + done.stderr


def test_the_metainfo_passes_appstreamcli_validate() -> None:
    done = subprocess.run([tool("appstreamcli"), "validate", "--no-net", str(METAINFO)], capture_output=True,
                          text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr


def test_desktop_entry_metainfo_icon_and_the_app_agree() -> None:
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str  # type: ignore[assignment, method-assign]
    entry.read(DESKTOP)
    desktop = entry["Desktop Entry"]
    component = ET.parse(METAINFO).getroot()  # noqa: S314 - our own file
    assert component.findtext("id") == APP_ID
    assert component.findtext("launchable") == DESKTOP.name
    assert desktop["Icon"] == component.findtext("icon") == APP_ID
    assert desktop["Exec"] == "zmconsole"
    source = (REPO / "zmconsole" / "gui" / "app.py").read_text()
    assert f'DESKTOP_FILE = "{APP_ID}"' in source and "setDesktopFileName(DESKTOP_FILE)" in source


@pytest.fixture(scope="module")
def data_tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    prefix = tmp_path_factory.mktemp("prefix")
    done = subprocess.run([sys.executable, str(REPO / "packaging" / "build_data.py"), "--prefix", str(prefix)],
                          capture_output=True, text=True, timeout=300, check=False,
                          env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert done.returncode == 0, done.stderr
    return prefix / "share"


def test_the_icon_is_in_the_hicolor_theme_at_every_size(data_tree: Path) -> None:
    hicolor = data_tree / "icons" / "hicolor"
    assert (hicolor / "scalable" / "apps" / f"{APP_ID}.svg").read_bytes() == \
        (REPO / "zmconsole" / "gui" / "icons" / "app.svg").read_bytes()
    for size in (48, 64, 128, 256):
        with Image.open(hicolor / f"{size}x{size}" / "apps" / f"{APP_ID}.png") as png:
            assert png.size == (size, size) and png.mode == "RGBA"
            alpha = png.getchannel("A")
            assert alpha.getextrema() == (0, 255)  # drawn, on a transparent background
    assert (data_tree / "applications" / DESKTOP.name).read_bytes() == DESKTOP.read_bytes()
    assert (data_tree / "metainfo" / METAINFO.name).exists()


def test_the_man_page_and_completions_come_from_the_parser(data_tree: Path) -> None:
    from zmconsole.cli.main import build_parser

    commands = [a for a in build_parser()._subparsers._group_actions[0].choices]  # type: ignore[union-attr]
    assert "check-expiry" in commands and "serve" in commands
    man = (data_tree / "man" / "man1" / "zmconsole.1").read_text()
    assert man.startswith(".TH ZMCONSOLE \"1\"")
    bash = (data_tree / "bash-completion" / "completions" / "zmconsole").read_text()
    zsh = (data_tree / "zsh" / "site-functions" / "_zmconsole").read_text()
    assert zsh.startswith("#compdef zmconsole")
    for command in commands:
        assert command.replace("-", r"\-") in man or command in man, command
        assert command in bash and command in zsh, command
    assert "--passphrase-file" in bash and "--generate-key" in zsh
    if shutil.which("man"):
        shown = subprocess.run(["man", "-l", "-P", "cat", str(data_tree / "man" / "man1" / "zmconsole.1")],
                               capture_output=True, text=True, check=False, env={**os.environ, "MANWIDTH": "100"})
        assert shown.returncode == 0 and "check-expiry" in shown.stdout, shown.stderr
    if shutil.which("bash"):
        sourced = subprocess.run(["bash", "-c", f"source {data_tree / 'bash-completion/completions/zmconsole'} && "
                                  "complete -p zmconsole"], capture_output=True, text=True, check=False)
        assert sourced.returncode == 0 and "zmconsole" in sourced.stdout, sourced.stderr


def test_the_shipped_translation_is_the_compiled_template(tmp_path: Path) -> None:
    """zmconsole/gui/i18n/zmconsole_en.qm is what pyside6-lrelease makes of the .ts today, and it loads."""
    pytest.importorskip("PySide6")
    fresh = build_data.compile_translations(tmp_path)
    assert [p.name for p in fresh] == ["zmconsole_en.qm"]
    for compiled in fresh:
        assert (build_data.COMPILED / compiled.name).read_bytes() == compiled.read_bytes(), (
            "run: python packaging/build_data.py --translations")
    done = subprocess.run([sys.executable, "-c", (
        "from PySide6.QtCore import QCoreApplication, QLocale\n"
        "from zmconsole.gui.i18n import install_translator\n"
        "app = QCoreApplication([])\n"
        "translator = install_translator(app, QLocale('en_GB'))\n"
        "print(translator is not None and translator.filePath())\n")],
        capture_output=True, text=True, check=False, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert done.stdout.strip().endswith("zmconsole/gui/i18n/zmconsole_en.qm"), done.stdout + done.stderr


@pytest.mark.slow
def test_the_wheel_ships_translations_and_metadata(built: Built) -> None:
    with zipfile.ZipFile(built.wheel) as wheel:
        names = wheel.namelist()
        [metadata_name] = [n for n in names if n.endswith(".dist-info/METADATA")]
        metadata = email.message_from_bytes(wheel.read(metadata_name))
    assert "zmconsole/gui/i18n/zmconsole_en.qm" in names
    assert "zmconsole/gui/icons/app.svg" in names
    assert any(n.endswith("licenses/LICENSE") for n in names)
    assert metadata["License-Expression"] == "LicenseRef-Proprietary"
    assert "Typing :: Typed" in metadata.get_all("Classifier", [])
    assert any(url.startswith("Source,") for url in metadata.get_all("Project-URL", []))
    assert not any(r.startswith("PySide6") and "extra" not in r for r in metadata.get_all("Requires-Dist", []))
    assert any(r.startswith("pillow>=10.1") for r in metadata.get_all("Requires-Dist", []))


@pytest.mark.slow
def test_the_sdist_holds_tests_docs_packaging_and_the_licence(built: Built) -> None:
    with tarfile.open(built.sdist) as sdist:
        names = {name.split("/", 1)[1] for name in sdist.getnames() if "/" in name}
    for wanted in ("LICENSE", "README.md", "MANIFEST.in", "tests/conftest.py", "tests/packaging/test_distribution.py",
                   "docs/performance.md", "packaging/build_data.py", f"packaging/{DESKTOP.name}",
                   f"packaging/{METAINFO.name}", "packaging/systemd/zmconsole-serve.service",
                   "resources/translations/zmconsole_en.ts", "benchmarks/bench_monitoring.py", "scripts/setup.sh",
                   "zmconsole/gui/i18n/zmconsole_en.qm"):
        assert wanted in names, wanted
    assert not any("__pycache__" in name for name in names)

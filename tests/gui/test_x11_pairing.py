"""The console on a real X server, driven with real key events, pairing a real device through a separately
started ``zmconsole serve``: what a person at a cart sees, read off the screen by a QR reader and by OCR.

The test starts its own Xvfb (on a free display number, ``-displayfd``) and the console as its own process on
the xcb platform (not offscreen), types with ``xdotool``, takes the screen from Xvfb's frame buffer file, reads
the QR code with zxing-cpp and the pairing code, the serial and the service strip with tesseract. The device
is the real ``zmdevice enroll``.
"""

from __future__ import annotations

import difflib
import io
import json
import os
import re
import shutil
import struct
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

import pytest
import zxingcpp
from PIL import Image, ImageOps

from tests.conftest import PASSPHRASE
from tests.support import cli, zmdevice
from tests.support.service import RunningService, make_ca, running_service
from zmconsole.core import paths

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not all(shutil.which(t) for t in ("Xvfb", "xdotool", "tesseract")),
                       reason="needs Xvfb, xdotool and tesseract (scripts/setup.sh --test)"),
]

SCREEN = (1366, 768)
TIMEOUT = 60.0
T = TypeVar("T")


def eventually(what: str, probe: Callable[[], T | None], timeout: float = TIMEOUT) -> T:
    """Poll (never assert on time) until ``probe`` returns something."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = probe()
        if found is not None and found is not False:
            return found
        time.sleep(0.3)
    raise AssertionError(f"timed out waiting for {what}")


class Display:
    """An Xvfb server and what the test does on it: type, find windows, take the screen."""

    def __init__(self, work: Path) -> None:
        self.fbdir = work / "fb"
        self.fbdir.mkdir()
        width, height = SCREEN
        self.process = subprocess.Popen(
            ["Xvfb", "-displayfd", "1", "-screen", "0", f"{width}x{height}x24", "-fbdir", str(self.fbdir),
             "-nolisten", "tcp"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        assert self.process.stdout is not None
        self.name = ":" + self.process.stdout.readline().strip()  # Xvfb says which display number it took
        assert self.name != ":", "Xvfb did not start"

    @property
    def env(self) -> dict[str, str]:
        return {"DISPLAY": self.name, "QT_QPA_PLATFORM": "xcb"}

    def xdotool(self, *args: str) -> str:
        done = subprocess.run(["xdotool", *args], capture_output=True, text=True, timeout=TIMEOUT, check=True,
                              env={**os.environ, **self.env})
        return done.stdout.strip()

    def window(self, title: str) -> str:
        return self.xdotool("search", "--sync", "--onlyvisible", "--name", title).splitlines()[0]

    def focus(self, title: str) -> None:
        self.xdotool("windowfocus", "--sync", self.window(title))

    def keys(self, *names: str) -> None:
        self.xdotool("key", "--delay", "60", *names)

    def type(self, text: str) -> None:
        self.xdotool("type", "--delay", "60", text)

    def screen(self) -> Image.Image:
        """The frame buffer as Xvfb writes it (an XWD file), as an RGB image."""
        data = (self.fbdir / "Xvfb_screen0").read_bytes()
        header = struct.unpack(">25I", data[:100])
        header_size, width, height = header[0], header[4], header[5]
        bits_per_pixel, bytes_per_line, colours = header[11], header[12], header[19]
        assert bits_per_pixel == 32, bits_per_pixel
        start = header_size + colours * 12
        pixels = data[start:start + bytes_per_line * height]
        return Image.frombuffer("RGB", (width, height), pixels, "raw", "BGRX", bytes_per_line, 1)

    def close(self) -> None:
        self.process.terminate()
        self.process.wait(30)


def ocr(image: Image.Image, *config: str) -> str:
    """What tesseract reads on the image (enlarged twice: screen text is small for it)."""
    big = ImageOps.grayscale(image).resize((image.width * 2, image.height * 2), Image.Resampling.LANCZOS)
    done = subprocess.run(["tesseract", "stdin", "stdout", "--psm", "11", *config], input=_png(big),
                          capture_output=True, timeout=TIMEOUT, check=True)
    return done.stdout.decode(errors="replace")


def _words(image: Image.Image) -> list[tuple[str, int, int, int]]:
    """Each word tesseract finds: (text, left, top, height) in screen pixels."""
    big = ImageOps.grayscale(image).resize((image.width * 2, image.height * 2), Image.Resampling.LANCZOS)
    done = subprocess.run(["tesseract", "stdin", "stdout", "--psm", "11", "tsv"], input=_png(big),
                          capture_output=True, timeout=TIMEOUT, check=True)
    found = []
    for row in done.stdout.decode(errors="replace").splitlines()[1:]:
        cells = row.split("\t")
        if len(cells) == 12 and cells[11].strip():
            left, top, _width, height = (int(c) // 2 for c in cells[6:10])
            found.append((cells[11].strip(), left, top, height))
    return found


def line_of(image: Image.Image, word: str, *, from_left: bool = False, until: str | None = None) -> Image.Image:
    """The screen from ``word`` on (or from the left edge), down to its line's end or to the line holding
    ``until``: cut out to be read alone."""
    words = _words(image)
    for text, left, top, height in words:
        if text == word:
            bottom = top + height + 6
            if until is not None:
                bottom = min((t for w, _l, t, _h in words if w == until and t > top), default=bottom) - 2
            return image.crop((0 if from_left else max(0, left - 6), max(0, top - 6), image.width, bottom))
    raise AssertionError(f"no {word!r} on the screen")


def read_line(image: Image.Image, *config: str) -> str:
    """One line of text, enlarged four times: how tesseract reads a serial number best."""
    big = ImageOps.grayscale(image).resize((image.width * 4, image.height * 4), Image.Resampling.LANCZOS)
    done = subprocess.run(["tesseract", "stdin", "stdout", "--psm", "6", *config], input=_png(big),
                          capture_output=True, timeout=TIMEOUT, check=True)
    return done.stdout.decode(errors="replace").strip()


def _png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def qr_on(screen: Image.Image) -> str | None:
    found = zxingcpp.read_barcodes(screen, formats=zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode))
    return found[0].text if len(found) == 1 else None


def assert_whole(serial: str, read: str) -> None:
    """The serial on screen is all there: what tesseract reads has its length and matches it but for a character
    or two (it takes the dotted zero of DejaVu Sans Mono for nothing now and then). A cut serial, like the
    "…EBBB0" this test was written for, fails by a mile."""
    similar = difflib.SequenceMatcher(None, serial, read).ratio()
    assert abs(len(read) - len(serial)) <= 2 and similar >= 0.9, f"{serial} on screen, {read} read ({similar:.2f})"


def strip_says_external_service_runs(screen: Image.Image, service: RunningService) -> None:
    said = read_line(line_of(screen, "running", from_left=True))
    assert "Provisioning service: running on" in said and f"process {service.process.pid}," in said, said


@pytest.fixture
def display(tmp_path: Path) -> Iterator[Display]:
    shown = Display(tmp_path)
    yield shown
    shown.close()


@pytest.fixture
def hospital(tmp_path: Path) -> Iterator[tuple[Path, RunningService]]:
    """A console home with its CA, and ``zmconsole serve`` on it in its own process; QR codes point to it."""
    home = paths.ensure_home(tmp_path / "home")
    make_ca(home)
    with running_service(home, set_crl_url=False) as service:
        cli.ok(home, "config", "set", "provisioning-url", service.provisioning_url)
        yield home, service


def test_pair_a_real_device_on_a_real_x_server(display: Display, hospital: tuple[Path, RunningService],
                                               tmp_path: Path) -> None:
    home, service = hospital
    log = (tmp_path / "console.log").open("wb")
    console = subprocess.Popen(cli.command(home, []), stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                               env={**cli.environment(None), **display.env, "XDG_CONFIG_HOME": str(tmp_path / "xdg"),
                                    "QT_ACCESSIBILITY": "0"})
    try:
        display.focus("Z Monitor Console")
        display.keys("ctrl+p")  # Pair a device, the cursor in the device ID field
        display.type("zm-601")  # as a hurried person types it: paired as ZM-601
        display.keys("Return")
        display.focus("Unlock the CA")
        display.type(PASSPHRASE)
        display.keys("Return")

        qr_text = eventually("the QR code on the screen", lambda: qr_on(display.screen()))
        shown = ocr(display.screen(), "-c", "tessedit_char_whitelist=0123456789 ")
        code = eventually("the pairing code", lambda: re.search(r"\b(\d{4}) ?(\d{4})\b", shown))
        strip_says_external_service_runs(display.screen(), service)

        enrolled = zmdevice.run("enroll", "--payload", qr_text, "--keystore", tmp_path / "keystore",
                                "--device-id", "ZM-601", code=code.group(1) + code.group(2))
        assert enrolled.returncode == 0, f"{enrolled}\n(read the code as {code.group(0)!r} from:\n{shown})"

        def paired_screen() -> tuple[Image.Image, str] | None:
            screen = display.screen()
            text = ocr(screen)
            return (screen, text) if "Paired" in text else None

        paired, _words = eventually("Paired on the screen", paired_screen)
        strip_says_external_service_runs(paired, service)  # still the same one
        serial = json.loads(cli.ok(home, "device", "show", "ZM-601", "--json").stdout)["certificates"][0]["serial"]
        line = line_of(paired, "Serial", until="monitor")  # it may wrap between groups of four
        hexes = read_line(line, "-c", "tessedit_char_whitelist=0123456789ABCDEFSerial ")
        line.save(tmp_path / "serial-line.png")
        read = re.match(r"Serial\s*([0-9A-F\s]+)", hexes)
        assert read is not None, hexes
        assert_whole(serial, "".join(read.group(1).split()))
        paired.save(tmp_path / "paired.png")

        display.focus("Z Monitor Console")
        display.keys("ctrl+q")  # nothing pending and no service of its own: it closes without asking
        assert console.wait(TIMEOUT) == 0
    finally:
        if console.poll() is None:
            console.terminate()
            console.wait(30)
        log.close()
    assert "Traceback" not in (tmp_path / "console.log").read_text(errors="replace")


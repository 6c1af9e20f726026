"""Render pairing QR codes: the module matrix (for the GUI to paint), PNG, SVG and a printable PDF label.

Every rendering goes through ``qr_matrix``, which fixes error correction at level M and refuses any text
needing a version above 10: past that, bedside scanners and cheap device cameras start failing. The
pairing payload's length limits are chosen to stay inside that (see docs/pairing-protocol.md).
"""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path

import qrcode
import qrcode.constants
from PIL import Image, ImageDraw, ImageFont
from qrcode.image.base import BaseImage

from zmconsole.core import output_files
from zmconsole.core.errors import InputError
from zmconsole.core.pairing.protocol import format_pairing_code

MAX_VERSION = 10
QUIET_ZONE = 4  # modules of white border a scanner needs (ISO/IEC 18004 §6.3.8)
_LABEL_MM = (62.0, 80.0)  # common 62 mm roll label width; portrait
_MM_PER_INCH = 25.4


def qr_version(text: str) -> int:
    """The smallest QR version that holds ``text`` at level M (it may exceed ``MAX_VERSION``)."""
    return _fit(text).version or 0


def qr_matrix(text: str, *, border: int = QUIET_ZONE) -> list[list[bool]]:
    """Rows of modules (True = dark), including ``border`` light modules on every side.

    The GUI paints this as squares at any size so the code stays crisp on HiDPI screens.
    """
    qr = _fit(text)
    if (qr.version or 0) > MAX_VERSION:
        raise ValueError(
            f"The text needs QR version {qr.version}; pairing codes must fit version {MAX_VERSION} at "
            "level M to scan reliably: shorten the device ID or provisioning URL."
        )
    if border < 0:
        raise ValueError(f"border must be >= 0, got {border}")
    modules = [[bool(m) for m in row] for row in qr.get_matrix()]
    width = len(modules) + 2 * border
    blank = [False] * width
    padded = [[False] * border + row + [False] * border for row in modules]
    return [list(blank) for _ in range(border)] + padded + [list(blank) for _ in range(border)]


def render_image(text: str, *, scale: int = 8, border: int = QUIET_ZONE) -> Image.Image:
    """A black-on-white greyscale image, ``scale`` pixels per module."""
    if scale < 1:
        raise ValueError(f"scale must be >= 1, got {scale}")
    matrix = qr_matrix(text, border=border)
    size = len(matrix)
    image = Image.new("L", (size, size), 255)
    image.putdata([0 if dark else 255 for row in matrix for dark in row])
    return image.resize((size * scale, size * scale), Image.Resampling.NEAREST)


def render_png(text: str, *, scale: int = 8, border: int = QUIET_ZONE) -> bytes:
    """PNG bytes of the QR code."""
    buffer = io.BytesIO()
    render_image(text, scale=scale, border=border).save(buffer, "PNG")
    return buffer.getvalue()


def save_png(text: str, path: Path, *, scale: int = 8, border: int = QUIET_ZONE) -> None:
    """Write the QR code as a PNG file: 0600, since a pairing QR code carries its one-time token."""
    output_files.write(path, render_png(text, scale=scale, border=border), private=True, force=True)


def render_svg(text: str, *, scale: int = 8, border: int = QUIET_ZONE) -> str:
    """A standalone SVG document: one path of dark runs, one unit per module, crisp edges."""
    matrix = qr_matrix(text, border=border)
    size = len(matrix)
    runs: list[str] = []
    for y, row in enumerate(matrix):
        x = 0
        while x < size:
            if not row[x]:
                x += 1
                continue
            start = x
            while x < size and row[x]:
                x += 1
            runs.append(f"M{start} {y}h{x - start}v1h-{x - start}z")
    pixels = size * scale
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{pixels}" height="{pixels}" '
        f'viewBox="0 0 {size} {size}" shape-rendering="crispEdges">'
        "<title>Z Monitor pairing QR code</title>"
        f'<rect width="{size}" height="{size}" fill="#fff"/>'
        f'<path fill="#000" d="{"".join(runs)}"/></svg>\n'
    )


def label_lines(
    *, device_id: str, ward: str | None, expires_at: datetime, pairing_code: str | None = None
) -> list[str]:
    """The text printed under the QR code on a label, top to bottom.

    The pairing code appears only when the caller passes it: a printed code travels with the QR, so
    whoever holds the label can pair; by default the code stays on the console screen.
    """
    if expires_at.tzinfo is None or expires_at.utcoffset() is None:
        raise ValueError("expires_at must be timezone-aware; convert it to the ward's local time zone")
    lines = [device_id]
    if ward:
        lines.append(f"Ward {ward}")
    lines.append(f"Expires {expires_at:%Y-%m-%d %H:%M} {expires_at.tzname()}")
    if pairing_code is None:
        lines.append("Pairing code: see console")
    else:
        lines.append(f"Pairing code {format_pairing_code(pairing_code)}")
    return lines


def render_label_image(
    text: str,
    *,
    device_id: str,
    ward: str | None,
    expires_at: datetime,
    pairing_code: str | None = None,
    dpi: int = 300,
) -> Image.Image:
    """A 62 x 80 mm label: QR code on top, then ``label_lines`` (first line large)."""
    lines = label_lines(device_id=device_id, ward=ward, expires_at=expires_at, pairing_code=pairing_code)
    width, height = (round(mm / _MM_PER_INCH * dpi) for mm in _LABEL_MM)
    margin = round(3 / _MM_PER_INCH * dpi)
    matrix_size = len(qr_matrix(text))
    qr = render_image(text, scale=max(1, (width - 2 * margin) // matrix_size))
    label = Image.new("L", (width, height), 255)
    label.paste(qr, ((width - qr.width) // 2, margin))
    draw = ImageDraw.Draw(label)
    y = margin + qr.height
    for index, line in enumerate(lines):
        points = 16.0 if index == 0 else 10.0
        while True:  # shrink a long line (a long ward name) until it fits the label's width
            font = ImageFont.load_default(size=round(points / 72 * dpi))
            left, top, right, bottom = draw.textbbox((0, 0), line, font=font)
            if right - left <= width - 2 * margin:
                break
            if points <= 6:
                raise InputError(f"The label line {line!r} does not fit a 62 mm wide label: shorten it.")
            points -= 0.5
        draw.text(((width - (right - left)) // 2 - left, y - top), line, fill=0, font=font)
        y += round(bottom - top + points / 72 * dpi * 0.5)
    if y > height:
        raise InputError(f"The label text for {device_id} does not fit a 62 x 80 mm label: shorten the ward.")
    return label


def render_label_pdf(
    text: str,
    *,
    device_id: str,
    ward: str | None,
    expires_at: datetime,
    pairing_code: str | None = None,
    dpi: int = 300,
) -> bytes:
    """The label as a one-page PDF at its physical size, for the system print dialog."""
    image = render_label_image(
        text, device_id=device_id, ward=ward, expires_at=expires_at, pairing_code=pairing_code, dpi=dpi
    )
    buffer = io.BytesIO()
    # Bilevel, so Pillow stores it lossless (CCITT G4) rather than as JPEG, which would blur the modules.
    bilevel = image.convert("1", dither=Image.Dither.NONE)
    bilevel.save(buffer, "PDF", resolution=float(dpi), title=f"Z Monitor pairing label {device_id}")
    return buffer.getvalue()


def _fit(text: str) -> qrcode.QRCode[BaseImage]:
    qr: qrcode.QRCode[BaseImage] = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=0)
    qr.add_data(text)
    qr.make(fit=True)
    return qr

"""Tests for QR rendering: every format decodes back to the payload, and the label keeps the code off."""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
import zxingcpp
from cryptography.hazmat.primitives.asymmetric import ec
from PIL import Image

from zmconsole.core import qrcodes
from zmconsole.core.errors import InputError
from zmconsole.core.pairing import protocol as pp

EXPIRES = datetime(2025, 12, 1, 10, 30, tzinfo=UTC)


@pytest.fixture(scope="module")
def longest() -> str:
    """The longest payload the limits allow: 16-character device ID, 56-character URL."""
    return pp.build_payload(
        device_id="ZM-ICU-NORTH-016",
        provisioning_url="https://" + "zm-provisioning.st-example-hospital.nhs.uk:8443" + "/",
        token=bytes(16),
        expires_at=EXPIRES,
        ca_fingerprint=bytes(32),
        key_mode=pp.KeyMode.CONSOLE_KEY,
        signer_key=ec.generate_private_key(ec.SECP256R1()),
    )


def decode(image: Image.Image) -> zxingcpp.Barcode:
    results = [r for r in zxingcpp.read_barcodes(image) if r.format == zxingcpp.BarcodeFormat.QRCode]
    assert len(results) == 1
    return results[0]


def test_longest_payload_fits_version_10_at_level_m(longest: str) -> None:
    assert len(longest) - len("ZMP1:") <= 304
    assert len("ZM-ICU-NORTH-016") == pp.MAX_DEVICE_ID_LENGTH
    assert len(pp.decode_payload(longest).provisioning_url) == pp.MAX_URL_LENGTH
    assert qrcodes.qr_version(longest) == 10
    assert len(qrcodes.qr_matrix(longest, border=0)) == 17 + 4 * 10


def test_text_past_version_10_is_refused() -> None:
    text = "ZMP1:" + "A" * 307  # one character more than version 10-M holds in alphanumeric mode
    assert qrcodes.qr_version(text) == 11
    with pytest.raises(ValueError, match="needs QR version 11"):
        qrcodes.render_png(text)


def test_png_decodes_to_the_payload(longest: str) -> None:
    result = decode(Image.open(io.BytesIO(qrcodes.render_png(longest))))
    assert result.text == longest
    extra: dict[str, object] = dict(result.extra)  # type: ignore[call-overload]
    assert extra["Version"] == "10" and result.ec_level == "M"  # measured by an independent decoder


def test_small_png_still_decodes(longest: str) -> None:
    assert decode(qrcodes.render_image(longest, scale=3)).text == longest


def test_save_png(longest: str, tmp_path: Path) -> None:
    path = tmp_path / "pairing.png"
    qrcodes.save_png(longest, path, scale=4)
    assert path.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    assert decode(Image.open(path)).text == longest


def test_matrix_has_quiet_zone(longest: str) -> None:
    matrix = qrcodes.qr_matrix(longest)
    inner = qrcodes.qr_matrix(longest, border=0)
    assert len(matrix) == len(inner) + 8 and all(len(row) == len(matrix) for row in matrix)
    assert not any(matrix[0]) and not any(row[0] for row in matrix)
    assert [row[4:-4] for row in matrix[4:-4]] == inner
    with pytest.raises(ValueError, match="border"):
        qrcodes.qr_matrix(longest, border=-1)


def test_svg_is_well_formed_and_paints_the_matrix(longest: str) -> None:
    svg = qrcodes.render_svg(longest, scale=5)
    root = ET.fromstring(svg)  # noqa: S314 - our own output
    ns = "{http://www.w3.org/2000/svg}"
    assert root.tag == f"{ns}svg"
    matrix = qrcodes.qr_matrix(longest)
    size = len(matrix)
    assert root.get("viewBox") == f"0 0 {size} {size}" and root.get("width") == str(size * 5)
    path = root.find(f"{ns}path")
    assert path is not None
    painted = [[False] * size for _ in range(size)]
    for x, y, run in re.findall(r"M(\d+) (\d+)h(\d+)v1h-\d+z", path.get("d", "")):
        for dx in range(int(run)):
            painted[int(y)][int(x) + dx] = True
    assert painted == matrix


def test_label_lines_leave_the_code_off_unless_asked() -> None:
    without = qrcodes.label_lines(device_id="ZM-001", ward="ICU-3", expires_at=EXPIRES)
    assert without == ["ZM-001", "Ward ICU-3", "Expires 2025-12-01 10:30 UTC", "Pairing code: see console"]
    with_code = qrcodes.label_lines(device_id="ZM-001", ward=None, expires_at=EXPIRES, pairing_code="12345678")
    assert with_code == ["ZM-001", "Expires 2025-12-01 10:30 UTC", "Pairing code 1234 5678"]
    local = EXPIRES.astimezone(timezone(timedelta(hours=1), "CET"))
    assert qrcodes.label_lines(device_id="ZM-001", ward=None, expires_at=local)[1] == ("Expires 2025-12-01 11:30 CET")


def test_label_input_errors() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        qrcodes.label_lines(device_id="ZM-001", ward=None, expires_at=datetime(2025, 12, 1))
    with pytest.raises(pp.PayloadError, match="8 digits"):
        qrcodes.label_lines(device_id="ZM-001", ward=None, expires_at=EXPIRES, pairing_code="1234")
    with pytest.raises(InputError, match="shorten it"):
        qrcodes.render_label_image("ZMP1:AAAA", device_id="ZM-001", ward="W" * 200, expires_at=EXPIRES, dpi=100)


def test_label_image_scans_and_differs_only_by_the_code(longest: str) -> None:
    common = {"device_id": "ZM-ICU-NORTH-016", "ward": "ICU-3", "expires_at": EXPIRES}
    without = qrcodes.render_label_image(longest, **common)  # type: ignore[arg-type]
    with_code = qrcodes.render_label_image(longest, pairing_code="12345678", **common)  # type: ignore[arg-type]
    assert without.size == with_code.size == (732, 945)  # 62 x 80 mm at 300 dpi
    assert decode(without).text == longest
    assert decode(without.convert("1", dither=Image.Dither.NONE)).text == longest  # as the PDF stores it
    difference = [
        y
        for y in range(without.height)
        if without.crop((0, y, without.width, y + 1)).tobytes()
        != with_code.crop((0, y, without.width, y + 1)).tobytes()
    ]
    assert difference and min(difference) > without.height * 0.8  # only the last text line changes


def test_label_pdf(longest: str) -> None:
    """The PDF's page is the label's physical size and holds one lossless bilevel image."""
    common = {"device_id": "ZM-001", "ward": "ICU-3", "expires_at": EXPIRES}
    pdf = qrcodes.render_label_pdf(longest, **common)  # type: ignore[arg-type]
    assert pdf.startswith(b"%PDF-")
    assert "Z Monitor pairing label ZM-001".encode("utf-16-be") in pdf  # the /Title
    assert b"/CCITTFaxDecode" in pdf and b"/DCTDecode" not in pdf  # lossless, no JPEG blur
    box = re.search(rb"/MediaBox \[ ?0 0 ([\d.]+) ([\d.]+) ?\]", pdf)
    assert box is not None
    assert abs(float(box.group(1)) - 62 / 25.4 * 72) < 1 and abs(float(box.group(2)) - 80 / 25.4 * 72) < 1
    coded = qrcodes.render_label_pdf(longest, pairing_code="12345678", **common)  # type: ignore[arg-type]
    for document in (pdf, coded):
        for code in ("12345678", "1234 5678"):  # never in the metadata
            assert code.encode() not in document and code.encode("utf-16-be") not in document


def test_a_saved_qr_png_is_0600(tmp_path: Path) -> None:
    """A pairing QR code carries its one-time token: only its owner may read the file."""
    path = tmp_path / "qr.png"
    path.write_bytes(b"an older file")
    path.chmod(0o644)
    qrcodes.save_png("ZMP1:" + "A" * 40, path)
    assert path.stat().st_mode & 0o777 == 0o600

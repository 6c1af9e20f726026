"""Reading the pairing QR code from a camera image, with a real barcode reader (zxing-cpp).

A monitor's camera gives a frame; this agent, standing in for it, reads an image file. Nothing here trusts
the text: ``enroll`` decodes and verifies it (docs/pairing-protocol.md §4, §5).
"""

from __future__ import annotations

from pathlib import Path

from zmconsole.device.troubleshooting import DeviceError


def read_text(image_path: Path) -> str:
    """The text of the one QR code in the image at ``image_path``."""
    try:
        import zxingcpp
        from PIL import Image, UnidentifiedImageError
    except ImportError as error:
        raise DeviceError(f"Cannot read QR images here ({error}): install zxing-cpp and Pillow "
                          "(pip install 'zmconsole[device]'), or pass the QR text with --payload.") from None
    try:
        with Image.open(image_path) as image:
            image.load()
            only_qr = zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode)
            found = zxingcpp.read_barcodes(image.convert("L"), formats=only_qr)
    except FileNotFoundError:
        raise DeviceError(f"The image {image_path} does not exist: check the path.") from None
    except (UnidentifiedImageError, OSError) as error:
        raise DeviceError(f"Cannot read the image {image_path} ({type(error).__name__}): use a PNG or JPEG photo "
                          "of the pairing QR code.") from None
    texts = sorted({barcode.text for barcode in found if barcode.valid and barcode.text})
    if not texts:
        raise DeviceError(f"No QR code was found in {image_path}: photograph the whole code the console shows, "
                          "straight on and in focus, and try again.")
    if len(texts) > 1:
        raise DeviceError(f"The image {image_path} shows {len(texts)} different QR codes: photograph only the "
                          "pairing code.")
    return texts[0]

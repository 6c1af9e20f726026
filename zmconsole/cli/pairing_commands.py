"""``zmconsole device pair``: prepare a bedside pairing, write its QR code, print the pairing code once.

The parser is built for every command, so the pairing code, qrcode and Pillow are imported only when
``device pair`` runs (``device_pair``).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from zmconsole.cli.context import Context, emit_json, info
from zmconsole.core.names import LEAF_KEY_TYPES

if TYPE_CHECKING:
    from zmconsole.core.pairing import tickets


def add_parser(devices: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = devices.add_parser("pair", help="prepare a device for pairing: QR code plus an 8-digit pairing code")
    p.add_argument("device_id", metavar="ID")
    p.add_argument("--generate-key", action="store_true",
                   help="generate the key here and issue now (the device pulls it, sealed under the code)")
    p.add_argument("--key", choices=LEAF_KEY_TYPES, default="ec-p256", help="key type with --generate-key")
    p.add_argument("--url", metavar="https://HOST:PORT",
                   help="provisioning URL in the QR code (default: the provisioning-url setting)")
    p.add_argument("--ttl", type=int, metavar="SECONDS",
                   help="how long the code lives (default: the pairing-ttl-seconds setting, 1800)")
    p.add_argument("--ward", metavar="WARD", help="the ward (certificate OU, printed on the label)")
    p.add_argument("--qr", required=True, metavar="FILE.png", help="write the QR code as PNG")
    p.add_argument("--svg", metavar="FILE.svg", help="also write the QR code as SVG")
    p.add_argument("--label", metavar="FILE.pdf", help="also write a printable 62 x 80 mm label")
    p.add_argument("--label-with-code", action="store_true",
                   help="print the pairing code on the label (whoever holds the label can then pair)")
    p.add_argument("--json", action="store_true", help="print one JSON object instead of text")
    p.set_defaults(handler="pairing_commands:device_pair")


def device_pair(args: argparse.Namespace, ctx: Context) -> int:
    from zmconsole.core.pairing import tickets
    from zmconsole.core.pairing.protocol import KeyMode
    from zmconsole.core.roles import Operation

    tickets.can_pair(ctx.store, args.device_id).raise_refusal()  # before asking for the passphrase
    # A signed-in operator signs the QR with their own pairing signer: no CA passphrase. A console-made key is
    # certified now by an operator who may issue from the console (with the CA), else by the service at pull time.
    operator = ctx.store.operator
    deferred = operator is not None and (not args.generate_key or not operator.may(Operation.DEVICE_ISSUE))
    signer = operator.signer if operator is not None and deferred else None
    ticket = tickets.prepare(ctx.store, None if deferred else ctx.unlock(), args.device_id, signer=signer,
                             console_key=args.generate_key, url=args.url, ttl=args.ttl, ward=args.ward,
                             key_type=args.key)
    try:
        files = _write_files(args, ticket)
    except BaseException:
        tickets.cancel(ctx.store, ticket.device_id)  # nobody saw the QR: do not leave a live code behind
        raise
    if args.json:
        emit_json({**ticket.as_json(), "files": {kind: str(path) for kind, path in files.items()}})
        return 0
    remaining = int((ticket.expires_at - ticket.created_at).total_seconds())
    mode = ("device key (the device makes its key and sends a certificate request)" if ticket.key_mode is
            KeyMode.DEVICE_KEY else "console key (issued now; the device pulls it sealed under the code)"
            if ticket.serial else "console key (made here; the service issues it when the device pulls it sealed "
                                  "under the code)")
    fingerprint = " ".join(ticket.ca_fingerprint[i:i + 4].upper() for i in range(0, 16, 4))
    print(f"Pairing code for {ticket.device_id}: {ticket.display_code}")
    print("  type it on the device when it asks; it is shown only now and is not stored anywhere")
    print(f"  expires:      {ticket.expires_at:%Y-%m-%d %H:%M:%S} UTC (in {_duration(remaining)})")
    print(f"  key mode:     {mode}")
    if ticket.serial:
        print(f"  certificate:  {ticket.serial}")
    print(f"  provisioning: {ticket.provisioning_url}")
    print(f"  CA SHA-256:   {fingerprint} ... (the device may show this for comparison)")
    for kind, path in files.items():
        print(f"  {kind + ':':<13} {path}")
    return 0


def _write_files(args: argparse.Namespace, ticket: tickets.Ticket) -> dict[str, Path]:
    from zmconsole.core import exports, qrcodes

    # Every file holds the one-time token, so each is 0600; a new pairing replaces the files of the last one.
    files = {"qr": Path(args.qr)}
    exports.write_file(files["qr"], qrcodes.render_png(ticket.qr_text), private=True, force=True)
    if args.svg:
        files["svg"] = exports.write_file(Path(args.svg), qrcodes.render_svg(ticket.qr_text).encode(), private=True,
                                          force=True)
    if args.label:
        code = ticket.pairing_code if args.label_with_code else None
        pdf = qrcodes.render_label_pdf(ticket.qr_text, device_id=ticket.device_id, ward=ticket.ward,
                                       expires_at=ticket.expires_at.astimezone(), pairing_code=code)
        files["label"] = exports.write_file(Path(args.label), pdf, private=True, force=True)
        if code is not None:
            info(f"The label {args.label} carries the pairing code: whoever holds it can pair {ticket.device_id}.")
    return files


def _duration(seconds: int) -> str:
    if seconds < 120:
        return f"{seconds} seconds"
    if seconds < 7200:
        return f"{seconds // 60} minutes"
    return f"{seconds / 3600:.1f} hours"

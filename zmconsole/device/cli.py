"""``zmdevice``: the reference device agent's command line.

    zmdevice enroll (--qr IMAGE | --payload TEXT) [--code-file FILE] --keystore DIR [--device-id ID]
    zmdevice status --keystore DIR [--json]
    zmdevice smoke-test --keystore DIR --url https://HOST:PORT/
    zmdevice check   --keystore DIR [--json] [--no-renew]
    zmdevice renew   --keystore DIR [--force]
    zmdevice confirm --keystore DIR

``check`` exits as a monitoring plugin does: 0 ok, 1 within 90 or 30 days, 2 within the renewal threshold,
expired or a renewal that failed, 3 could not check.

The pairing code is read from ``--code-file FILE``, else ``$ZMDEVICE_CODE``, else a prompt: never from the
command line, which every local user can read in ``/proc/PID/cmdline``. ``--code CODE`` still works, with a
warning on stderr.

Errors are translated here and only here: a ``ZmError`` (every ``DeviceError``, and the protocol's
``PayloadError``) is one line on stderr and exit status 1; anything else is a bug, reported in one line too.
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import NoReturn

from zmconsole import __version__
from zmconsole.core.errors import ZmError
from zmconsole.core.pairing import protocol as zmp
from zmconsole.device import enroll, keystore, qr, renewal, smoke, status, trust
from zmconsole.device.troubleshooting import DeviceError

PROG = "zmdevice"
EXIT_USAGE = 2
EXIT_BUG = 70  # EX_SOFTWARE
CODE_ENV = "ZMDEVICE_CODE"
CODE_WARNING = (f"{PROG}: warning: --code shows the pairing code to every local user (ps, /proc/PID/cmdline); "
                f"use --code-file FILE, ${CODE_ENV} or the prompt instead.")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # one line, like every other error
        self.exit(EXIT_USAGE, f"{PROG}: {message} (see {self.prog} --help)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog=PROG, description="Reference Z Monitor device agent: pair by QR code, keep the identity "
                     "in an encrypted keystore, prove it with an mTLS smoke test.")
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    secret_help = (f"file holding the keystore secret (default: ${keystore.PASSPHRASE_ENV}); a production monitor "
                   "seals it in hardware instead")
    p = sub.add_parser("enroll", help="pair this device from the console's QR code and pairing code")
    source = p.add_mutually_exclusive_group(required=True)
    source.add_argument("--qr", metavar="IMAGE", help="a photo or PNG of the pairing QR code")
    source.add_argument("--payload", metavar="TEXT", help="the QR code's text (ZMP1:...)")
    code = p.add_mutually_exclusive_group()
    code.add_argument("--code-file", metavar="FILE",
                      help=f"file holding the 8-digit pairing code shown beside the QR (default: ${CODE_ENV}, "
                           "else a prompt)")
    code.add_argument("--code", metavar="CODE", help="the pairing code on the command line (readable by every local "
                                                     "user: prefer --code-file, the environment or the prompt)")
    p.add_argument("--keystore", required=True, metavar="DIR")
    p.add_argument("--device-id", metavar="ID", help="this device's own ID; a QR code for another device is refused")
    p.add_argument("--keystore-passphrase-file", metavar="FILE", help=secret_help)
    p.set_defaults(handler=_enroll)

    p = sub.add_parser("status", help="show the installed identity (needs no secret)")
    p.add_argument("--keystore", required=True, metavar="DIR")
    p.add_argument("--json", action="store_true", help="one JSON object on stdout")
    p.set_defaults(handler=_status)

    p = sub.add_parser("smoke-test", help="mTLS handshake and one GET with the installed identity")
    p.add_argument("--keystore", required=True, metavar="DIR")
    p.add_argument("--url", required=True, metavar="URL", help="https://HOST:PORT/ of a server requiring mTLS")
    p.add_argument("--keystore-passphrase-file", metavar="FILE", help=secret_help)
    p.set_defaults(handler=_smoke_test)

    for name, handler, what, flags in [
        ("check", _check, "the daily expiry check: report the band, renew at the renewal threshold",
         [("--json", "one JSON object on stdout"), ("--no-renew", "only report; never contact the service")]),
        ("renew", _renew, "renew the certificate over mutual TLS, prove it, switch to it, confirm",
         [("--force", "renew although the renewal threshold is not reached")]),
        ("confirm", _confirm, "confirm the renewed certificate: ends the old one's grace window", []),
    ]:
        p = sub.add_parser(name, help=what)
        p.add_argument("--keystore", required=True, metavar="DIR")
        for flag, flag_help in flags:
            p.add_argument(flag, action="store_true", help=flag_help)
        p.add_argument("--keystore-passphrase-file", metavar="FILE", help=secret_help)
        p.set_defaults(handler=handler)
    return parser


def _now() -> datetime:
    return datetime.now(UTC)


def _directory(arg: str) -> Path:
    return Path(arg).expanduser().absolute()


def pairing_code(args: argparse.Namespace, environ: Mapping[str, str]) -> str:
    """The pairing code from ``--code-file``, ``--code`` (with a warning), ``$ZMDEVICE_CODE`` or a prompt."""
    if args.code_file is not None:
        try:
            code = Path(args.code_file).read_text(encoding="utf-8").strip()
        except (OSError, UnicodeDecodeError) as error:
            raise DeviceError(f"Cannot read the pairing code file {args.code_file} ({error}): check the path.") \
                from None
        if not code:
            raise DeviceError(f"The pairing code file {args.code_file} is empty: put the 8-digit code in it.")
        return code
    if args.code is not None:
        print(CODE_WARNING, file=sys.stderr)
        return str(args.code)
    if environ.get(CODE_ENV):
        return environ[CODE_ENV]
    if sys.stdin.isatty():
        return getpass.getpass("Pairing code (shown beside the QR code): ")
    raise DeviceError(f"The pairing code is needed: give --code-file FILE or set {CODE_ENV} when running "
                      "without a terminal (at a terminal, zmdevice asks for it).")


def _enroll(args: argparse.Namespace) -> int:
    secret, source = keystore.keystore_secret(args.keystore_passphrase_file, os.environ)
    text = qr.read_text(Path(args.qr)) if args.qr else args.payload
    code = pairing_code(args, os.environ)
    done = enroll.enroll(qr_text=text, code=code, directory=_directory(args.keystore), secret=secret,
                         now=_now(), device_id=args.device_id)
    certificate = done.identity.certificate
    mode = ("key generated on this device" if done.key_mode is zmp.KeyMode.DEVICE_KEY
            else "key generated by the console, delivered sealed")
    crl = done.crl.cached
    print(f"Paired {trust.common_name(certificate)}: certificate serial {trust.serial_of(certificate)}, valid until "
          f"{certificate.not_valid_after_utc:%Y-%m-%d} ({done.key_type}, {mode}).")
    print(f"Trusts the platform CA {trust.subject_of(done.identity.anchor)} "
          f"(SHA-256 {done.identity.ca_fingerprint[:16].upper()}…).")
    crl_text = f"{len(crl.crl)} entries, this update {crl.this_update:%Y-%m-%d %H:%M} UTC" if crl else "not fetched"
    print(f"CRL: {crl_text}{f' ({done.crl.problem})' if done.crl.problem else ''}.")
    print(f"Keystore {done.identity.directory}: private key encrypted (AES-256) under the secret from {source}; "
          "not hardware-protected (a production monitor seals the secret in a TPM or secure element).")
    return 0


def _status(args: argparse.Namespace) -> int:
    facts = status.report(_directory(args.keystore), _now())
    if args.json:
        json.dump(facts, sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        print(status.render(facts))
    return 0


def _smoke_test(args: argparse.Namespace) -> int:
    secret, _ = keystore.keystore_secret(args.keystore_passphrase_file, os.environ)
    passed = smoke.smoke_test(_directory(args.keystore), args.url, secret=secret, now=_now())
    print(f"Smoke test passed: mutual TLS with {passed.url} ({passed.tls_version}, {passed.cipher}); the server "
          f"({passed.server_subject}) chains to the platform CA and matches the host name; it accepted "
          f"{passed.device_id} (serial {passed.serial}) and answered HTTP {passed.status}.")
    return 0


def _check(args: argparse.Namespace) -> int:
    directory, now = _directory(args.keystore), _now()
    try:
        identity = keystore.load(directory)
    except ZmError as error:
        print(f"{PROG}: cannot check: {' '.join(str(error).split())}", file=sys.stderr)
        return renewal.EXIT_CANNOT_CHECK
    certificate = identity.certificate
    found = renewal.band(certificate, now, identity.threshold_urgent)
    facts: dict[str, object] = {
        "device_id": trust.common_name(certificate), "serial": trust.serial_of(certificate),
        "not_after": renewal.iso(certificate.not_valid_after_utc), "days_left": renewal.days_left(certificate, now),
        "band": str(found), "threshold_days": identity.threshold_urgent, "renewed": False, "new_serial": None,
        "new_not_after": None, "confirmed": None, "error": None,
    }
    code = renewal.EXIT_STATUS[found]
    due = found in (renewal.Band.RENEW, renewal.Band.EXPIRED)
    if not args.no_renew and (due or renewal.unfinished(directory)):
        try:
            secret, _ = keystore.keystore_secret(args.keystore_passphrase_file, os.environ)
            done = (renewal.renew(directory, secret=secret, now=now) if due
                    else renewal.finish(directory, secret=secret, now=now))
        except ZmError as error:
            facts["error"] = " ".join(str(error).split())
            code = renewal.EXIT_RENEWAL_FAILED
        else:
            if done is not None:
                new = done.certificate
                facts.update(renewed=True, new_serial=trust.serial_of(new),
                             new_not_after=renewal.iso(new.not_valid_after_utc), confirmed=done.confirmed)
                code = renewal.EXIT_STATUS[renewal.band(new, now, identity.threshold_urgent)]
                if not done.confirmed:
                    facts["error"] = f"renewed but not confirmed: {done.confirm_problem}"
    if args.json:
        json.dump(facts, sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        print(f"{facts['device_id']}: certificate {facts['serial']} valid until {facts['not_after']} "
              f"({facts['days_left']} days left): {facts['band']}.")
        if facts["renewed"]:
            print(f"Renewed: certificate {facts['new_serial']} valid until {facts['new_not_after']}"
                  + (", confirmed." if facts["confirmed"] else ", NOT confirmed yet (zmdevice confirm)."))
    if facts["error"]:
        print(f"{PROG}: {facts['error']}", file=sys.stderr)
    return code


def _renew(args: argparse.Namespace) -> int:
    directory, now = _directory(args.keystore), _now()
    identity = keystore.load(directory)
    found = renewal.band(identity.certificate, now, identity.threshold_urgent)
    due = found in (renewal.Band.RENEW, renewal.Band.EXPIRED)
    if not (due or args.force or renewal.unfinished(directory)):
        raise DeviceError(f"The certificate has {renewal.days_left(identity.certificate, now)} days left, more than "
                          f"the renewal threshold of {identity.threshold_urgent}: nothing to do. Add --force to "
                          "renew now.")
    secret, _ = keystore.keystore_secret(args.keystore_passphrase_file, os.environ)
    done = renewal.renew(directory, secret=secret, now=now)
    new = done.certificate
    print(f"Renewed {trust.common_name(new)}: certificate {trust.serial_of(new)} valid until "
          f"{renewal.iso(new.not_valid_after_utc)} replaces {done.old_serial}"
          + (" (finishing an interrupted renewal)" if done.resumed else "") + ".")
    if done.confirmed:
        print(f"Confirmed: the old certificate {done.old_serial} is revoked (superseded).")
        return 0
    print(f"{PROG}: warning: not confirmed ({done.confirm_problem}); the old certificate stays valid until "
          f"{done.grace_ends or 'the end of its grace window'}. Run zmdevice confirm.", file=sys.stderr)
    return 1


def _confirm(args: argparse.Namespace) -> int:
    secret, _ = keystore.keystore_secret(args.keystore_passphrase_file, os.environ)
    record = renewal.confirm(_directory(args.keystore), secret=secret, now=_now())
    if record.get("replaces_serial"):
        print(f"Confirmed at {record.get('confirmed_at')}: the old certificate {record['replaces_serial']} is "
              "revoked (superseded) and its grace window is closed.")
    else:
        print("Confirmed: this certificate replaces none, so there was no grace window to close.")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.handler(args))
    except ZmError as error:
        print(f"{PROG}: {' '.join(str(error).split())}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted; the keystore was left as it was.", file=sys.stderr)
        return 130
    except Exception as error:  # a bug: still one line, never a traceback on a device's console
        print(f"{PROG}: internal error ({type(error).__name__}: {error}); this is a bug in the agent, please "
              "report it.", file=sys.stderr)
        return EXIT_BUG


if __name__ == "__main__":
    sys.exit(main())

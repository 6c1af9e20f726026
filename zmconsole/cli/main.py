"""The ``zmconsole`` entry point.

With no command (or ``gui``) it opens the desktop console; with a command it
runs headless and never imports Qt. The parser names each handler as
``"module:function"`` under ``zmconsole.cli``, imported only when its command runs:
``--help`` imports no core module, and each command only what it needs.
Errors are translated for the user here and only here: a :class:`ZmError`
becomes one line on stderr (its hint in command-line words from
:mod:`zmconsole.cli.errors`) and its exit status; anything else is a bug, logged
with its traceback to the data directory, and the user sees one line saying where.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from zmconsole import __version__
from zmconsole.cli.exit_codes import EXIT_BUG, EXIT_UNKNOWN
from zmconsole.core import names
from zmconsole.core.status import CERTIFICATE_STATUSES

TYPE_CHECKING = False  # as typing.TYPE_CHECKING (mypy reads it so), without importing typing for --help
if TYPE_CHECKING:
    from collections.abc import Callable, Collection, Sequence

    from zmconsole.cli.context import Context

    Handler = Callable[[argparse.Namespace, Context], int]

# What is imported here is paid by every command and by --help on every start (issue 11: --help within 3x the
# interpreter's own start): the error translation, the context, logging and traceback are imported by main()
# once the arguments are parsed, and each command's module only when it runs.
PIN_FILE_HELP = ("read the PIN of the CA key's PKCS#11 token from FILE (or set ZMCONSOLE_PKCS11_PIN; else a "
                 "prompt)")
CHECK_LIST_LIMIT = 50  # check-expiry lists this many items by default: the summary and the worst ones
FORCE_HELP = "replace files that already exist (by default an existing file is never overwritten)"


def _key_mode(parser: argparse.ArgumentParser, choices: Sequence[str]) -> None:
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--csr", metavar="FILE", help="a CSR from the device (PEM or DER)")
    mode.add_argument("--generate-key", action="store_true", help="generate the key here (delivered encrypted)")
    parser.add_argument("--key", choices=choices, default=choices[0], help="key type with --generate-key")
    parser.add_argument("--key-password-file", metavar="FILE",
                        help="password for the generated key (default: a random one, printed once)")
    parser.add_argument("--days", type=int, help="validity in days (default: the setting, 365)")


def build_parser(commands: Collection[str] | None = None) -> argparse.ArgumentParser:
    """The command line's parser: every command, or with ``commands`` only those commands' own options.

    Each command is named, with its help, either way. main() builds the commands its arguments name and no
    others: a fresh process that builds the whole tree (some fifty parsers) for one command spends more on
    it than the command itself takes, and ``--help`` builds none. The man page, the completions and the
    tests take the whole tree.
    """
    parser = argparse.ArgumentParser(
        prog="zmconsole",
        description="Provisioning console and platform CA for Z Monitor bedside monitors. "
                    "Run without a command to open the desktop console.")
    parser.add_argument("--version", action="version", version=f"zmconsole {__version__}")
    parser.add_argument("--home", metavar="DIR", help="data directory (default: $ZMCONSOLE_HOME or the per-user "
                                                      "data directory)")
    parser.add_argument("--passphrase-file", metavar="FILE",
                        help="read the CA passphrase from FILE (or set ZMCONSOLE_PASSPHRASE; else a prompt)")
    parser.add_argument("--pkcs11-pin-file", metavar="FILE", help=PIN_FILE_HELP)
    parser.add_argument("--operator", metavar="NAME",
                        help="act as this operator, once the store has operators (or set ZMCONSOLE_OPERATOR)")
    parser.add_argument("--operator-password-file", metavar="FILE",
                        help="read the operator's password from FILE (or set ZMCONSOLE_OPERATOR_PASSWORD; else a "
                             "prompt)")
    parser.add_argument("--demo", action="store_true", help="open the console on a throw-away demo store")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, summary, build in _COMMANDS:
        command = sub.add_parser(name, help=summary)
        if commands is None or name in commands:
            build(command)
    return parser


def _gui(_: argparse.ArgumentParser) -> None:
    """The desktop console takes the global options only."""

def _ca(command: argparse.ArgumentParser) -> None:
    ca_p = command.add_subparsers(dest="action", required=True)
    p = ca_p.add_parser("init", help="create the platform CA: a single CA, a hierarchy's root (--root), or an "
                                     "issuing CA's key and request (--issuing)")
    shape = p.add_mutually_exclusive_group()
    shape.add_argument("--root", action="store_true",
                       help="an offline root: signs issuing CAs only (default validity 20 years)")
    shape.add_argument("--issuing", action="store_true",
                       help="an issuing CA: make its key here and write the request the root signs (--request-out)")
    p.add_argument("--request-out", metavar="FILE.csr", help="with --issuing: where to write the request")
    p.add_argument("--cn", required=True)
    p.add_argument("--org", required=True)
    p.add_argument("--ou")
    p.add_argument("--country", metavar="CC")
    p.add_argument("--state", metavar="ST")
    p.add_argument("--key", choices=names.CA_KEY_TYPES, default="rsa4096")
    p.add_argument("--days", type=int, help="validity in days (default 3650; a root 7305)")
    p.add_argument("--force", action="store_true", help=FORCE_HELP)
    p.add_argument("--pkcs11-module", metavar="PATH", help="generate the CA key in a PKCS#11 token: the HSM's "
                                                           "PKCS#11 library (with --pkcs11-token)")
    p.add_argument("--pkcs11-token", metavar="LABEL", help="the label of the token that generates and keeps the key")
    p.add_argument("--pkcs11-pin-file", metavar="FILE", default=argparse.SUPPRESS, help=PIN_FILE_HELP)
    p.add_argument("--admin", metavar="NAME", help="create the first operator, an admin, with the CA: from then on "
                                                   "everyone signs in")
    p.add_argument("--admin-password-file", metavar="FILE",
                   help="the admin's password (or ZMCONSOLE_OPERATOR_PASSWORD; else a prompt, twice)")
    p.set_defaults(handler="ca_commands:ca_init")
    p = ca_p.add_parser("sign-issuing", help="in the root's store: sign an issuing CA's request")
    p.add_argument("csr", metavar="FILE.csr")
    p.add_argument("--out", required=True, metavar="FILE.crt")
    p.add_argument("--days", type=int, help="validity in days (default 3650, at most the root's own)")
    p.add_argument("--force", action="store_true", help=FORCE_HELP)
    p.set_defaults(handler="ca_commands:ca_sign_issuing")
    p = ca_p.add_parser("install-issuing", help="in the issuing store: install the certificate the root signed")
    p.add_argument("--cert", required=True, metavar="FILE.crt")
    p.add_argument("--root", required=True, metavar="ROOT.crt")
    p.set_defaults(handler="ca_commands:ca_install_issuing")
    p = ca_p.add_parser("revoke-issuing", help="in the root's store: revoke an issuing CA and sign the root's CRL")
    p.add_argument("serial", metavar="SERIAL")
    p.add_argument("--reason", required=True, choices=("compromised", "superseded"))
    p.set_defaults(handler="ca_commands:ca_revoke_issuing")
    p = ca_p.add_parser("import", help="select an existing CA (certificate and encrypted key)")
    p.add_argument("--cert", required=True, metavar="FILE")
    p.add_argument("--key", required=True, metavar="FILE")
    p.set_defaults(handler="ca_commands:ca_import")
    p = ca_p.add_parser("show", help="show the platform CA: the store's shape and the chain")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler="ca_commands:ca_show")
    p = ca_p.add_parser("export", help="write the CA certificate, with the root after an issuing CA (PEM)")
    p.add_argument("--out", required=True, metavar="FILE")
    p.add_argument("--force", action="store_true", help=FORCE_HELP)
    p.set_defaults(handler="ca_commands:ca_export")


def _device(command: argparse.ArgumentParser) -> None:
    from zmconsole.cli import pairing_commands

    dev = command.add_subparsers(dest="action", required=True)
    p = dev.add_parser("issue", help="issue a device's client certificate")
    p.add_argument("device_id", metavar="ID")
    _key_mode(p, names.LEAF_KEY_TYPES)
    p.add_argument("--ou", metavar="OU", help="the ward (subject OU)")
    p.add_argument("--location", metavar="TEXT")
    p.add_argument("--out", required=True, metavar="DIR")
    p.add_argument("--force", action="store_true", help=FORCE_HELP)
    p.set_defaults(handler="commands:device_issue")
    p = dev.add_parser("renew", help="renew a device's certificate (the old one stays valid for renewal-grace-days, "
                                      "or until the device confirms the new one)")
    p.add_argument("device_id", metavar="ID")
    _key_mode(p, names.LEAF_KEY_TYPES)
    p.add_argument("--out", required=True, metavar="DIR")
    p.add_argument("--force", action="store_true", help=FORCE_HELP)
    p.set_defaults(handler="commands:device_renew")
    p = dev.add_parser("import-csv", help="issue certificates for every row of a CSV file")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--out", required=True, metavar="DIR")
    p.add_argument("--key", choices=names.LEAF_KEY_TYPES, default="rsa2048")
    p.add_argument("--key-password-file", metavar="FILE")
    p.add_argument("--days", type=int)
    p.add_argument("--force", action="store_true", help=FORCE_HELP)
    p.set_defaults(handler="commands:device_import_csv")
    p = dev.add_parser("list", help="one row per device")
    p.add_argument("--status", choices=CERTIFICATE_STATUSES)
    p.add_argument("--search", metavar="TEXT")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler="commands:device_list")
    p = dev.add_parser("show", help="a device and its certificate history")
    p.add_argument("device_id", metavar="ID")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler="commands:device_show")
    p = dev.add_parser("export", help="export a device's current certificate")
    p.add_argument("device_id", metavar="ID")
    p.add_argument("--format", required=True, choices=("pem", "der", "p12"))
    p.add_argument("--out", required=True, metavar="FILE")
    p.add_argument("--key-password-file", metavar="FILE")
    p.add_argument("--force", action="store_true", help=FORCE_HELP)
    p.set_defaults(handler="commands:device_export")
    p = dev.add_parser("revoke", help="revoke a device (or one certificate by serial)")
    p.add_argument("device_id", metavar="ID")
    p.add_argument("--reason", required=True, choices=names.REVOCATION_REASONS)
    p.add_argument("--no-crl", action="store_true", help="do not regenerate the CRL now")
    p.set_defaults(handler="commands:device_revoke")
    pairing_commands.add_parser(dev)


def _server(command: argparse.ArgumentParser) -> None:
    srv = command.add_subparsers(dest="action", required=True)
    p = srv.add_parser("issue", help="issue a serverAuth certificate")
    p.add_argument("hostname", metavar="HOSTNAME")
    p.add_argument("--dns", action="append", metavar="NAME")
    p.add_argument("--ip", action="append", metavar="ADDR")
    _key_mode(p, names.LEAF_KEY_TYPES)
    p.add_argument("--out", required=True, metavar="DIR")
    p.add_argument("--force", action="store_true", help=FORCE_HELP)
    p.set_defaults(handler="commands:server_issue")


def _crl(command: argparse.ArgumentParser) -> None:
    crl = command.add_subparsers(dest="action", required=True)
    p = crl.add_parser("generate", help="sign a new CRL")
    p.add_argument("--root", action="store_true", help="in the root's store: the root's own CRL")
    p.add_argument("--out", required=True, metavar="FILE")
    p.add_argument("--der", action="store_true", help="write DER instead of PEM")
    p.add_argument("--force", action="store_true", help=FORCE_HELP)
    p.add_argument("--hours", type=int, help="hours until nextUpdate (default: the setting, 48)")
    p.set_defaults(handler="commands:crl_generate")


def _check_expiry(p: argparse.ArgumentParser) -> None:
    p.add_argument("--json", action="store_true")
    p.add_argument("--limit", type=_count, default=CHECK_LIST_LIMIT, metavar="N",
                   help=f"list at most N certificates after the summary (default {CHECK_LIST_LIMIT}); 0 lists every "
                        "one")
    p.set_defaults(handler="check_expiry:check_expiry")


def _count(text: str) -> int:
    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"a whole number, 0 or more, not {text!r}")
    return int(text)


def _serve(command: argparse.ArgumentParser) -> None:
    from zmconsole.cli import serve_command

    serve_command.add_arguments(command)


def _store(command: argparse.ArgumentParser) -> None:
    from zmconsole.cli import store_commands

    store_commands.add_arguments(command, FORCE_HELP)


def _operator(command: argparse.ArgumentParser) -> None:
    from zmconsole.cli import operator_commands

    operator_commands.add_arguments(command)


def _audit(command: argparse.ArgumentParser) -> None:
    aud = command.add_subparsers(dest="action", required=True)
    p = aud.add_parser("verify", help="check the hash chain and its signed checkpoint")
    p.add_argument("--expect-head", metavar="HASH", help="a head hash copied earlier: it must be in the chain")
    p.set_defaults(handler="commands:audit_verify")
    p = aud.add_parser("export", help="write the audit log as CSV")
    p.add_argument("--out", required=True, metavar="FILE")
    p.add_argument("--force", action="store_true", help=FORCE_HELP)
    p.set_defaults(handler="commands:audit_export")


def _config(command: argparse.ArgumentParser) -> None:
    cfg = command.add_subparsers(dest="action", required=True)
    p = cfg.add_parser("set", help="change a setting", add_help=False,
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("-h", "--help", action=_SettingsHelp, help="show this help message and every setting, then exit")
    p.add_argument("key")
    p.add_argument("value")
    p.set_defaults(handler="commands:config_set")
    p = cfg.add_parser("get", help="show one or all settings")
    p.add_argument("key", nargs="?")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler="commands:config_get")


# Every command in the order --help lists them: its name, its one-line help and what builds its options.
_COMMANDS: tuple[tuple[str, str, Callable[[argparse.ArgumentParser], None]], ...] = (
    ("gui", "open the desktop console", _gui),
    ("ca", "the platform CA", _ca),
    ("device", "device certificates", _device),
    ("server", "server certificates", _server),
    ("crl", "the certificate revocation list", _crl),
    ("check-expiry", "the daily expiry check (exit 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN)", _check_expiry),
    ("serve", "run the provisioning service (HTTPS pairing/EST, plain-HTTP CRL/OCSP)", _serve),
    ("store", "the store itself: upgrade, backup, restore, check", _store),
    ("operator", "operators: the people who sign in, and their roles", _operator),
    ("audit", "the audit trail", _audit),
    ("config", "site settings", _config),
)


class _SettingsHelp(argparse.Action):
    """``config set --help``, with every setting from the core's table, read only when the help is asked for."""

    def __init__(self, option_strings: Sequence[str], dest: str = argparse.SUPPRESS,
                 default: str = argparse.SUPPRESS, help: str | None = None) -> None:
        super().__init__(option_strings, dest=dest, default=default, nargs=0, help=help)

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace, values: object,
                 option_string: str | None = None) -> None:
        parser.epilog = _settings_epilog()
        parser.print_help()
        parser.exit()


def _settings_epilog() -> str:
    """Every setting, from the core's field table: key, what it does, its bounds."""
    import textwrap

    from zmconsole.core import settings

    lines = ["settings:"]
    for item in settings.FIELDS:
        bounds = f" ({item.minimum} to {item.maximum} {item.unit})" if item.kind is int else ""
        lines += textwrap.wrap(f"{item.key:<23} {item.help}{bounds}", width=100, initial_indent="  ",
                               subsequent_indent=" " * 26)
    return "\n".join(lines)


def _log_bug(ctx: Context) -> str:
    """Keep the traceback for the developers in the data directory; return where it went."""
    import traceback
    from datetime import UTC, datetime

    try:
        home = ctx.home
        home.mkdir(mode=0o700, parents=True, exist_ok=True)
        path = home / "zmconsole-errors.log"
        with path.open("a", encoding="utf-8") as handle:
            handle.write(f"--- {datetime.now(UTC).isoformat()} zmconsole {__version__}\n")
            handle.write(traceback.format_exc())
        return str(path)
    except OSError:
        return "(the log could not be written)"


GUI_MISSING = ("zmconsole: the desktop console cannot start: it is not installed (this is the headless install, "
               "without PySide6). Install it with `pip install 'zmconsole[gui]'` (or scripts/setup.sh), or use a "
               "command (zmconsole --help).")


def _open_gui(args: argparse.Namespace) -> int:
    """The console lives in the ``gui`` extra: without PySide6, say how to install it instead of a traceback."""
    import importlib.util

    if importlib.util.find_spec("PySide6") is None:
        print(GUI_MISSING, file=sys.stderr)
        return 1
    try:
        from zmconsole.gui.app import run  # type: ignore[import-not-found, unused-ignore]
    except ImportError as error:
        print(f"zmconsole: the desktop console cannot start ({error}): reinstall it with "
              "`pip install 'zmconsole[gui]'`, or use a command (zmconsole --help).", file=sys.stderr)
        return 1
    return int(run(home=args.home, demo=args.demo, passphrase_file=args.passphrase_file))


def _handler(target: str | Handler) -> Handler:
    """The function a command runs, given as ``"module:function"`` under zmconsole.cli (or as the function)."""
    if callable(target):
        return target
    module, _, function = target.partition(":")
    handler: Handler = getattr(importlib.import_module(f"zmconsole.cli.{module}"), function)
    return handler


def main(argv: Sequence[str] | None = None) -> int:
    given = sys.argv[1:] if argv is None else list(argv)
    args = build_parser(commands=given).parse_args(given)
    import logging
    import os

    logging.basicConfig(level=logging.WARNING, format="zmconsole: %(message)s")
    if args.command in (None, "gui") or args.demo:
        return _open_gui(args)
    from zmconsole.cli import errors, secrets_input
    from zmconsole.cli.context import Context
    from zmconsole.core.errors import ZmError

    ctx = Context(args.home, args.passphrase_file, args.pkcs11_pin_file,
                  args.operator or os.environ.get(secrets_input.OPERATOR_ENV) or None, args.operator_password_file)
    try:
        return _handler(args.handler)(args, ctx)
    except ZmError as error:
        print(f"zmconsole: {errors.text(error)}", file=sys.stderr)
        return EXIT_UNKNOWN if args.command == "check-expiry" else error.exit_code
    except KeyboardInterrupt:
        print("zmconsole: interrupted; nothing half-done was kept.", file=sys.stderr)
        return 130
    except Exception:
        where = _log_bug(ctx)
        print(f"zmconsole: internal error (a bug, not something you did wrong); details were written to {where}. "
              "Please report it.", file=sys.stderr)
        return EXIT_UNKNOWN if args.command == "check-expiry" else EXIT_BUG
    finally:
        ctx.close()


if __name__ == "__main__":
    sys.exit(main())
